import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'lookup',
  title: 'Finding an item: central index, flooding or a DHT',
  claims: [
    'As the number of peers in the system grows, it becomes less stable and scalable.',
    'Peer-to-peer is less scalable and unstable than the client-server architecture.',
  ],
  summary:
    'Find one item among N peers in three ways: ask a central index (client-server), flood the query with a TTL through a random overlay (early Gnutella), or route it through a distributed hash table (Chord). The lab builds overlays of up to 1,000,000 peers, runs hundreds of lookups at each size, and charts hops, messages, success rate, per-node state and load against N, with the published formulas as dashed lines.',
  params: [
    { kind: 'integer', name: 'peers', label: 'Largest number of peers N', unit: 'peers', min: 100, max: 1000000, step: 1, default: 100000, scale: 'log', help: 'The lab simulates 13 sizes from 16 peers up to this value.' },
    { kind: 'integer', name: 'lookups', label: 'Lookups per network size', unit: 'lookups', min: 100, max: 2000, step: 100, default: 1000, help: 'Chord runs all of them; flooding runs fewer (at least 50) when each flood would be very large.' },
    { kind: 'integer', name: 'degree', label: 'Flooding overlay degree d', unit: 'neighbours', min: 3, max: 16, step: 1, default: 4 },
    { kind: 'integer', name: 'ttl', label: 'Flooding TTL', unit: 'hops', min: 1, max: 10, step: 1, default: 5, help: 'A query is passed on at most this many hops from the peer that asks.' },
    { kind: 'integer', name: 'copies', label: 'Copies of the item r', unit: 'peers', min: 1, max: 1000, step: 1, default: 10, scale: 'log', help: 'The item is on r distinct random peers, drawn afresh for every lookup.' },
    { kind: 'number', name: 'queryRate', label: 'Lookups per peer λ', unit: 'per second', min: 0.001, max: 100, step: 0.001, default: 0.1, scale: 'log' },
    { kind: 'number', name: 'indexCapacity', label: 'Central index capacity', unit: 'lookups/s', min: 10, max: 10000000, step: 10, default: 5000, scale: 'log', help: 'How many lookups per second the one index machine can answer.' },
  ],
  charts: [
    {
      id: 'hops',
      title: 'Hops per lookup',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Hops', format: 'count', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'chordHops', label: 'Chord, simulated', role: 'simulated', subject: 'chord' },
        { key: 'chordHopsRef', label: 'Chord: (1/2) log2 N', role: 'reference', subject: 'chord' },
        { key: 'floodHops', label: 'Flooding: hops to the nearest copy (lookups that found it), simulated', role: 'simulated', subject: 'flooding' },
        { key: 'centralHops', label: 'Central index: 1 hop', role: 'reference', subject: 'index' },
      ],
      note: 'Simulated points are means over the lookups at each size, with 95% intervals. Dashed: formulas; the central index is not simulated, its one hop holds by design.',
    },
    {
      id: 'messages',
      title: 'Messages per lookup',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Messages', format: 'count', scale: 'logarithmic' },
      series: [
        { key: 'floodMessages', label: 'Flooding with the chosen TTL, simulated', role: 'simulated', subject: 'flooding' },
        { key: 'floodBound', label: 'Flooding bound: sum of d(d−1)^(h−1) for h = 1..TTL', role: 'reference', subject: 'flooding' },
        { key: 'floodToFind', label: 'Flooding with the smallest TTL that finds the item, simulated', role: 'simulated', subject: 'flooding, tuned TTL' },
        { key: 'chordMessages', label: 'Chord, simulated', role: 'simulated', subject: 'chord' },
        { key: 'centralMessages', label: 'Central index: 1 message', role: 'reference', subject: 'index' },
      ],
      note: 'Means with 95% intervals; where each flood is very large, fewer lookups are flooded (at least 50), so those intervals are wider. Dashed: formulas.',
    },
    {
      id: 'success-vs-peers',
      title: 'Lookups that find the item, with the chosen TTL',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Found', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'floodSuccess', label: 'Flooding, simulated', role: 'simulated', subject: 'flooding' },
        { key: 'floodSuccessRef', label: 'Flooding bound: 1 − P(no copy among the tree reach)', role: 'reference', subject: 'flooding' },
        { key: 'alwaysFound', label: 'Central index and Chord (no failures): 100%', role: 'reference', subject: 'index' },
      ],
      note: 'Flooding: share of lookups that found a copy, with 95% Wilson intervals. The dashed bound counts the most peers a flood can reach (a tree); the 100% line holds by design, since no node fails here.',
    },
    {
      id: 'success-vs-ttl',
      title: 'Flooding: lookups that find the item against TTL (largest N)',
      x: { label: 'TTL (hops)', format: 'count', scale: 'linear' },
      y: { label: 'Found', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'floodSuccessByTtl', label: 'Flooding, simulated', role: 'simulated', subject: 'flooding' },
        { key: 'floodSuccessByTtlRef', label: 'Bound: 1 − P(no copy among the tree reach)', role: 'reference', subject: 'flooding' },
      ],
      note: 'One set of floods at the largest N, each followed until it finds a copy, read at every TTL; 95% Wilson intervals.',
    },
    {
      id: 'state',
      title: 'Routing state per machine',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Entries kept', format: 'count', scale: 'logarithmic' },
      series: [
        { key: 'centralState', label: 'Central index: N entries', role: 'reference', subject: 'index' },
        { key: 'chordState', label: 'Chord: distinct fingers per node, simulated', role: 'simulated', subject: 'chord' },
        { key: 'chordStateRef', label: 'Chord: log2 N', role: 'reference', subject: 'chord' },
        { key: 'floodState', label: 'Flooding: neighbours per peer (mean degree), simulated', role: 'simulated', subject: 'flooding' },
      ],
      note: 'Chord: mean over 200 sampled nodes, with 95% intervals; flooding: the mean degree of the whole overlay (exact; where the floods are shared among several overlays, their mean). Dashed: formulas.',
    },
    {
      id: 'load',
      title: 'Lookup messages each machine handles per second',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Messages per second', scale: 'logarithmic' },
      series: [
        { key: 'centralLoad', label: 'Central index: N·λ', role: 'reference', subject: 'index' },
        { key: 'indexCapacityLine', label: 'Central index capacity', role: 'reference', subject: 'index capacity' },
        { key: 'floodLoad', label: 'Flooding, per peer: λ × messages per lookup', role: 'simulated', subject: 'flooding' },
        { key: 'chordLoad', label: 'Chord, per peer: λ × hops per lookup', role: 'simulated', subject: 'chord' },
      ],
      note: 'The central index’s load is the formula N·λ (the index is not simulated); the peers’ loads are λ times the simulated messages per lookup, spread evenly over the N peers.',
    },
  ],
  outputs: [
    { key: 'floodSuccess', label: 'Flooding lookups that find the item, at the largest N', format: 'percent' },
    { key: 'floodMessagesToFind', label: 'Messages a flood needs to find the item, at the largest N', format: 'number', unit: 'messages' },
    { key: 'floodCostGrowth', label: 'Growth factor of those messages over the last one or two decades of N', format: 'number', missingWhen: 'when the item is on every peer at every smaller size, so a flood there needs no message and there is nothing to grow from' },
    { key: 'chordHops', label: 'Chord hops per lookup, at the largest N', format: 'number', unit: 'hops' },
    { key: 'indexLoad', label: 'Lookups the central index receives at the largest N (N·λ)', format: 'number', unit: 'lookups/s' },
    { key: 'indexSaturation', label: 'The central index saturates from N = C/λ =', format: 'count' },
  ],
  method: {
    assumptions: [
      'Every peer holds a share of the items and looks items up at rate λ. Only the query messages are counted; the reply travels back once and is the same in all three designs.',
      'Central index: every peer registers its items with one index machine and asks it directly, so a lookup is one message, and the index receives all N·λ lookups per second.',
      'Flooding: a random overlay in which every peer has d neighbours (configuration model; the few self-loops and double links are dropped, so some peers have slightly fewer). A query goes to all neighbours; a peer that receives it for the first time passes it on, except back to the sender, until the TTL runs out; duplicates are sent and dropped. The flood does not stop at the first copy, as in Gnutella 0.4.',
      'The item is on r distinct peers, drawn at random for each lookup. “The smallest TTL that finds the item” is what a perfectly tuned flood (or expanding ring) would pay for that lookup.',
      'Chord: N distinct random 32-bit ids on a ring, sorted; key k belongs to the first node at or after k. Finger j of a node is the successor of id + 2^j. A lookup goes greedily to the closest finger that precedes the key, then to the key’s owner; each forward is one hop. Fingers are computed by binary search only at the nodes a lookup visits. No node fails or leaves (the churn lab covers that).',
      'Flooding runs as many lookups as asked, but never more than a work budget allows when every flood is very large, and never fewer than 50. At the largest sizes the floods are shared among a few overlays of that size, each drawn independently (so the run can be spread over several workers); every overlay is a draw of the same random graph, so the floods pooled are as valid a sample as floods on one overlay.',
      'The network view plays one lookup in each design, hop by hop on one clock, recorded from the lab’s own code with a seed of its own (the charts do not change): the central index on a star of 30 peers (query, answer with a holder’s address, fetch); a flood by the lab’s flooding code on its random overlay of 80 nodes with the degree and TTL as set and the copies at the same share of peers (at least one), drawn in rings of hops round the peer that asks; and a Chord lookup on a ring of 80 nodes, one finger per hop, then the answer with the owner’s address and the fetch.',
      'Every simulated mean is shown with its 95% confidence interval (mean ± 1.96 standard errors over the lookups of that size), and every share with its 95% Wilson interval. Chord at each size, and each share of the floods at each size, has its own seed, derived from the run’s seed.',
    ],
    formulas: [
      { label: 'Central index load', tex: 'L_{index} = N \\lambda, \\qquad \\text{saturated when } N > C/\\lambda' },
      { label: 'Flooding messages', tex: 'M(\\mathrm{TTL}) \\le \\sum_{h=1}^{\\mathrm{TTL}} d\\,(d-1)^{h-1} \\quad\\text{and}\\quad M \\le N d' },
      { label: 'Flooding success', tex: 'P_{found} = 1 - \\prod_{i=0}^{r-1} \\frac{N - R - i}{N - i}, \\qquad R \\le \\min\\!\\left(N,\\ 1 + \\sum_{h=1}^{\\mathrm{TTL}} d\\,(d-1)^{h-1}\\right)' },
      { label: 'Chord', tex: '\\bar{h} \\approx \\tfrac{1}{2}\\log_2 N, \\qquad \\text{state} \\approx \\log_2 N' },
    ],
    reference:
      'I. Stoica, R. Morris, D. Karger, M. F. Kaashoek and H. Balakrishnan, “Chord: A Scalable Peer-to-peer Lookup Service for Internet Applications”, ACM SIGCOMM 2001 (mean path length ½ log2 N); Q. Lv, P. Cao, E. Cohen, K. Li and S. Shenker, “Search and Replication in Unstructured Peer-to-Peer Networks”, ICS 2002 (flooding cost and replication).',
  },
  presets: [
    { id: 'gnutella-vs-chord', label: 'A rare item among 100,000 peers: flooding misses, Chord finds it', values: { peers: 100000, degree: 4, ttl: 5, copies: 10 } },
    { id: 'popular-item', label: 'A popular item (1,000 copies): a short flood is enough', values: { peers: 100000, degree: 4, ttl: 5, copies: 1000 } },
    { id: 'deep-flood', label: 'Flood deep enough to find it (TTL 10): messages explode', values: { peers: 100000, degree: 4, ttl: 10, copies: 10 } },
    { id: 'million-peers', label: 'A rare item among 1,000,000 peers: Chord still needs about 10 hops', values: { peers: 1000000, degree: 4, ttl: 5, copies: 10 } },
    { id: 'small-network', label: 'A small network (1,000 peers): every design works', values: { peers: 1000, degree: 4, ttl: 5, copies: 10 } },
    { id: 'big-index', label: 'A data-centre index (1,000,000 lookups/s): one hop, one machine', values: { peers: 100000, indexCapacity: 1000000 } },
  ],
  // CPU time per unit of planned weight at the largest bench size (npm run bench checks it).
  msPerWeight: 7.5e-6,
} as const satisfies LabManifest;
