import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'security',
  title: 'Security: one guarded server or many untrusted peers',
  claims: [
    "A Client-Server network is secure because the server can validate a client's access to any network area.",
    "As the number of peers increases, the network's security deteriorates, and its vulnerability grows.",
  ],
  summary:
    'Put an attacker inside a peer-to-peer network, either as a fixed share f of the peers or as Sybil identities bought with a fixed budget, and watch lookups that must pass h untrusted peers on r independent routes, and downloads of a file cut into m chunks with and without hash checks. Beside it stands a server that checks every client’s access but can itself be breached, exposing all of its clients at once. The dashed lines are the closed forms; the points are a Monte-Carlo simulation with the seed you choose.',
  params: [
    { kind: 'integer', name: 'peers', label: 'Largest number of honest peers or clients N', unit: 'nodes', min: 100, max: 1_000_000, step: 1, default: 10_000, scale: 'log', help: 'The risk-against-N chart runs from 10 up to this value; the charts against f use this N.' },
    { kind: 'number', name: 'maliciousFraction', label: 'Malicious share of peers f', unit: 'fraction', min: 0, max: 0.5, step: 0.005, default: 0.1, help: 'An attacker who holds a fixed share of the network, whatever its size (e.g. a botnet that infects a constant share of machines).' },
    {
      kind: 'choice', name: 'hopModel', label: 'Hops a lookup takes',
      options: [
        { value: 'dht', label: 'grow with N, as in Chord: h = ⌈½ log₂ N⌉' },
        { value: 'fixed', label: 'a fixed number h (set below)' },
      ],
      default: 'dht',
    },
    { kind: 'integer', name: 'hops', label: 'Fixed hops per lookup h', unit: 'hops', min: 1, max: 40, step: 1, default: 6, help: 'Used only when the hops are fixed.' },
    { kind: 'integer', name: 'routes', label: 'Independent routes per lookup r', unit: 'routes', min: 1, max: 16, step: 1, default: 4, help: 'A lookup succeeds when at least one route avoids every malicious peer.' },
    { kind: 'integer', name: 'chunks', label: 'Chunks per file m', unit: 'chunks', min: 1, max: 1000, step: 1, default: 100, scale: 'log' },
    { kind: 'number', name: 'sybilBudget', label: 'Attacker budget for Sybil identities B', unit: '$', min: 1, max: 10_000_000, step: 1, default: 10_000, scale: 'log' },
    { kind: 'number', name: 'identityCost', label: 'Cost of one identity c', unit: '$', min: 0.01, max: 100_000, step: 0.01, default: 10, scale: 'log', help: 'What it takes to run one more peer: a machine, an IP address, a solved puzzle, a verified account.' },
    { kind: 'number', name: 'serverCompromise', label: 'Chance the server is breached in a year p_c', unit: 'per year', min: 0, max: 1, step: 0.001, default: 0.05 },
    { kind: 'number', name: 'unauthorizedAccess', label: 'Chance a client’s data is reached without permission, unchecked p_u', unit: 'per client per year', min: 0, max: 1, step: 0.001, default: 0.1 },
    {
      kind: 'choice', name: 'accessChecks', label: 'Server checks every client’s access',
      options: [
        { value: 'on', label: 'on' },
        { value: 'off', label: 'off' },
      ],
      default: 'on',
    },
    { kind: 'number', name: 'checkBlockRate', label: 'Share of unauthorised attempts the checks stop', unit: 'fraction', min: 0, max: 1, step: 0.001, default: 0.99 },
    { kind: 'integer', name: 'trials', label: 'Lookups and downloads simulated per point', unit: 'trials', min: 100, max: 20_000, step: 100, default: 5_000, scale: 'log', help: 'More trials shrink the sampling error, which is about √(p(1−p)/trials). Downloads per point are capped at 2 million chunk fetches (2,000 downloads of 1,000 chunks).' },
  ],
  charts: [
    {
      id: 'lookup-vs-fraction',
      title: 'Lookups that reach the right node, against the malicious share f',
      x: { label: 'Malicious share of peers f', scale: 'linear', beginAtZero: true },
      y: { label: 'Lookups that succeed (%)', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'oneRouteRef', label: 'One route: (1 − f)^h', role: 'reference' },
        { key: 'oneRouteSim', label: 'One route, simulated', role: 'simulated' },
        { key: 'manyRoutesRef', label: 'r routes: 1 − (1 − (1 − f)^h)^r', role: 'reference' },
        { key: 'manyRoutesSim', label: 'r routes, simulated', role: 'simulated' },
      ],
    },
    {
      id: 'pollution-vs-fraction',
      title: 'Downloads that end with a corrupted file, against f',
      x: { label: 'Malicious share of peers f', scale: 'logarithmic' },
      y: { label: 'Polluted downloads (%)', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'noHashRef', label: 'No hash checks: 1 − (1 − f)^m', role: 'reference' },
        { key: 'noHashSim', label: 'No hash checks, simulated', role: 'simulated' },
        { key: 'hashRef', label: 'Hash checks: 0', role: 'reference' },
        { key: 'hashSim', label: 'Hash checks, simulated', role: 'simulated' },
      ],
    },
    {
      id: 'hash-cost-vs-fraction',
      title: 'What hash checks cost: chunks fetched again per download',
      x: { label: 'Malicious share of peers f', scale: 'logarithmic' },
      y: { label: 'Extra chunk fetches per download', scale: 'logarithmic' },
      series: [
        { key: 'refetchRef', label: 'm·f / (1 − f)', role: 'reference' },
        { key: 'refetchSim', label: 'Simulated', role: 'simulated' },
      ],
    },
    {
      id: 'risk-vs-size',
      title: 'Chance an attack succeeds, against the size of the network',
      x: { label: 'Honest peers or clients N', scale: 'logarithmic' },
      y: { label: 'Chance of a successful attack (%)', scale: 'logarithmic' },
      series: [
        { key: 'serverRef', label: 'Client-server: a client’s data exposed in a year', role: 'reference' },
        { key: 'fixedShareRef', label: 'P2P, attacker holds share f: a lookup subverted', role: 'reference' },
        { key: 'fixedShareSim', label: 'P2P, share f, simulated', role: 'simulated' },
        { key: 'sybilRef', label: 'P2P, fixed Sybil budget: a lookup subverted', role: 'reference' },
        { key: 'sybilSim', label: 'P2P, fixed Sybil budget, simulated', role: 'simulated' },
      ],
    },
  ],
  outputs: [
    { key: 'oneRouteSuccess', label: 'Lookups that succeed on one route, at share f (formula)', format: 'percent' },
    { key: 'manyRoutesSuccess', label: 'Lookups that succeed on r routes, at share f (formula)', format: 'percent' },
    { key: 'sybilRiskLargest', label: 'Lookups the fixed Sybil budget subverts, at the largest N (formula)', format: 'percent' },
    { key: 'fixedShareRiskLargest', label: 'Lookups an attacker with share f subverts, at the largest N (formula)', format: 'percent' },
    { key: 'hashRefetches', label: 'Extra fetches per download with hash checks, at share f (formula)', format: 'number', unit: 'chunks' },
    { key: 'clientExposure', label: 'Client-server: a client’s yearly chance of exposure', format: 'percent' },
  ],
  method: {
    assumptions: [
      'Every hop of a lookup lands on a node drawn uniformly at random from all nodes, honest or malicious. A malicious node on a route drops or misdirects the lookup, so a route succeeds only if all h of its hops are honest.',
      'The r routes of a lookup are independent (disjoint), and the querier can tell a correct answer from a wrong one, as in secure routing with redundant routes; the lookup succeeds if any route does.',
      'With a fixed share f, the simulation places round(f·N) malicious nodes among N. With a Sybil budget B, the attacker adds ⌊B/c⌋ identities to the N honest peers; routes then cross N + ⌊B/c⌋ nodes.',
      'A download fetches each of its m chunks from a random node. A malicious node serves forged bytes. Without checks the forged chunk is kept; with checks its hash is compared with the one in trusted metadata (as in a .torrent file) and the chunk is fetched again from another random node. The downloader does not remember bad nodes, which makes the cost an upper bound.',
      'The server checks every request: an unauthorised attempt on a client’s data succeeds with probability p_u without checks and p_u·(1 − block rate) with them. A breach of the server itself, with probability p_c a year, exposes every client at once.',
      'The client-server line is a yearly chance per client and the P2P lines a chance per lookup: the chart compares how each changes with N, not their levels.',
    ],
    formulas: [
      { label: 'Lookup over h hops, one route', tex: 'P_1 = (1-f)^h' },
      { label: 'Lookup with r independent routes', tex: 'P_r = 1 - \\left(1 - (1-f)^h\\right)^r' },
      { label: 'Hops in a Chord ring of n nodes', tex: 'h = \\left\\lceil \\tfrac{1}{2}\\log_2 n \\right\\rceil' },
      { label: 'Malicious share with a Sybil budget', tex: 'f_S(N) = \\frac{S}{N + S},\\quad S = \\lfloor B / c \\rfloor' },
      { label: 'Polluted download without hash checks', tex: 'P_{\\text{polluted}} = 1 - (1-f)^m' },
      { label: 'Extra fetches with hash checks', tex: 'E[\\text{refetches}] = \\frac{m f}{1-f}' },
      { label: 'Client-server exposure', tex: 'P_{\\text{client}} = p_c + (1-p_c)\\,p_u\\,(1-b),\\qquad E[\\text{clients exposed}] = N\\,P_{\\text{client}}' },
    ],
    reference:
      'M. Castro, P. Druschel, A. Ganesh, A. Rowstron and D. S. Wallach, “Secure routing for structured peer-to-peer overlay networks”, OSDI 2002; J. R. Douceur, “The Sybil Attack”, IPTPS 2002; I. Stoica et al., “Chord: A scalable peer-to-peer lookup service for Internet applications”, SIGCOMM 2001.',
  },
  presets: [
    { id: 'fixed-budget', label: 'An attacker with $10,000 at $10 per identity, in a network of 100,000: its share falls as N grows', values: { sybilBudget: 10_000, identityCost: 10, peers: 100_000 } },
    { id: 'free-identities', label: 'Identities cost almost nothing: the Sybils outnumber everyone', values: { sybilBudget: 10_000, identityCost: 0.01, peers: 10_000 } },
    { id: 'single-route', label: 'No redundancy: one route per lookup', values: { routes: 1, maliciousFraction: 0.1 } },
    { id: 'unchecked-server', label: 'A server that does not check access', values: { accessChecks: 'off', serverCompromise: 0.05 } },
    { id: 'hardened-server', label: 'A well-defended server: checks on, 0.1% breach chance a year', values: { accessChecks: 'on', serverCompromise: 0.001 } },
  ],
} as const satisfies LabManifest;
