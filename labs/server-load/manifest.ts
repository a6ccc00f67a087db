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
    'N clients each send requests at rate λ. In client-server, one server with c workers of rate μ answers them all from a queue that holds at most K waiting requests; in peer-to-peer, every peer that is online also serves at its own rate, and each request first pays a lookup to find a peer. The lab grows N from 1 to the largest value you choose and charts the mean and 95th-percentile response time, the utilisation and the share of requests dropped. Dashed lines are the M/M/c (Erlang C) and finite-queue formulas; points are an event-driven simulation. Watch the knee N* = cμ/λ, where the server is busy all the time.',
  params: [
    { kind: 'integer', name: 'clients', label: 'Largest number of clients N', unit: 'clients', min: 1, max: 100000, step: 1, default: 10000, scale: 'log', help: 'The lab simulates 13 sizes from 1 up to this value, evenly spaced on a log scale.' },
    { kind: 'number', name: 'requestRate', label: 'Requests per client λ', unit: 'per second', min: 0.001, max: 100, step: 0.001, default: 0.1, scale: 'log' },
    { kind: 'integer', name: 'workers', label: 'Server workers c', unit: 'workers', min: 1, max: 256, step: 1, default: 4, scale: 'log', help: 'Threads, cores or machines behind one address, sharing one queue.' },
    { kind: 'number', name: 'serviceRate', label: 'Service rate per worker μ', unit: 'requests/s', min: 0.1, max: 10000, step: 0.1, default: 25, scale: 'log', help: 'The mean service time is 1/μ (25 per second is 40 ms).' },
    { kind: 'integer', name: 'queueCapacity', label: 'Waiting room K', unit: 'requests', min: 1, max: 10000, step: 1, default: 100, scale: 'log', help: 'Requests that find K others already waiting are dropped (a listen backlog is typically 128). Each peer has a waiting room of the same size.' },
    { kind: 'number', name: 'peerServiceRate', label: 'Service rate per peer μ_p', unit: 'requests/s', min: 0.01, max: 1000, step: 0.01, default: 5, scale: 'log', help: 'A home machine is usually slower than a server worker.' },
    { kind: 'number', name: 'onlineShare', label: 'Share of peers online and serving p', unit: '', min: 0.01, max: 1, step: 0.01, default: 0.5, help: 'The others still send requests but serve none (free riders, peers behind NAT or on battery).' },
    {
      kind: 'choice', name: 'lookup', label: 'How a peer finds another peer',
      options: [
        { value: 'chord', label: 'a DHT (Chord): ½·log₂(online peers) hops' },
        { value: 'index', label: 'a central index: 1 hop' },
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
      x: { label: 'Number of clients N', scale: 'logarithmic' },
      y: { label: 'Mean response time (s)', scale: 'logarithmic' },
      series: [
        { key: 'csMeanErlang', label: 'Client-server: M/M/c, unlimited queue (Erlang C)', role: 'reference' },
        { key: 'csMeanFinite', label: 'Client-server: M/M/c with waiting room K', role: 'reference' },
        { key: 'csMeanSim', label: 'Client-server, simulated', role: 'simulated' },
        { key: 'p2pMeanRef', label: 'P2P: lookup + M/M/1 per online peer', role: 'reference' },
        { key: 'p2pMeanSim', label: 'P2P, simulated', role: 'simulated' },
      ],
    },
    {
      id: 'p95-response',
      title: '95th-percentile response time',
      x: { label: 'Number of clients N', scale: 'logarithmic' },
      y: { label: '95th percentile (s)', scale: 'logarithmic' },
      series: [
        { key: 'csP95Erlang', label: 'Client-server: M/M/c, unlimited queue', role: 'reference' },
        { key: 'csP95Sim', label: 'Client-server, simulated', role: 'simulated' },
        { key: 'p2pP95Ref', label: 'P2P: lookup + M/M/1 per online peer', role: 'reference' },
        { key: 'p2pP95Sim', label: 'P2P, simulated', role: 'simulated' },
      ],
    },
    {
      id: 'utilisation',
      title: 'Utilisation: offered load and time busy',
      x: { label: 'Number of clients N', scale: 'logarithmic' },
      y: { label: 'Utilisation (%)', scale: 'logarithmic' },
      series: [
        { key: 'csOffered', label: 'Server offered load Nλ/(cμ)', role: 'reference' },
        { key: 'csBusySim', label: 'Server workers busy, simulated', role: 'simulated' },
        { key: 'p2pOffered', label: 'Peer offered load λ/(p·μ_p)', role: 'reference' },
        { key: 'p2pBusySim', label: 'Online peers busy, simulated', role: 'simulated' },
      ],
    },
    {
      id: 'drops',
      title: 'Requests dropped (waiting room full)',
      x: { label: 'Number of clients N', scale: 'logarithmic' },
      y: { label: 'Dropped (%)', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'csDropRef', label: 'Client-server: M/M/c/K blocking', role: 'reference' },
        { key: 'csDropSim', label: 'Client-server, simulated', role: 'simulated' },
        { key: 'p2pDropRef', label: 'P2P: M/M/1/K blocking per peer', role: 'reference' },
        { key: 'p2pDropSim', label: 'P2P, simulated', role: 'simulated' },
      ],
    },
  ],
  outputs: [
    { key: 'knee', label: 'Knee N* = cμ/λ, beyond which the server is busy all the time', format: 'number', unit: 'clients' },
    { key: 'crossover', label: 'First N at which P2P answers faster than the server (by the formulas)', format: 'number', unit: 'clients' },
    { key: 'serverMean', label: 'Server mean response at the largest N (simulated)', format: 'duration' },
    { key: 'serverDrops', label: 'Requests the server drops at the largest N (simulated)', format: 'percent' },
    { key: 'p2pMean', label: 'P2P mean response at the largest N (simulated)', format: 'duration' },
    { key: 'p2pLookup', label: 'P2P lookup delay at the largest N (part of its response)', format: 'duration' },
  ],
  method: {
    assumptions: [
      'Each client sends requests as a Poisson process of rate λ, whatever its earlier requests are doing (an open system), so N clients send Nλ requests per second in total.',
      'Service times are exponential. The server’s c workers share one first-come-first-served queue that holds at most K waiting requests; a request that finds it full is dropped.',
      'Response time is waiting plus service. The network round trip to the server or to the serving peer is the same on both sides and left out; only the P2P lookup is added.',
      'P2P: every peer sends requests at rate λ; each peer is online and serves with probability p (drawn once for each simulated size; if none is online, every request is dropped), each at rate μ_p with its own queue of K. A request is sent to a uniformly random online peer, so each online peer carries λ/p requests per second whatever N is.',
      'Random routing splits the Poisson stream of requests into independent Poisson streams, one per online peer, and every peer behaves alike; so the lab simulates up to 8 of the M online peers in full, each fed at rate Nλ/M. That keeps enough requests per peer for its queue to settle however large N is.',
      'The lookup costs its mean number of hops times the per-hop latency: ½·log₂ of the online peers for Chord (at least one hop), one hop for a central index (whose own load is left out; the lookup lab measures it).',
      'The simulation is event-driven (a heap of departure events). The first 10% of requests warm the queues up and are not counted; the mean’s 95% confidence interval uses 20 batch means. The dashed P2P lines use the expected number of online peers pN; simulated points use the peers actually drawn, which matters at small N. Right at the knee a queue needs far longer than any run to settle, so the simulated points there lie below the stationary formula.',
    ],
    formulas: [
      { label: 'Offered load and the knee', tex: 'a = \\frac{N\\lambda}{\\mu},\\quad \\rho = \\frac{N\\lambda}{c\\mu} < 1 \\iff N < N^{*} = \\frac{c\\mu}{\\lambda}' },
      { label: 'Erlang C: probability of waiting', tex: 'C(c,a) = \\frac{\\frac{a^{c}}{c!}\\frac{c}{c-a}}{\\sum_{k=0}^{c-1}\\frac{a^{k}}{k!} + \\frac{a^{c}}{c!}\\frac{c}{c-a}}' },
      { label: 'M/M/c mean response time', tex: 'W = \\frac{C(c,a)}{c\\mu - N\\lambda} + \\frac{1}{\\mu}' },
      { label: 'M/M/c response-time tail (t₉₅ solves it = 0.05)', tex: 'P(T > t) = e^{-\\mu t} + C(c,a)\\,\\frac{\\mu\\left(e^{-\\mu t} - e^{-(c\\mu - N\\lambda) t}\\right)}{c\\mu - N\\lambda - \\mu}' },
      { label: 'Finite waiting room (M/M/c/K)', tex: 'p_n \\propto \\begin{cases} a^{n}/n! & n \\le c \\\\ \\frac{a^{c}}{c!}\\left(\\frac{a}{c}\\right)^{n-c} & c < n \\le c+K \\end{cases},\\quad P_{drop} = p_{c+K},\\quad W = \\frac{\\sum_n n\\,p_n}{N\\lambda\\,(1 - P_{drop})}' },
      { label: 'P2P response time', tex: 'W_{p2p} = h\\,d_{hop} + \\frac{1}{\\mu_p - \\lambda/p},\\quad t_{95} = h\\,d_{hop} + \\frac{\\ln 20}{\\mu_p - \\lambda/p},\\quad h = \\max\\left(1, \\tfrac12\\log_2 pN\\right)' },
    ],
    reference:
      'L. Kleinrock, Queueing Systems, Volume 1: Theory (Wiley, 1975), sections 3.5–3.7 (M/M/m, M/M/m/K); D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris, Fundamentals of Queueing Theory, 4th ed. (Wiley, 2008), section 2.3; I. Stoica et al., “Chord: A Scalable Peer-to-peer Lookup Service for Internet Applications”, SIGCOMM 2001 (½·log₂ N hops).',
  },
  presets: [
    { id: 'knee', label: 'The knee: 4 workers, overloaded beyond 1,000 clients', values: { clients: 10000, requestRate: 0.1, workers: 4, serviceRate: 25, queueCapacity: 100 } },
    { id: 'big-server', label: 'A big server (64 workers): client growth barely matters up to 10,000', values: { clients: 10000, workers: 64, serviceRate: 25 } },
    { id: 'long-queue', label: 'A long queue (K = 5,000): overload shows as long delays before drops', values: { clients: 10000, queueCapacity: 5000 } },
    { id: 'slow-lookup', label: 'Slow lookups (500 ms per hop): P2P pays more in every request', values: { clients: 10000, hopLatency: 500 } },
    { id: 'free-riders', label: 'Free riders: 1% of peers serve, P2P is overloaded at every size', values: { clients: 10000, onlineShare: 0.01 } },
  ],
} as const satisfies LabManifest;
