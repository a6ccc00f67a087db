import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'server-load',
  title: 'Server load: when does client growth hurt?',
  claims: [
    'Because the server handles most of the work, client growth does not affect performance.',
    'Because resources in a large peer-to-peer network are shared, performance is likely to suffer.',
    'When many customers make simultaneous service requests, a server may become overloaded.',
  ],
  summary:
    'N clients each send requests at rate λ. In client-server, one server with c workers of rate μ answers them all from a queue that holds at most K waiting requests (M/M/c/(c+K): at most c + K in the system); in peer-to-peer, every peer that is online also serves at its own rate with its own waiting room, and each request is first routed over a Chord ring of the online peers (or asks a central index) to find the peer that holds the item. The lab grows N from 1 to the largest value you choose and charts the mean and 95th-percentile response time, the utilisation and the share of requests dropped. Dashed lines are the M/M/c (Erlang C), M/M/c/(c+K) and per-peer M/M/1 formulas; points are an event-driven simulation with 95% intervals. Watch the knee N* = cμ/λ, where the server is busy all the time: the server is simulated at extra sizes around it.',
  params: [
    { kind: 'integer', name: 'clients', label: 'Largest number of clients N', unit: 'clients', min: 1, max: 1000000, step: 1, default: 10000, scale: 'log', help: 'The lab simulates 13 sizes from 1 up to this value, evenly spaced on a log scale, and the server at up to 13 more around the knee N*.' },
    { kind: 'number', name: 'requestRate', label: 'Requests per client λ', unit: 'per second', min: 0.001, max: 100, step: 0.001, default: 0.1, scale: 'log' },
    { kind: 'integer', name: 'workers', label: 'Server workers c', unit: 'workers', min: 1, max: 256, step: 1, default: 4, scale: 'log', help: 'Threads, cores or machines behind one address, sharing one queue.' },
    { kind: 'number', name: 'serviceRate', label: 'Service rate per worker μ', unit: 'requests/s', min: 0.1, max: 10000, step: 0.1, default: 25, scale: 'log', help: 'The mean service time is 1/μ (25 per second is 40 ms).' },
    { kind: 'integer', name: 'queueCapacity', label: 'Waiting room K', unit: 'requests', min: 1, max: 10000, step: 1, default: 100, scale: 'log', help: 'Requests that find K others already waiting are dropped (a listen backlog is typically 128). Each peer has a waiting room of the same size.' },
    { kind: 'number', name: 'peerServiceRate', label: 'Service rate per peer μ_p', unit: 'requests/s', min: 0.01, max: 1000, step: 0.01, default: 5, scale: 'log', help: 'A home machine is usually slower than a server worker.' },
    { kind: 'number', name: 'onlineShare', label: 'Share of peers online and serving p', unit: '', min: 0.01, max: 1, step: 0.01, default: 0.5, help: 'The others still send requests but serve none and are not on the ring (free riders, peers behind NAT or on battery).' },
    {
      kind: 'choice', name: 'lookup', label: 'How a peer finds another peer',
      options: [
        { value: 'chord', label: 'a DHT (Chord): about ½·log₂(online peers) hops, routed on a simulated ring' },
        { value: 'index', label: 'a central index: 1 hop (its own queue not simulated)' },
      ],
      default: 'chord',
    },
    { kind: 'number', name: 'hopLatency', label: 'Latency per lookup hop', unit: 'ms', min: 0, max: 1000, step: 1, default: 50, help: 'The P2P lookup costs hops × this, in every request.' },
    { kind: 'integer', name: 'requests', label: 'Requests simulated per size', unit: 'requests', min: 2000, max: 200000, step: 1000, default: 50000, scale: 'log', help: 'More requests narrow the confidence interval and take longer.' },
  ],
  charts: [
    {
      id: 'mean-response',
      title: 'Mean response time',
      x: { label: 'Number of clients N', scale: 'logarithmic', format: 'count' },
      y: { label: 'Mean response time', scale: 'logarithmic', format: 'duration' },
      series: [
        { key: 'csMeanErlang', label: 'Client-server: M/M/c, unlimited queue (Erlang C; none at or above the knee)', role: 'reference', subject: 'server' },
        { key: 'csMeanFinite', label: 'Client-server: M/M/c/(c+K), waiting room K', role: 'reference', subject: 'server' },
        { key: 'csMeanSim', label: 'Client-server, simulated', role: 'simulated', subject: 'server' },
        { key: 'p2pMeanRef', label: 'P2P: lookup + M/M/1 per online peer (none if λ ≥ p·μ_p)', role: 'reference', subject: 'p2p' },
        { key: 'p2pMeanSim', label: 'P2P, simulated (Chord ring, every online peer)', role: 'simulated', subject: 'p2p' },
      ],
      note: 'Dashed lines are formulas; a formula has no points where its unlimited queue is unstable (arrivals at or above capacity have no steady state): Erlang C from the knee N* on, the P2P line at every N when λ ≥ p·μ_p (free riders). The P2P formula gives every online peer an equal share λ/p; on the simulated ring each peer serves the keys of its own arc, and a central index is one hop whose own queue is not simulated.',
    },
    {
      id: 'p95-response',
      title: '95th-percentile response time',
      x: { label: 'Number of clients N', scale: 'logarithmic', format: 'count' },
      y: { label: '95th percentile', scale: 'logarithmic', format: 'duration' },
      series: [
        { key: 'csP95Erlang', label: 'Client-server: M/M/c, unlimited queue (none at or above the knee)', role: 'reference', subject: 'server' },
        { key: 'csP95Sim', label: 'Client-server, simulated', role: 'simulated', subject: 'server' },
        { key: 'p2pP95Ref', label: 'P2P: lookup + M/M/1 per online peer (none if λ ≥ p·μ_p)', role: 'reference', subject: 'p2p' },
        { key: 'p2pP95Sim', label: 'P2P, simulated', role: 'simulated', subject: 'p2p' },
      ],
      note: 'Simulated percentiles carry no interval. A formula has no points where its unlimited queue is unstable (the server from the knee on; P2P when λ ≥ p·μ_p).',
    },
    {
      id: 'utilisation',
      title: 'Utilisation: offered load and time busy',
      x: { label: 'Number of clients N', scale: 'logarithmic', format: 'count' },
      y: { label: 'Utilisation (%)', scale: 'logarithmic' },
      series: [
        { key: 'csOffered', label: 'Server offered load Nλ/(cμ)', role: 'reference', subject: 'server' },
        { key: 'csBusySim', label: 'Server workers busy, simulated', role: 'simulated', subject: 'server' },
        { key: 'p2pOffered', label: 'Mean peer offered load λ/(p·μ_p)', role: 'reference', subject: 'p2p' },
        { key: 'p2pBusySim', label: 'Online peers busy, simulated', role: 'simulated', subject: 'p2p' },
      ],
      note: 'Offered load may exceed 100% (demand beyond capacity); the time busy cannot.',
    },
    {
      id: 'drops',
      title: 'Requests dropped (waiting room full)',
      x: { label: 'Number of clients N', scale: 'logarithmic', format: 'count' },
      y: { label: 'Dropped', scale: 'linear', beginAtZero: true, format: 'percent' },
      series: [
        { key: 'csDropRef', label: 'Client-server: M/M/c/(c+K) blocking', role: 'reference', subject: 'server' },
        { key: 'csDropSim', label: 'Client-server, simulated', role: 'simulated', subject: 'server' },
        { key: 'p2pDropRef', label: 'P2P: M/M/1/(1+K) blocking, equal share per peer', role: 'reference', subject: 'p2p' },
        { key: 'p2pDropSim', label: 'P2P, simulated', role: 'simulated', subject: 'p2p' },
      ],
      note: 'The P2P formula gives every peer the same load; on the simulated ring the peer with the largest arc is busier, so it can drop requests where the formula drops none.',
    },
  ],
  outputs: [
    { key: 'knee', label: 'Knee N* = cμ/λ, beyond which the server is busy all the time', format: 'number', unit: 'clients' },
    {
      key: 'crossover', label: 'First N at which P2P answers faster than the server (by the formulas)', format: 'number', unit: 'clients',
      missingWhen: 'when P2P’s formula is never faster up to the largest N: the server stays below its knee, its full waiting room caps its wait, the lookup is slow, or the peers are unstable (λ ≥ p·μ_p)',
    },
    { key: 'serverMean', label: 'Server mean response at the largest N (simulated)', format: 'duration', missingWhen: 'when the simulated server serves none of the counted requests (every one dropped, far above the knee)' },
    { key: 'serverDrops', label: 'Requests the server drops at the largest N (simulated)', format: 'percent' },
    { key: 'p2pMean', label: 'P2P mean response at the largest N (simulated)', format: 'duration', missingWhen: 'when no peer is online at the largest N (or none of the counted requests is served)' },
    { key: 'p2pLookup', label: 'P2P mean lookup delay at the largest N (simulated; part of its response)', format: 'duration', missingWhen: 'when no peer is online at the largest N' },
  ],
  method: {
    assumptions: [
      'Each client sends requests as a Poisson process of rate λ, whatever its earlier requests are doing (an open system), so N clients send Nλ requests per second in total.',
      'Service times are exponential. The server’s c workers share one first-come-first-served queue that holds at most K waiting requests, so at most c + K requests are in the system: M/M/c/(c+K) in Kendall’s notation, whose last letter counts every place. A request that finds the waiting room full is dropped.',
      'Response time is waiting plus service. The network round trip to the server or to the serving peer is the same on both sides and left out; only the P2P lookup is added.',
      'P2P: each of the N peers is online and serving with probability p (drawn once for each simulated size; if none is online, every request is dropped). Every online peer is simulated as a queue of its own, with one worker of rate μ_p and a waiting room of K; the departures of all of them share one heap, so an event costs O(log of the busy peers).',
      'The online peers form a Chord ring (random 32-bit ids). Each request asks for an item whose key is uniform on the ring and is served by the key’s successor, the peer that holds it (consistent hashing); so a peer serves the keys of its arc, and arcs are unequal. The requester is one of the N peers at random: if it is on the ring its lookup starts there, otherwise it first sends it to a ring node (one more hop). The lookup is routed greedily over the fingers, and the hops it takes, times the hop latency, are added to that request’s response.',
      'With a central index the lookup is one hop to the index, which answers with the holder; the index’s own queue is not simulated (it is taken as never busy; the lookup lab measures its load). The items are placed on the peers by the same ring.',
      'The simulation is event-driven. Every queue starts in its stationary state, drawn from its own M/M/c/(c+K) distribution (for a peer, with the arrival rate of its arc), so that a short run, a peer that sees few requests at large N, or a queue at the knee does not start empty and read low; the dynamics from there on are simulated. The first 10% of requests are not counted either; means and drop shares carry 95% intervals (Student t) from 20 batch means, and the busy share from 20 batches of time. Every size is a task of the run with its own seed derived from the run’s seed. The P2P sizes that weigh most in a run (the largest N: the most peers to set up, the longest routes) are split into up to 4 replications on independently drawn rings, each with its share of the requests and its own warm-up; their sums are pooled, the interval comes from all their batch means together (so it also carries the ring-to-ring variation), and the 95th percentile is the mean of theirs weighted by requests served. After the last arrival only the requests still in the system are followed until they leave; a peer’s line of requests present at time 0 ahead of one of them is served in one step, a Gamma(P, μ_p) time, the sum of their P exponential services. The server is simulated at 13 sizes spread on the log axis and at up to 13 more between N*/2 and 2N*, where its curves bend; P2P, whose load does not depend on N, at the 13 spread sizes.',
      'The network view plays a small run of this same simulation, recorded event by event from its own seed: the server with 24 of the N clients (all of them when N ≤ 24; each sends λ as set; the server keeps c and K, and each worker serves at μ × 24/N, so it carries the load of all N clients, on a slower clock), and about 40/p of the peers (at most 400, so about 40 online, fewer when p < 0.1) with the online ones on their Chord ring and every rate as set (a peer’s load λ/p does not depend on N; the ring is smaller, so lookups take fewer hops). Frames are fixed steps of simulated time; each shows the queues at the step’s end and the requests, lookup hops, drops and replies of the step.',
      'The dashed P2P lines use the expected number of online peers pN and give every online peer the same load λ/p; the simulated points use the peers actually drawn and their unequal arcs, which matters at small N and for the busiest peer. Near the knee the queue drifts slowly, so the intervals there are wide.',
    ],
    formulas: [
      { label: 'Offered load and the knee', tex: 'a = \\frac{N\\lambda}{\\mu},\\quad \\rho = \\frac{N\\lambda}{c\\mu} < 1 \\iff N < N^{*} = \\frac{c\\mu}{\\lambda}' },
      { label: 'Erlang C: probability of waiting', tex: 'C(c,a) = \\frac{\\frac{a^{c}}{c!}\\frac{c}{c-a}}{\\sum_{k=0}^{c-1}\\frac{a^{k}}{k!} + \\frac{a^{c}}{c!}\\frac{c}{c-a}}' },
      { label: 'M/M/c mean response time', tex: 'W = \\frac{C(c,a)}{c\\mu - N\\lambda} + \\frac{1}{\\mu}' },
      { label: 'M/M/c response-time tail (t₉₅ solves it = 0.05)', tex: 'P(T > t) = e^{-\\mu t} + C(c,a)\\,\\frac{\\mu\\left(e^{-\\mu t} - e^{-(c\\mu - N\\lambda) t}\\right)}{c\\mu - N\\lambda - \\mu}' },
      { label: 'Finite waiting room, M/M/c/(c+K)', tex: 'p_n \\propto \\begin{cases} a^{n}/n! & n \\le c \\\\ \\frac{a^{c}}{c!}\\left(\\frac{a}{c}\\right)^{n-c} & c < n \\le c+K \\end{cases},\\quad P_{drop} = p_{c+K},\\quad W = \\frac{\\sum_n n\\,p_n}{N\\lambda\\,(1 - P_{drop})}' },
      { label: 'P2P response time (equal share per peer)', tex: 'W_{p2p} = h\\,d_{hop} + \\frac{1}{\\mu_p - \\lambda/p},\\quad t_{95} = h\\,d_{hop} + \\frac{\\ln 20}{\\mu_p - \\lambda/p},\\quad h_{Chord} = (1-p) + \\tfrac12\\log_2 pN,\\ h_{index} = 1' },
    ],
    reference:
      'L. Kleinrock, Queueing Systems, Volume 1: Theory (Wiley, 1975), sections 3.2 (M/M/1), 3.5–3.7 (M/M/m, M/M/m/K); D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris, Fundamentals of Queueing Theory, 4th ed. (Wiley, 2008), section 2.3; I. Stoica et al., “Chord: A Scalable Peer-to-peer Lookup Service for Internet Applications”, SIGCOMM 2001 (consistent hashing, section 4; mean path ½·log₂ N, section 6).',
  },
  presets: [
    { id: 'knee', label: 'The knee: 4 workers, overloaded beyond 1,000 clients', values: { clients: 10000, requestRate: 0.1, workers: 4, serviceRate: 25, queueCapacity: 100 } },
    { id: 'big-server', label: 'A big server (64 workers): client growth barely matters up to 10,000', values: { clients: 10000, workers: 64, serviceRate: 25 } },
    { id: 'long-queue', label: 'A long queue (K = 5,000): overload shows as long delays before drops', values: { clients: 10000, queueCapacity: 5000 } },
    { id: 'slow-lookup', label: 'Slow lookups (500 ms per hop): P2P pays more in every request', values: { clients: 10000, hopLatency: 500 } },
    { id: 'free-riders', label: 'Free riders: 1% of peers serve, P2P is overloaded at every size', values: { clients: 10000, onlineShare: 0.01 } },
  ],
  // CPU time per unit of planned weight at the largest bench size (npm run bench checks it).
  msPerWeight: 3.5e-4,
} as const satisfies LabManifest;
