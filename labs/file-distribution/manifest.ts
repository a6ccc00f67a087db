import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'file-distribution',
  title: 'File distribution: one server or a swarm',
  claims: [
    'When many customers make simultaneous service requests, a server may become overloaded.',
    'A server is not bottlenecked because services are distributed across multiple servers via a peer-to-peer network.',
    'As the number of peers in the system grows, it becomes less stable and scalable.',
  ],
  summary:
    'Distribute one file to N peers, either from a single server or from a swarm in which every peer re-uploads the chunks it already has. The dashed lines are the Kurose & Ross lower bounds; the points are a chunk-level simulation.',
  params: [
    { kind: 'integer', name: 'peers', label: 'Largest number of peers N', unit: 'peers', min: 1, max: 100000, step: 1, default: 1000, scale: 'log', help: 'The lab simulates nine N from 1 up to this value, every peer and every chunk at each.' },
    { kind: 'number', name: 'fileSize', label: 'File size F', unit: 'Gbit', min: 0.001, max: 1000, step: 0.001, default: 15 },
    { kind: 'number', name: 'serverUpload', label: 'Server upload rate u_s', unit: 'Mbit/s', min: 0.1, max: 100000, step: 0.1, default: 30, scale: 'log' },
    { kind: 'number', name: 'peerDownload', label: 'Peer download rate d', unit: 'Mbit/s', min: 0.01, max: 10000, step: 0.01, default: 2, scale: 'log' },
    { kind: 'number', name: 'peerUpload', label: 'Mean peer upload rate u', unit: 'Mbit/s', min: 0, max: 10000, step: 0.01, default: 0.7, help: 'Zero turns the swarm back into plain client-server.' },
    { kind: 'number', name: 'uploadSpread', label: 'Upload spread', unit: '±fraction of u', min: 0, max: 1, step: 0.05, default: 0, help: 'Each peer’s upload rate is drawn uniformly from u·(1 − spread) to u·(1 + spread).' },
    { kind: 'integer', name: 'chunks', label: 'Chunks per file', unit: 'chunks', min: 1, max: 256, step: 1, default: 100, help: 'More chunks let peers start re-uploading sooner.' },
    {
      kind: 'choice', name: 'afterDone', label: 'When a peer has the whole file',
      options: [
        { value: 'stay', label: 'it stays and keeps uploading (seeds)' },
        { value: 'leave', label: 'it leaves the swarm' },
      ],
      default: 'stay',
    },
  ],
  charts: [
    {
      id: 'time-vs-peers',
      title: 'Time to give every peer the whole file',
      x: { label: 'Number of peers N', scale: 'logarithmic', format: 'count' },
      y: { label: 'Distribution time', scale: 'logarithmic', format: 'duration' },
      series: [
        { key: 'csBound', label: 'Client-server bound', role: 'reference', subject: 'client-server' },
        { key: 'csSim', label: 'Client-server, simulated', role: 'simulated', subject: 'client-server', atLeast: 'csBound' },
        { key: 'p2pBound', label: 'P2P bound', role: 'reference', subject: 'swarm' },
        { key: 'p2pSim', label: 'P2P swarm, simulated', role: 'simulated', subject: 'swarm', atLeast: 'p2pBound' },
      ],
      note: 'Dashed: the Kurose & Ross lower bounds (at each simulated N, the P2P bound of the upload rates drawn there); swarm points: the mean of a few runs, with its 95% interval; client-server makes no random choice, so one run is exact.',
    },
    {
      id: 'completion',
      title: 'Share of peers that have the file, over time (largest N, one run)',
      x: { label: 'Time', scale: 'logarithmic', format: 'duration' },
      y: { label: 'Peers that have the file', scale: 'linear', beginAtZero: true, format: 'percent' },
      series: [
        { key: 'csDone', label: 'Client-server', role: 'simulated', markers: false, subject: 'client-server' },
        { key: 'p2pDone', label: 'P2P swarm', role: 'simulated', markers: false, subject: 'swarm' },
      ],
      note: 'The time axis is logarithmic, so a swarm that finishes in hours and a server that needs days both show their shape; the server shares its upload fairly, so its clients finish close together.',
    },
  ],
  outputs: [
    { key: 'crossover', label: 'The server is the bottleneck beyond N = u_s/d =', format: 'number', unit: 'peers' },
    { key: 'csTime', label: 'Client-server time at the largest N (simulated)', format: 'duration' },
    { key: 'p2pTime', label: 'P2P swarm time at the largest N (simulated)', format: 'duration' },
    { key: 'speedup', label: 'The swarm is faster by', format: 'number', unit: '×' },
    { key: 'p2pOverBound', label: 'The swarm takes its bound times', format: 'number', unit: '×' },
    {
      key: 'swarmGrowth',
      label: 'Swarm time grows as N to the power (last decade of N)',
      format: 'number',
      missingWhen: 'with a largest N of 1, where only one N is simulated',
    },
    {
      key: 'serverGrowth',
      label: 'Client-server time grows as N to the power (last decade of N)',
      format: 'number',
      missingWhen: 'with a largest N of 1, where only one N is simulated',
    },
    { key: 'p2pCeiling', label: 'The P2P bound never exceeds max(F/u_s, F/d, F/u) =', format: 'duration', missingWhen: 'when peers do not upload (u = 0)' },
  ],
  method: {
    assumptions: [
      'Only upload and download access rates limit transfers; the network core is not a bottleneck.',
      'The file is cut into equal chunks. A node can forward a chunk only after receiving all of it (store and forward), so a swarm needs about log₂ N chunk times to get going: with few chunks it stays well above its bound.',
      'Time advances in small steps. Each node earns its upload (each peer its download) rate times the step, and may carry at most one chunk beyond that, so no node ever moves more than its rate allows.',
      'Scheduling never idles a sender while some peer with download credit lacks a chunk it could send: the server serves peers in turn, fresh chunks first; each peer scans the peers that can still download for one that lacks a chunk it holds, and sends the rarer of two such chunks (when the peers could upload more than the others can take, each peer that can download first asks a few uploaders at random).',
      'Client-server is the same simulation with peers that never upload, so both sides share one engine.',
      'The swarm is run several times at each simulated N (five at the smallest, two at the largest) with independent seeds; points show the mean and its 95% interval. Client-server makes no random choice, so it is run once. At a simulated N the P2P bound is that of the upload rates drawn there, averaged over the runs; elsewhere it uses the mean rate.',
      'The network view replays the same simulation at a small scale: client-server and the swarm with min(N, 20) peers (their own seed, so the charts do not change) and every other parameter as set, on one clock. A frame is one simulation step, or several merged when the run is long or would draw too many lines; a line is a sender that sent chunks to a receiver in the frame, a bar the share of the chunks a peer holds.',
      '“Not bottlenecked” is tested by the growth exponent: the slope of log time against log N over the last decade of simulated N, at most 0.5 (no faster than √N). Behind a fixed bottleneck the exponent is 1.',
    ],
    formulas: [
      { label: 'Client-server', tex: 'D_{cs} \\ge \\max\\left(\\frac{N F}{u_s},\\ \\frac{F}{d_{min}}\\right)' },
      { label: 'Peer-to-peer', tex: 'D_{p2p} \\ge \\max\\left(\\frac{F}{u_s},\\ \\frac{F}{d_{min}},\\ \\frac{N F}{u_s + \\sum_{i=1}^{N} u_i}\\right)' },
    ],
    reference: 'J. F. Kurose and K. W. Ross, Computer Networking: A Top-Down Approach, section 2.5 (P2P file distribution) and problem P22.',
  },
  presets: [
    { id: 'textbook', label: 'Textbook: F = 15 Gbit, u_s = 30 Mbit/s, d = 2 Mbit/s, u = 700 kbit/s', values: { fileSize: 15, serverUpload: 30, peerDownload: 2, peerUpload: 0.7, peers: 1000 } },
    { id: 'free-riders', label: 'Free riders: peers that barely upload', values: { peerUpload: 0.05, peers: 1000 } },
    { id: 'leechers-leave', label: 'Peers leave as soon as they finish', values: { afterDone: 'leave', peerUpload: 0.7, peers: 1000 } },
    { id: 'leave-whole-file', label: 'Peers leave as soon as they finish, and the file is one piece', values: { afterDone: 'leave', peerUpload: 0.7, peers: 1000, chunks: 1 } },
    { id: 'big-server', label: 'A data-centre server (10 Gbit/s)', values: { serverUpload: 10000, peers: 1000 } },
  ],
  // CPU time per unit of planned weight at the largest bench size (npm run bench checks it).
  msPerWeight: 1.2e-4,
} as const satisfies LabManifest;
