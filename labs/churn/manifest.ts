import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'churn',
  title: 'Churn: peers come and go, servers fail and get repaired',
  claims: [
    'A client-server network is more stable and scalable than a peer-to-peer network.',
    'Client-server networks are more reliable and scalable than peer-to-peer networks.',
    'Peer-to-peer networks become less stable and scalable as the number of peers in the system grows.',
  ],
  summary:
    'N peers go online and offline, with session and off-times drawn from an exponential or a heavy-tailed (Pareto or Weibull) distribution. Each item is stored on k peers, with or without re-replication when a holder stays away. Compare how often an item can be reached with the formula 1 − (1 − p)^k, with one or r servers that fail and get repaired, and see what does grow with N: the overlay’s maintenance traffic.',
  params: [
    { kind: 'integer', name: 'peers', label: 'Number of peers N', unit: 'peers', min: 20, max: 100000, step: 1, default: 1000, scale: 'log', help: 'The lab also simulates smaller networks of n peers, for several n up to N, to compare availability and maintenance traffic. A run with 100,000 peers takes several seconds.' },
    {
      kind: 'choice', name: 'sessionDistribution', label: 'Session and off-time distribution',
      options: [
        { value: 'exponential', label: 'Exponential (memoryless)' },
        { value: 'pareto', label: 'Pareto (heavy tail)' },
        { value: 'weibull', label: 'Weibull (heavy tail when shape < 1)' },
      ],
      default: 'pareto',
    },
    { kind: 'number', name: 'shape', label: 'Shape (Pareto α or Weibull k)', unit: '', min: 0.2, max: 5, step: 0.05, default: 1.5, help: 'Ignored by the exponential. Pareto needs α > 1 for a finite mean, so values below 1.05 are raised to 1.05. Measured P2P sessions fit Weibull shapes of about 0.3–0.6.' },
    { kind: 'number', name: 'meanSession', label: 'Mean session (time online)', unit: 'h', min: 0.05, max: 1000, step: 0.01, default: 1, scale: 'log' },
    { kind: 'number', name: 'meanOff', label: 'Mean time offline', unit: 'h', min: 0.05, max: 1000, step: 0.01, default: 1, scale: 'log' },
    { kind: 'integer', name: 'replicas', label: 'Copies of each item k', unit: 'peers', min: 1, max: 20, step: 1, default: 5 },
    {
      kind: 'choice', name: 'repair', label: 'When a holder stays offline',
      options: [
        { value: 'none', label: 'No repair: wait for it to return' },
        { value: 'random', label: 'Re-replicate to a random online peer after the delay' },
        { value: 'oldest', label: 'Re-replicate to the longest-online of 8 sampled peers after the delay' },
      ],
      default: 'none',
    },
    { kind: 'number', name: 'repairDelay', label: 'Repair delay (timeout and copy)', unit: 'h', min: 0.01, max: 100, step: 0.01, default: 0.25, scale: 'log', help: 'How long a holder must be offline before its copy is re-created elsewhere.' },
    { kind: 'number', name: 'keepAlive', label: 'Keep-alive interval τ', unit: 's', min: 1, max: 3600, step: 1, default: 30, scale: 'log', help: 'Each online peer pings each of its log₂ m routing-table entries once per interval, m being the peers online in its overlay.' },
    { kind: 'number', name: 'serverMtbf', label: 'Server mean time between failures', unit: 'h', min: 1, max: 100000, step: 1, default: 500, scale: 'log' },
    { kind: 'number', name: 'serverMttr', label: 'Server mean time to repair', unit: 'h', min: 0.01, max: 1000, step: 0.01, default: 24, scale: 'log' },
    { kind: 'integer', name: 'serverReplicas', label: 'Replicated servers r', unit: 'servers', min: 1, max: 10, step: 1, default: 2, help: 'Independent servers holding the same data; the service is up while any one is.' },
  ],
  charts: [
    {
      id: 'availability-over-time',
      title: 'Items available and peers online over time',
      x: { label: 'Time in each run', format: 'duration', scale: 'linear', beginAtZero: true },
      y: { label: 'Share', format: 'percent', scale: 'linear' },
      series: [
        { key: 'itemsAvailableRef', label: 'Items available, formula 1 − (1 − p)^k (no repair)', role: 'reference', subject: 'item' },
        { key: 'itemsAvailable', label: 'Items available, simulated', role: 'simulated', subject: 'item', markers: false },
        { key: 'peersOnlineRef', label: 'Peers online, p', role: 'reference', subject: 'peers-online' },
        { key: 'peersOnline', label: 'Peers online, simulated', role: 'simulated', subject: 'peers-online', markers: false },
      ],
      note: 'Each point is the share in that time bin averaged over 6 independent runs, with its 95% interval across the runs: the items of one run share their holders’ history, so the runs, not the items, are the independent samples. The dashed line is the formula without repair.',
    },
    {
      id: 'availability-vs-copies',
      title: 'Item availability against the number of copies k',
      x: { label: 'Copies of the item k', format: 'count', scale: 'linear' },
      y: { label: 'Availability', format: 'percent', scale: 'linear' },
      series: [
        { key: 'copiesRef', label: 'Formula 1 − (1 − p)^k (no repair)', role: 'reference', subject: 'item' },
        { key: 'copiesSim', label: 'Simulated', role: 'simulated', subject: 'item' },
      ],
      note: 'Simulated: the time average over 6 independent runs, with a 95% interval across runs. The dashed formula assumes no repair.',
    },
    {
      id: 'maintenance-vs-peers',
      title: 'Overlay maintenance traffic against N',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Messages per second', scale: 'logarithmic' },
      series: [
        { key: 'maintenanceRef', label: 'Whole overlay, formula', role: 'reference', subject: 'overlay' },
        { key: 'maintenanceSim', label: 'Whole overlay, counted', role: 'simulated', subject: 'overlay' },
        { key: 'maintenancePerPeerRef', label: 'Per peer, formula', role: 'reference', subject: 'overlay-per-peer' },
        { key: 'maintenancePerPeerSim', label: 'Per peer, counted', role: 'simulated', subject: 'overlay-per-peer' },
      ],
      note: 'Messages are counted as peers join, leave and ping, in rings of the peers actually online; the cost of one join or leave, (log₂ m)² messages in a ring of m, is Chord’s bound (Stoica et al. 2001) standing in for a protocol run. Dashed: the same costs at the average ring size pN.',
    },
    {
      id: 'availability-vs-peers',
      title: 'Availability against N: servers and an item on k peers',
      x: { label: 'Number of peers N', format: 'count', scale: 'logarithmic' },
      y: { label: 'Availability', format: 'percent', scale: 'linear' },
      series: [
        { key: 'serverSingle', label: 'One server, MTBF/(MTBF + MTTR)', role: 'reference', subject: 'server' },
        { key: 'serverReplicated', label: 'r servers, 1 − (1 − A)^r', role: 'reference', subject: 'replicated-servers' },
        { key: 'peersRef', label: 'Item on k peers, formula (no repair)', role: 'reference', subject: 'item' },
        { key: 'peersSim', label: 'Item on k peers, simulated', role: 'simulated', subject: 'item' },
      ],
      note: 'The servers are formulas, not simulated: MTBF/(MTBF + MTTR) holds whatever the distributions of up and repair times. The item is simulated, with 95% intervals across 6 independent runs.',
    },
  ],
  outputs: [
    { key: 'itemAvailability', label: 'Item on k of the N peers available (simulated)', format: 'percent' },
    { key: 'itemFormula', label: 'Formula 1 − (1 − p)^k, without repair', format: 'percent' },
    { key: 'smallestAvailability', label: 'Item on k peers available in the smallest networks (simulated)', format: 'percent', missingWhen: 'when the N peers are already the smallest network simulated (N ≤ max(k, 10))' },
    { key: 'serverAvailability', label: 'One server up, MTBF/(MTBF + MTTR)', format: 'percent' },
    { key: 'copiesNeeded', label: 'Copies without repair that match the best server setup', format: 'count', missingWhen: 'when no number of copies reaches the servers (their availability rounds to 100%, or peers are never online)' },
    { key: 'maintenance', label: 'Overlay maintenance traffic with all N peers (counted)', format: 'number', unit: 'messages/s' },
    { key: 'maintenancePerPeer', label: 'Maintenance traffic per peer with all N peers (counted)', format: 'number', unit: 'messages/s' },
    { key: 'repairsPerDay', label: 'Copies re-created per item per day (k copies on all N peers)', format: 'number', unit: 'copies/day' },
  ],
  method: {
    assumptions: [
      'Each peer alternates between online sessions and offline periods, independently of the others. Sessions and off-times are drawn from the chosen distribution with the chosen means and shape. A peer that goes offline keeps what it stores and brings it back.',
      'Each run starts in the long-run state: each peer is online with probability p, and the time left in its current period follows the equilibrium (length-biased) distribution, so there is no warm-up transient. The lab makes 6 independent runs of 25 mean on/off cycles each, for the N peers and for every smaller network size; the 95% intervals are Student t intervals across the runs.',
      'Items are stored on k distinct peers picked at random. An item is available while at least one of its holders is online. Each number of copies k has its own items on all N peers, and all these items share the same peers. Each smaller network size n is simulated on its own (its own runs and seeds): as many networks of n peers side by side as fit in min(N, 1,000) peers, at least one; each item lives in one of them, and its repairs stay inside it.',
      'With repair, a holder that has been offline for the repair delay loses its place: the item is copied from an online holder to an online peer that lacks it (random, or the longest-online of 8 sampled), so each item keeps exactly k copies. The delay covers detecting the departure and copying. With no online holder, the copy waits for one to return. Copies start on peers chosen at random, so with heavy-tailed sessions part of each run’s repairs move copies onto the long-lived peers where they then stay; the repair counts include that start.',
      'Maintenance traffic is counted message by message: every network of every size n is an overlay, a Chord-like ring of its m peers online at the moment. A peer that joins builds a table of log₂ m entries and pings each once every τ seconds while online (its pings are counted at the end of its session, from a random timer phase); each join or leave costs (log₂ m)² messages, Chord’s O(log² N) bound for re-establishing the finger tables (Stoica et al. 2001). The per-event costs are that bound, not a run of the join protocol.',
      'A server alternates between up periods (mean MTBF) and repairs (mean MTTR), so it is up MTBF/(MTBF + MTTR) of the time whatever the distributions; r servers fail independently. In the charts the server side is this formula, not simulated. Overload is left out here; the server-load lab treats it.',
      'The network view replays a small copy of the same simulation, recorded as it ran: 36 of the N peers (all of them when N ≤ 36) on a ring, 4 items with the k copies as set, every other parameter as set, over 8 mean on/off cycles read at 241 evenly spaced times; a repair copy is drawn from an online holder to the new one. Beside it, the r servers are simulated on the same clock with exponential up and repair times of means MTBF and MTTR. It has its own seed, so it does not change the charts.',
    ],
    formulas: [
      { label: 'Share of time a peer is online', tex: 'p = \\frac{E[\\text{on}]}{E[\\text{on}] + E[\\text{off}]}' },
      { label: 'Item on k independent peers', tex: 'A_{p2p} = 1 - (1 - p)^k' },
      { label: 'Server, and r independent servers', tex: 'A = \\frac{\\mathrm{MTBF}}{\\mathrm{MTBF} + \\mathrm{MTTR}}, \\qquad A_r = 1 - (1 - A)^r' },
      { label: 'Means of the session distributions', tex: 'E[X] = \\frac{1}{\\lambda}, \\qquad E[X] = \\frac{\\alpha x_m}{\\alpha - 1}\\ (\\alpha > 1), \\qquad E[X] = \\lambda\\, \\Gamma\\!\\left(1 + \\tfrac{1}{k}\\right)' },
      { label: 'Expected time left in a session that has lasted a', tex: 'E[X - a \\mid X > a] = \\frac{\\int_a^\\infty S(x)\\,dx}{S(a)}' },
      { label: 'Maintenance messages per second, with m = pN peers online', tex: 'M(N) = \\frac{m \\log_2 m}{\\tau} + \\frac{2N (\\log_2 m)^2}{E[\\text{on}] + E[\\text{off}]}' },
    ],
    reference:
      'R. Bhagwan, S. Savage and G. M. Voelker, “Understanding Availability”, IPTPS 2003; I. Stoica, R. Morris, D. Karger, M. F. Kaashoek and H. Balakrishnan, “Chord: A Scalable Peer-to-peer Lookup Service for Internet Applications”, SIGCOMM 2001; C. Blake and R. Rodrigues, “High Availability, Scalable Storage, Dynamic Peer Networks: Pick Two”, HotOS 2003; D. Stutzbach and R. Rejaie, “Understanding Churn in Peer-to-Peer Networks”, IMC 2006.',
  },
  presets: [
    { id: 'five-copies-vs-server', label: 'Five copies on peers online half the time, against one small server', values: { replicas: 5, meanSession: 1, meanOff: 1, serverMtbf: 500, serverMttr: 24, serverReplicas: 1 } },
    { id: 'memoryless', label: 'Memoryless (exponential) sessions', values: { sessionDistribution: 'exponential' } },
    { id: 'measured-weibull', label: 'Measured-style Weibull sessions (shape 0.5), re-replicated to long-lived peers', values: { sessionDistribution: 'weibull', shape: 0.5, repair: 'oldest', replicas: 3 } },
    { id: 'rarely-online', label: 'Peers online 20% of the time, with re-replication', values: { meanSession: 1, meanOff: 4, repair: 'random', replicas: 5 } },
    { id: 'large-network', label: 'Ten thousand peers', values: { peers: 10000 } },
  ],
  // CPU time per unit of planned weight at the largest bench size (npm run bench checks it).
  msPerWeight: 6.8e-3,
} as const satisfies LabManifest;
