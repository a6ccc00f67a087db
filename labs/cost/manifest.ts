import type { LabManifest } from '../kernel/manifest';

export const manifest = {
  id: 'cost',
  title: 'Cost: servers and bandwidth, or a swarm',
  claims: ['Compared to peer-to-peer, the client-server approach is more expensive to implement.'],
  summary:
    'Price one month of serving N users who each download D GB. Client-server rents enough servers for the busiest hour and pays egress for every byte. P2P pays a fixed engineering cost, trackers and a seed server, and egress only for the bytes its peers could not serve; peers serve more as the swarm grows. Edit the prices and see where the two cost lines cross. The dashed lines are the formulas; the points are simulated months of random hourly demand, with servers sized for the busiest hour that month.',
  params: [
    { kind: 'integer', name: 'maxUsers', label: 'Largest number of users N', unit: 'users', min: 10, max: 10000000, step: 1, default: 1000000, scale: 'log', help: 'The charts go from 1 user up to this value.' },
    { kind: 'number', name: 'downloadPerUser', label: 'Download per user D', unit: 'GB/month', min: 0.01, max: 1000, step: 0.01, default: 20, scale: 'log' },
    { kind: 'number', name: 'peakToMean', label: 'Peak-to-mean ratio of demand', unit: '×', min: 1, max: 12, step: 0.1, default: 3, help: 'Demand in the busiest hour of the day divided by the daily average. 1 means flat demand.' },
    { kind: 'number', name: 'dailySwing', label: 'Day-to-day swing of demand', unit: 'σ (log scale)', min: 0, max: 1, step: 0.01, default: 0.1, help: 'Simulation only: each day’s demand is multiplied by a random factor with mean 1. The formulas leave it out, so a swing makes the simulated busiest hour, and the fleet, larger.' },
    { kind: 'number', name: 'serverCapacity', label: 'Capacity of one server', unit: 'Mbit/s', min: 10, max: 100000, step: 10, default: 1000, scale: 'log' },
    { kind: 'number', name: 'serverPrice', label: 'Server price', unit: '$/month', min: 0, max: 10000, step: 1, default: 150 },
    { kind: 'number', name: 'egressPrice', label: 'Egress price', unit: '$/GB', min: 0, max: 1, step: 0.001, default: 0.05 },
    {
      kind: 'choice', name: 'billing', label: 'How servers are billed',
      options: [
        { value: 'peak', label: 'a fixed fleet sized for the month’s busiest hour' },
        { value: 'hourly', label: 'autoscaled: each hour pays for the servers it needs' },
      ],
      default: 'peak',
    },
    { kind: 'number', name: 'csBaseCost', label: 'Client-server fixed cost', unit: '$/month', min: 0, max: 100000, step: 10, default: 500, help: 'Operations, monitoring, a database: paid whatever N is.' },
    { kind: 'number', name: 'p2pFixedCost', label: 'P2P fixed cost (engineering and complexity)', unit: '$/month', min: 0, max: 100000, step: 10, default: 3000, help: 'Building and maintaining the P2P client, NAT traversal, integrity checks, spread over a month.' },
    { kind: 'number', name: 'trackerPrice', label: 'Tracker server price', unit: '$/month', min: 0, max: 10000, step: 1, default: 50 },
    { kind: 'integer', name: 'peersPerTracker', label: 'Online peers one tracker handles', unit: 'peers', min: 100, max: 10000000, step: 100, default: 100000, scale: 'log' },
    { kind: 'number', name: 'peerUpload', label: 'Peer upload rate u', unit: 'Mbit/s', min: 0, max: 100, step: 0.1, default: 5, help: 'What an online peer uploads to others. Zero turns P2P into client-server plus its fixed costs.' },
    { kind: 'number', name: 'peerAvailability', label: 'Peer availability a', unit: 'fraction of time online', min: 0, max: 1, step: 0.01, default: 0.1 },
    { kind: 'integer', name: 'swarms', label: 'Distinct items K (one swarm each)', unit: 'items', min: 1, max: 1000000, step: 1, default: 100, scale: 'log', help: 'Each peer holds a given item with probability 1/K, so a larger catalogue needs more users before every item has an online holder.' },
  ],
  charts: [
    {
      id: 'total-cost',
      title: 'Total cost per month',
      x: { label: 'Number of users N', scale: 'logarithmic' },
      y: { label: 'Cost ($/month)', scale: 'logarithmic' },
      series: [
        { key: 'csTotal', label: 'Client-server, formula', role: 'reference' },
        { key: 'csTotalSim', label: 'Client-server, simulated month', role: 'simulated' },
        { key: 'p2pTotal', label: 'P2P, formula', role: 'reference' },
        { key: 'p2pTotalSim', label: 'P2P, simulated month', role: 'simulated' },
      ],
    },
    {
      id: 'cost-per-user',
      title: 'Cost per user per month',
      x: { label: 'Number of users N', scale: 'logarithmic' },
      y: { label: 'Cost per user ($/month)', scale: 'logarithmic' },
      series: [
        { key: 'csPerUser', label: 'Client-server, formula', role: 'reference' },
        { key: 'csPerUserSim', label: 'Client-server, simulated month', role: 'simulated' },
        { key: 'p2pPerUser', label: 'P2P, formula', role: 'reference' },
        { key: 'p2pPerUserSim', label: 'P2P, simulated month', role: 'simulated' },
        { key: 'breakEven', label: 'Break-even N (empty when not on this chart)', role: 'reference' },
      ],
    },
    {
      id: 'peer-share',
      title: 'Share of the traffic that peers serve',
      x: { label: 'Number of users N', scale: 'logarithmic' },
      y: { label: 'Served by peers (%)', scale: 'linear', beginAtZero: true },
      series: [
        { key: 'peerShare', label: 'Formula', role: 'reference' },
        { key: 'peerShareSim', label: 'Simulated month', role: 'simulated' },
      ],
    },
  ],
  outputs: [
    { key: 'breakEven', label: 'P2P is no dearer than client-server from N =', format: 'count' },
    { key: 'shareAtBreakEven', label: 'Bytes served by peers at the break-even', format: 'percent' },
    { key: 'savingPerUser', label: 'Saving per extra user once the swarm has formed ($/month)', format: 'number' },
    { key: 'breakEvenEstimate', label: 'Estimate: P2P’s extra fixed cost ÷ saving per user =', format: 'number', unit: 'users' },
    { key: 'csCostAtMax', label: 'Client-server cost at the largest N ($/month)', format: 'number' },
    { key: 'p2pCostAtMax', label: 'P2P cost at the largest N ($/month)', format: 'number' },
  ],
  method: {
    assumptions: [
      'A month is 30 days of 24 hours. Each user downloads D GB a month in downloads of 1 GB; load is the hour’s bytes divided by 3600 s.',
      'Demand follows the same daily curve every day (a von Mises bump around 21:00), scaled so that the busiest hour is the chosen peak-to-mean ratio times the average. The simulation draws each hour’s number of downloads from a Poisson law around that curve, times a random day factor (log-normal, mean 1); the formulas use the curve itself.',
      'Client-server: a fixed cost, plus servers for the load (at least one), plus egress for every byte. With a fixed fleet the servers cover the busiest hour of the month; with autoscaling each hour pays for the servers that hour needs.',
      'P2P: a fixed engineering cost, trackers for the online peers (at least one), a seed server fleet sized like client-server’s but for the bytes peers do not serve (at least one server), and egress for those bytes only.',
      'Each user is online and uploading a fraction a of the time, independently of demand, and holds a given item with probability 1/K. A download is served by peers when at least one online peer holds its item, and only as far as the online peers’ total upload u allows that hour; the rest comes from the seed servers.',
      'Prices are flat: no volume discounts, no free tier, no cost of the peers’ own bandwidth, which the users pay for.',
      'The break-even N is the first number of users at which the P2P formula is no more than the client-server formula, found on a log grid and refined by bisection up to 10⁹ users.',
    ],
    formulas: [
      { label: 'Mean demand per user', tex: '\\bar r = \\frac{8000\\,D}{2\\,592\\,000\\ \\mathrm{s}}\\ \\text{Mbit/s},\\quad \\text{hour } h \\text{ of the day: } N \\bar r\\, w_h,\\ \\ \\tfrac{1}{24}\\textstyle\\sum_h w_h = 1,\\ \\max_h w_h = p' },
      { label: 'Client-server', tex: 'C_{cs}(N) = F_{cs} + P_s \\max\\!\\left(1, \\left\\lceil \\frac{p\\,N \\bar r}{c} \\right\\rceil\\right) + e\\,N D' },
      { label: 'Swarm coverage and peers’ share', tex: '\\varphi(N) = 1 - \\left(1 - \\frac{a}{K}\\right)^{N},\\qquad s(N) = \\frac{1}{24}\\sum_{h} \\min\\!\\left(\\varphi(N)\\, w_h,\\ \\frac{a u}{\\bar r}\\right)' },
      { label: 'Peer-to-peer', tex: 'C_{p2p}(N) = F_{p2p} + P_t \\max\\!\\left(1, \\left\\lceil \\frac{a N}{M_t} \\right\\rceil\\right) + P_s \\max\\!\\left(1, \\left\\lceil \\frac{N \\bar r \\max_h \\left(w_h - \\min(\\varphi w_h, a u / \\bar r)\\right)}{c} \\right\\rceil\\right) + e\\,(1 - s)\\,N D' },
      { label: 'Break-even', tex: 'N^{*} = \\min\\{N : C_{p2p}(N) \\le C_{cs}(N)\\} \\approx \\frac{F_{p2p} + P_t - F_{cs}}{e D s_\\infty + \\text{server cost saved per user}}' },
    ],
    reference: 'C. Huang, J. Li and K. W. Ross, “Can Internet Video-on-Demand Be Profitable?”, ACM SIGCOMM 2007 (peer-assisted delivery cuts server bandwidth cost); J. F. Kurose and K. W. Ross, Computer Networking: A Top-Down Approach, section 2.5 (the self-scalability of P2P distribution).',
  },
  presets: [
    { id: 'default-launcher', label: 'A game or video launcher: 20 GB per user, cloud egress $0.05/GB', values: { downloadPerUser: 20, egressPrice: 0.05, p2pFixedCost: 3000, maxUsers: 1000000 } },
    { id: 'small-user-base', label: 'A small user base (up to 1,000 users): client-server is cheaper', values: { maxUsers: 1000 } },
    { id: 'cheap-bandwidth', label: 'Cheap bandwidth: flat-rate hosting at $0.002/GB, light use (2 GB per user)', values: { egressPrice: 0.002, downloadPerUser: 2, maxUsers: 10000000 } },
    { id: 'reluctant-peers', label: 'Reluctant peers: online 2% of the time, uploading 0.5 Mbit/s, 10,000 items', values: { peerAvailability: 0.02, peerUpload: 0.5, swarms: 10000 } },
    { id: 'autoscaled-peaky', label: 'Peaky demand (8×) with autoscaled servers', values: { peakToMean: 8, billing: 'hourly' } },
  ],
} as const satisfies LabManifest;
