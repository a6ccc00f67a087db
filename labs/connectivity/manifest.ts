import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'connectivity',
  title: 'Connectivity: what holds a network together',
  claims: [
    'The importance of connectivity between peers is greater in the peer-to-peer architecture than it is in the client-server approach.',
  ],
  summary:
    'Remove nodes from a network, at random (failures) or best-connected first (an attack), and watch how much of it can still talk. Client-server is a star: one server linked to every client. Peer-to-peer is an overlay in which peers link to each other, either at random (Erdős–Rényi) or with a few well-connected hubs (scale-free, Barabási–Albert). The points are simulations on networks of up to a million nodes, averaged over independently drawn networks with 95% intervals; the dashed lines are theory for the same networks: generating functions of their own degree distributions (the configuration model) for the overlays, and the exact expectation for the star.',
  params: [
    {
      kind: 'choice', name: 'topology', label: 'Network shown in the first two charts',
      options: [
        { value: 'star', label: 'Client-server star (one server, N − 1 clients)' },
        { value: 'erdos-renyi', label: 'P2P overlay, random links (Erdős–Rényi)' },
        { value: 'scale-free', label: 'P2P overlay with hubs (scale-free, Barabási–Albert)' },
      ],
      default: 'scale-free',
    },
    {
      kind: 'choice', name: 'attack', label: 'How nodes are removed in the first two charts',
      options: [
        { value: 'random', label: 'random failures' },
        { value: 'targeted', label: 'targeted attack: highest degree first' },
      ],
      default: 'targeted',
    },
    { kind: 'integer', name: 'nodes', label: 'Number of nodes N', unit: 'nodes', min: 10, max: 1_000_000, step: 1, default: 100_000, scale: 'log', help: 'Servers, clients and peers all count as nodes. Each network drawn is a task of its own, and up to four are broken up side by side: a million nodes with 4 networks averaged takes a few seconds of computing, and 20 networks five times as much.' },
    { kind: 'number', name: 'meanDegree', label: 'Mean degree c of the random overlay', unit: 'links per peer', min: 0.1, max: 12, step: 0.1, default: 4, scale: 'log', help: 'Each pair of peers is linked with probability c/(N − 1). Below 1 the overlay falls apart into small islands.' },
    { kind: 'integer', name: 'links', label: 'Links m of each new peer in the scale-free overlay', unit: 'links', min: 1, max: 6, step: 1, default: 2, help: 'Its mean degree is about 2m; m = 2 matches c = 4. With m = 1 the overlay is a tree.' },
    { kind: 'integer', name: 'trials', label: 'Networks averaged', unit: 'networks', min: 1, max: 20, step: 1, default: 4, help: 'Each point is the mean over this many independently drawn networks and removal orders.' },
  ],
  charts: [
    {
      id: 'giant',
      title: 'Largest connected group, for the chosen network and removal',
      x: { label: 'Nodes removed', format: 'percent', scale: 'linear', beginAtZero: true },
      y: { label: 'Nodes in the largest group (% of N)', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'giantTheory', label: 'Theory for this network and removal', role: 'reference', subject: 'chosen-network' },
        { key: 'giantSim', label: 'Chosen network, simulated (mean of the networks, 95% interval)', role: 'simulated', subject: 'chosen-network' },
      ],
      note: 'Dashed: for an overlay, the configuration-model (generating-function) prediction from the simulated networks’ own degree distribution; it ignores the degree correlations of preferential attachment, so the scale-free overlay deviates from it (under attack it breaks a few points sooner than predicted); for the star, its exact expectation.',
    },
    {
      id: 'pairs',
      title: 'Pairs of nodes that can still reach each other',
      x: { label: 'Nodes removed', format: 'percent', scale: 'linear', beginAtZero: true },
      y: { label: 'Connected pairs (% of all N(N − 1) pairs)', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'pairsTheory', label: 'Theory for this network and removal', role: 'reference', subject: 'chosen-network' },
        { key: 'pairsSim', label: 'Chosen network, simulated (mean of the networks, 95% interval)', role: 'simulated', subject: 'chosen-network' },
      ],
      note: 'Dashed: for an overlay, the square of the configuration-model giant share (pairs outside the giant component are O(1/N)); for the star, its exact expectation.',
    },
    {
      id: 'random-failure',
      title: 'Every network under random failures: largest connected group',
      x: { label: 'Nodes removed', format: 'percent', scale: 'linear', beginAtZero: true },
      y: { label: 'Nodes in the largest group (% of N)', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'starRandomTheory', label: 'Star, expected: (1 − q)² + q/N', role: 'reference', subject: 'star' },
        { key: 'erRandomTheory', label: 'Erdős–Rényi, configuration-model theory', role: 'reference', subject: 'erdos-renyi' },
        { key: 'sfRandomTheory', label: 'Scale-free, configuration-model theory', role: 'reference', subject: 'scale-free' },
        { key: 'starRandom', label: 'Client-server star', role: 'simulated', subject: 'star' },
        { key: 'erRandom', label: 'Erdős–Rényi overlay', role: 'simulated', subject: 'erdos-renyi' },
        { key: 'sfRandom', label: 'Scale-free overlay', role: 'simulated', subject: 'scale-free' },
      ],
      note: 'Dashed lines are theory: the star’s exact expectation, and for each overlay the configuration-model prediction from its simulated degree distribution (degree correlations ignored). Each star is whole until its server fails, so its mean falls in steps with wide intervals.',
    },
    {
      id: 'targeted-attack',
      title: 'Every network under a targeted attack: largest connected group',
      x: { label: 'Nodes removed', format: 'percent', scale: 'linear', beginAtZero: true },
      y: { label: 'Nodes in the largest group (% of N)', format: 'percent', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'starTargetedTheory', label: 'Star, exact: 1/N after the server', role: 'reference', subject: 'star' },
        { key: 'erTargetedTheory', label: 'Erdős–Rényi, configuration-model theory', role: 'reference', subject: 'erdos-renyi' },
        { key: 'sfTargetedTheory', label: 'Scale-free, configuration-model theory', role: 'reference', subject: 'scale-free' },
        { key: 'starTargeted', label: 'Client-server star', role: 'simulated', subject: 'star' },
        { key: 'erTargeted', label: 'Erdős–Rényi overlay', role: 'simulated', subject: 'erdos-renyi' },
        { key: 'sfTargeted', label: 'Scale-free overlay', role: 'simulated', subject: 'scale-free' },
      ],
      note: 'Dashed lines are theory: for each overlay the configuration-model prediction with its highest degrees cut off; it ignores degree correlations, so the scale-free overlay breaks a few points sooner than its line; the star is exact.',
    },
  ],
  outputs: [
    { key: 'giantAt5', label: 'Largest connected group with 5% of the nodes removed (first chart)', format: 'percent' },
    { key: 'sfRandomBreak', label: 'Scale-free overlay, random failures: falls apart after removing', format: 'percent', missingWhen: 'when its largest group never drops below half of the survivors' },
    { key: 'sfTargetedBreak', label: 'Scale-free overlay, targeted attack: falls apart after removing', format: 'percent', missingWhen: 'when its largest group never drops below half of the survivors' },
    { key: 'sfRandomBreakTheory', label: 'Scale-free overlay, random failures: falls apart, by the configuration-model theory, after removing', format: 'percent', missingWhen: 'when the theory’s giant component never drops below half of the survivors' },
    { key: 'sfTargetedBreakTheory', label: 'Scale-free overlay, targeted attack: falls apart, by the configuration-model theory, after removing', format: 'percent', missingWhen: 'when the theory’s giant component never drops below half of the survivors' },
    { key: 'erRandomBreak', label: 'Random overlay, random failures: falls apart after removing', format: 'percent', missingWhen: 'when its largest group never drops below half of the survivors' },
    { key: 'erTargetedBreak', label: 'Random overlay, targeted attack: falls apart after removing', format: 'percent', missingWhen: 'when its largest group never drops below half of the survivors' },
    { key: 'randomThreshold', label: 'Random overlay’s giant component survives random failures up to 1 − 1/c =', format: 'percent', missingWhen: 'when c ≤ 1: there is no giant component to lose' },
  ],
  method: {
    assumptions: [
      'A node can talk to another if a path of working links joins them; the largest such group is the giant component.',
      'Client-server is a star: clients talk to each other only through the server, node 0.',
      'The random overlay links each pair of peers independently with probability p = c/(N − 1) (Erdős–Rényi G(N, p)), generated in O(N + E) by skipping geometric runs of absent pairs.',
      'The scale-free overlay grows by preferential attachment (Barabási–Albert): from a clique of m + 1 peers, each new peer links to m distinct earlier peers chosen in proportion to their degree. Its degrees follow a power law P(k) ∝ k⁻³ and its mean degree is about 2m.',
      'Random failure removes nodes in a uniformly random order; a targeted attack removes them by decreasing initial degree (ties in random order).',
      'All removal fractions are computed in one pass: nodes are added back in reverse removal order and components merged with a union-find (Newman and Ziff). Before the pass each network is relabelled by removal rank, keeping each link once, so that the pass reads its memory in order.',
      'The star needs no pass: its clients form one group exactly while the server is present, so each star’s curve follows from where its server falls in the removal order (a uniformly random place under random failure, first under attack).',
      'Each drawn network (one topology, one of the networks averaged) is drawn on its own seed and broken up under both removal orders; the page spreads these networks over up to four workers.',
      'The dashed lines for the overlays are the configuration-model theory (Molloy and Reed 1995; Callaway, Newman, Strogatz and Watts 2000): a random graph with exactly the degree distribution p_k measured on the simulated networks, N → ∞. For Erdős–Rényi p_k is Poisson and this is S = 1 − e^{−cS}. It ignores the degree correlations of preferential attachment, so for the scale-free overlay small deviations are expected, largest with m = 1 (a tree).',
      'Random failure keeps every node with probability φ = 1 − q; a targeted attack keeps the lowest degrees, φ_k = 1 below a cut-off degree and partly at it (Cohen, Erez, ben-Avraham and Havlin 2001).',
      'Each point is the mean over the networks drawn (each with its own removal order) with a 95% Student t interval, cut to [0, 100]%.',
      'The network view draws one network of the chosen kind scaled down to at most 120 nodes (with the mean degree or m as set), and for an overlay a client-server star of the same size beside it, losing nodes in the lab’s removal order at the charts’ sampled shares; its groups are those the lab’s own union-find finds. Its layout (a seeded force simulation) is for drawing only.',
    ],
    formulas: [
      { label: 'Erdős–Rényi giant component', tex: 'S = 1 - e^{-cS}, \\quad S > 0 \\iff c > 1' },
      { label: 'Random failure of a fraction q', tex: '\\frac{\\text{giant}}{N} = (1-q)\\,S_q, \\quad S_q = 1 - e^{-c(1-q)S_q}, \\quad \\text{giant} > 0 \\iff q < 1 - \\tfrac{1}{c}' },
      { label: 'Any degree distribution p_k, random failure (site occupation φ)', tex: 'S = \\varphi\\,(1 - G_0(u)), \\quad u = 1 - \\varphi + \\varphi\\, G_1(u), \\quad G_0(x) = \\sum_k p_k x^k, \\quad G_1(x) = \\frac{G_0\'(x)}{\\langle k \\rangle}' },
      { label: 'Targeted attack (keep the lowest degrees, fraction φ_k of degree k)', tex: 'u = 1 - F_1(1) + F_1(u), \\quad \\frac{\\text{giant}}{N} = F_0(1) - F_0(u), \\quad F_0(x) = \\sum_k p_k \\varphi_k x^k, \\quad F_1(x) = \\frac{1}{\\langle k \\rangle}\\sum_k k\\, p_k \\varphi_k x^{k-1}' },
      { label: 'Star under random failure (expected)', tex: '\\frac{\\text{giant}}{N} = (1-q)^2 + \\frac{q}{N} \\quad \\text{(the hub survives with probability } 1-q)' },
      { label: 'Pairs that can talk', tex: '\\frac{\\sum_i s_i (s_i - 1)}{N(N-1)} \\approx \\left(\\frac{\\text{giant}}{N}\\right)^2' },
    ],
    reference:
      'R. Albert, H. Jeong and A.-L. Barabási, “Error and attack tolerance of complex networks”, Nature 406, 378–382 (2000); D. S. Callaway, M. E. J. Newman, S. H. Strogatz and D. J. Watts, “Network robustness and fragility: percolation on random graphs”, Phys. Rev. Lett. 85, 5468 (2000); M. Molloy and B. Reed, “A critical point for random graphs with a given degree sequence”, Random Structures and Algorithms 6, 161–179 (1995); R. Cohen, K. Erez, D. ben-Avraham and S. Havlin, “Breakdown of the Internet under intentional attack”, Phys. Rev. Lett. 86, 3682 (2001); M. E. J. Newman and R. M. Ziff, Phys. Rev. Lett. 85, 4104 (2000).',
  },
  presets: [
    { id: 'server-down', label: 'Client-server: take out the server', values: { topology: 'star', attack: 'targeted' } },
    { id: 'peers-fail', label: 'P2P with hubs: peers fail at random', values: { topology: 'scale-free', attack: 'random', links: 2 } },
    { id: 'hubs-attacked', label: 'P2P with hubs: attack the best-connected peers', values: { topology: 'scale-free', attack: 'targeted', links: 2 } },
    { id: 'random-overlay', label: 'P2P with random links (c = 4): peers fail at random', values: { topology: 'erdos-renyi', attack: 'random', meanDegree: 4 } },
    { id: 'too-few-links', label: 'Too few links: random overlay with c = 0.8', values: { topology: 'erdos-renyi', attack: 'random', meanDegree: 0.8 } },
  ],
  // CPU time per unit of planned weight at the largest bench size (npm run bench checks it).
  msPerWeight: 130,
} as const satisfies LabManifest;
