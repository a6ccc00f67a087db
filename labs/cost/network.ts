/**
 * The cost lab's network view: one day of a month simulated by the lab's own simulateMonth at
 * the reader's N, heard hour by hour through a MonthLog, drawn as a random sample of 30 users
 * (their downloads and online hours are the run's, thinned to the sample) round the servers
 * the run provisioned. The words state the whole run's numbers; the picture, its sample.
 */
import { formatCount, plural } from '../kernel/format';
import type { Random } from '../kernel/random';
import { TraceRecorder, ringLayout, type LegendEntry, type NetworkTrace } from '../kernel/trace';
import type { CostSetup, SimulatedMonth } from './model';

/** One simulated hour, as simulateMonth computed it. Loads in Mbit/s, bytes in GB (one download is 1 GB). */
export interface HourRecord {
  day: number;
  hour: number;
  downloads: number;
  online: number;
  /** Downloads that found an online peer holding their item. */
  found: number;
  /** GB served by peers (found downloads, capped by the online peers' upload), and by the origin. */
  peerGB: number;
  originGB: number;
  csLoad: number;
  originLoad: number;
  /** Servers this hour's load needs (at least one), client-server and seed. */
  csServersNeeded: number;
  seedServersNeeded: number;
}

/** Hears simulateMonth's hours; it draws no random numbers and changes nothing. */
export interface MonthObserver {
  hour(record: HourRecord): void;
}

/** Keeps every hour of a month, in order. */
export class MonthLog implements MonthObserver {
  readonly hours: HourRecord[] = [];
  hour(record: HourRecord): void {
    this.hours.push(record);
  }
}

export const HOURS_IN_MONTH = 720;

export interface HourCosts {
  csEgress: number;
  p2pEgress: number;
  /** Everything the hour costs: its egress plus its share of the month's rent and fixed costs. */
  clientServer: number;
  peerToPeer: number;
}

/**
 * What an hour costs: its own egress, plus 1/720 of the fixed costs, trackers and (billed for
 * the peak) the month's fleet, or (billed hourly) the servers this hour rents. Summed over the
 * month's 720 hours this is the month's total, as simulateMonth bills it.
 */
export function hourCosts(record: HourRecord, setup: CostSetup, month: SimulatedMonth): HourCosts {
  const hourly = setup.billing === 'hourly';
  const csServers = hourly ? record.csServersNeeded : month.clientServer.servers;
  const seeds = hourly ? record.seedServersNeeded : month.peerToPeer.seeds;
  const csEgress = (record.peerGB + record.originGB) * setup.egressPrice;
  const p2pEgress = record.originGB * setup.egressPrice;
  return {
    csEgress,
    p2pEgress,
    clientServer: (setup.csBaseCost + csServers * setup.serverPrice) / HOURS_IN_MONTH + csEgress,
    peerToPeer:
      (setup.p2pFixedCost + month.peerToPeer.trackers * setup.trackerPrice + seeds * setup.serverPrice) / HOURS_IN_MONTH + p2pEgress,
  };
}

/* ------------------------------------------------------------------ the picture */

/** Users drawn in the picture (all of them when N is smaller). */
export const VIEW_USERS = 30;
/** Most server nodes drawn; a larger fleet is drawn as this many groups. */
export const MOST_SERVER_NODES = 12;

export const NODE_STATE = { working: 0, idle: 1, quiet: 2, downloading: 3, online: 4, tracker: 5, others: 6 } as const;
export const MESSAGE_KIND = { fromServer: 0, fromPeer: 1, lookup: 2 } as const;
export const CLIENT_SERVER_PANEL = 0;
export const P2P_PANEL = 1;

function nodeLegend(hourly: boolean): LegendEntry[] {
  return [
    { label: 'server (the seed on the P2P side) sending this hour; bar: its utilisation', tone: 'server' },
    { label: hourly ? 'server not needed this hour, so not rented' : 'server paid for but idle this hour', tone: 'idle' },
    { label: 'user not downloading this hour (offline, on the P2P side)', tone: 'off' },
    { label: 'user downloading this hour (with a bar if also online as a peer)', tone: 'busy' },
    { label: 'peer online; bar: share of its upload used', tone: 'done' },
    { label: 'tracker', tone: 'accent' },
    { label: 'the users not drawn, as one node', tone: 'muted' },
  ];
}
const MESSAGE_LEGEND: LegendEntry[] = [
  { label: 'bytes from a server or the seed', tone: 'server' },
  { label: 'bytes from a peer', tone: 'done' },
  { label: 'lookup at the tracker', tone: 'accent' },
];

/** A fleet of `servers` drawn as at most MOST_SERVER_NODES nodes: the first server of each node, and one past the last. */
export function serverGroups(servers: number): number[] {
  const nodes = Math.min(servers, MOST_SERVER_NODES);
  return Array.from({ length: nodes + 1 }, (_, node) => Math.floor((node * servers) / nodes));
}

/** Nodes round a point: one in the middle, more on a small circle. */
function cluster(count: number, cx: number, cy: number): { x: number[]; y: number[] } {
  if (count === 1) return { x: [cx], y: [cy] };
  const radius = Math.min(0.16, 0.05 + 0.01 * count);
  const ring = ringLayout(count, radius);
  return { x: Array.from(ring.x, (x) => x - 0.5 + cx), y: Array.from(ring.y, (y) => y - 0.5 + cy) };
}

/** A group's name: "server 3", or "servers 16–31". */
function groupName(word: string, first: number, end: number): string {
  return end - first === 1 ? `${word} ${first + 1}` : `${word}s ${first + 1}–${end}`;
}

/** The numbers one frame's words and picture are made of. */
export interface HourNumbers {
  hour: number;
  /** The lab's N, and the users drawn. */
  users: number;
  drawn: number;
  downloads: number;
  /** Share of the hour's bytes peers carried. */
  peerShare: number;
  /** Drawn users downloading this hour, and drawn users online as peers. */
  drawnDownloaders: number;
  drawnOnline: number;
  /** Servers at work this hour (billed hourly: rented, at least one), and the fleet drawn (the busiest hour's). */
  csWorking: number;
  fleet: number;
  hourly: boolean;
  csEgress: number;
  p2pEgress: number;
  csSoFar: number;
  p2pSoFar: number;
}

export interface DescribeOptions {
  dollars: (amount: number) => string;
  usersText: (users: number) => string;
}

/** Peers' share and the seed's, as whole percents that add up to 100, "under 1%" rather than a false 0. */
export function shareTexts(peerShare: number): { peers: string; seed: string } {
  const percent = Math.round(peerShare * 100);
  if (percent === 0 && peerShare > 0) return { peers: 'under 1%', seed: 'over 99%' };
  if (percent === 100 && peerShare < 1) return { peers: 'over 99%', seed: 'under 1%' };
  return { peers: `${percent}%`, seed: `${100 - percent}%` };
}

/** One hour in words, from that hour's numbers. */
export function describeHour(n: HourNumbers, options: DescribeOptions): string {
  const { dollars } = options;
  const clock = `${String(n.hour).padStart(2, '0')}:00–${String(n.hour + 1).padStart(2, '0')}:00`;
  const demand = n.downloads === 0 ? 'no downloads this hour' : `${plural(n.downloads, 'download')} this hour`;
  const picture = `drawn: ${formatCount(n.drawnDownloaders)} of ${formatCount(n.drawn)} downloading, ${formatCount(n.drawnOnline)} online`;
  const servers = n.hourly
    ? `client-server rents ${formatCount(n.csWorking)} of the ${plural(n.fleet, 'server')} its busiest hour needs`
    : `client-server has ${formatCount(n.csWorking)} of its ${plural(n.fleet, 'server')} (sized for the month’s busiest hour) at work`;
  const shares = shareTexts(n.peerShare);
  const p2p =
    n.downloads === 0
      ? 'P2P has nothing to carry'
      : `P2P: peers carry ${shares.peers} of the bytes, the seed ${shares.seed}; egress this hour ${dollars(n.p2pEgress)} against ${dollars(n.csEgress)} for client-server`;
  return (
    `${clock}: ${demand} among the ${options.usersText(n.users)} users (${picture}); ${servers}. ` +
    `${p2p}. Spent today by ${String(n.hour + 1).padStart(2, '0')}:00: client-server ${dollars(n.csSoFar)}, P2P ${dollars(n.p2pSoFar)}.`
  );
}

export interface CostTraceInput extends DescribeOptions {
  /** The lab's N the month was simulated at. */
  users: number;
  setup: CostSetup;
  month: SimulatedMonth;
  log: MonthLog;
  /** The picture's own random numbers (which users are drawn to download, to be online, who serves whom). */
  random: Random;
  binomial: (trials: number, probability: number, random: Random) => number;
}

export interface CostTrace {
  trace: NetworkTrace;
  /** The day shown (0-based) and its hours' numbers, frame by frame. */
  day: number;
  frames: HourNumbers[];
}

/** The day holding the month's busiest client-server hour (the first, if several). */
export function busiestDay(log: MonthLog): number {
  let best = log.hours[0];
  for (const record of log.hours) if (best === undefined || record.csLoad > best.csLoad) best = record;
  return best?.day ?? 0;
}

/**
 * Draws one day of the log: 24 frames, one per hour. The drawn users are a random sample of
 * the N: their online peers are a hypergeometric draw from the hour's online count, their
 * downloads a binomial thinning of the hour's downloads, and as many of those are served by
 * peers as the hour's share says (rounded). A peer-served download comes from a drawn online
 * peer with the chance that its source is one (drawn online peers over all online), otherwise
 * from the users not drawn; the rest come from the seed.
 */
export function buildCostTrace(input: CostTraceInput): CostTrace {
  const { users, setup, month, log, random } = input;
  const hourly = setup.billing === 'hourly';
  const drawn = Math.min(VIEW_USERS, users);
  const others = users > drawn;
  const day = busiestDay(log);
  const hours = log.hours.filter((record) => record.day === day);
  let fleet = 1;
  let seedFleet = 1;
  for (const record of log.hours) {
    fleet = Math.max(fleet, record.csServersNeeded);
    seedFleet = Math.max(seedFleet, record.seedServersNeeded);
  }
  const csGroups = serverGroups(fleet);
  const seedGroups = serverGroups(seedFleet);
  const csNodes = csGroups.length - 1;
  const seedNodes = seedGroups.length - 1;

  // Node order: client-server [servers, others?, users]; P2P [tracker, seeds, others?, users].
  const ring = ringLayout(drawn, 0.4);
  const userNames = Array.from({ length: drawn }, (_, u) => `user ${u + 1}`);
  const othersName = `the other ${formatCount(users - drawn)} users`;
  const corner = { x: [0.94], y: [0.94] };
  const csCluster = cluster(csNodes, 0.5, 0.5);
  const csOthers = others ? csNodes : -1;
  const csFirstUser = csNodes + (others ? 1 : 0);
  const seedCluster = cluster(seedNodes, 0.5, 0.57);
  const p2pOthers = others ? 1 + seedNodes : -1;
  const p2pFirstUser = 1 + seedNodes + (others ? 1 : 0);
  const csLayout = {
    title: `Client-server: ${plural(fleet, 'server')}${csNodes < fleet ? ` (${csNodes} groups)` : ''}, ${plural(drawn, 'user')} drawn`,
    x: [...csCluster.x, ...(others ? corner.x : []), ...ring.x],
    y: [...csCluster.y, ...(others ? corner.y : []), ...ring.y],
    names: [
      ...csGroups.slice(0, -1).map((first, g) => groupName('server', first, csGroups[g + 1] as number)),
      ...(others ? [othersName] : []),
      ...userNames,
    ],
    levels: true,
  };
  const trackers = month.peerToPeer.trackers === 1 ? 'tracker' : plural(month.peerToPeer.trackers, 'tracker');
  const p2pLayout = {
    title: `P2P: ${trackers}, ${plural(seedFleet, 'seed server')}${seedNodes < seedFleet ? ` (${seedNodes} groups)` : ''}, ${plural(drawn, 'user')} drawn`,
    x: [0.5, ...seedCluster.x, ...(others ? corner.x : []), ...ring.x],
    y: [0.3, ...seedCluster.y, ...(others ? corner.y : []), ...ring.y],
    names: [
      trackers,
      ...seedGroups.slice(0, -1).map((first, g) => groupName('seed server', first, seedGroups[g + 1] as number)),
      ...(others ? [othersName] : []),
      ...userNames,
    ],
    levels: true,
  };
  const recorder = new TraceRecorder([csLayout, p2pLayout], nodeLegend(hourly), MESSAGE_LEGEND, NODE_STATE.quiet);
  recorder.setState(P2P_PANEL, 0, NODE_STATE.tracker);
  recorder.setLevel(P2P_PANEL, 0, NaN);
  if (others) {
    recorder.setState(CLIENT_SERVER_PANEL, csOthers, NODE_STATE.others);
    recorder.setLevel(CLIENT_SERVER_PANEL, csOthers, NaN);
    recorder.setState(P2P_PANEL, p2pOthers, NODE_STATE.others);
    recorder.setLevel(P2P_PANEL, p2pOthers, NaN);
  }

  /** Sets a fleet's nodes for an hour: the first `working` servers share the load; returns the nodes at work. */
  const drawFleet = (panel: number, firstNode: number, groups: number[], working: number, load: number): number[] => {
    const utilisation = working > 0 ? load / (working * setup.serverCapacity) : 0;
    const atWork: number[] = [];
    for (let g = 0; g + 1 < groups.length; g++) {
      const first = groups[g] as number;
      const size = (groups[g + 1] as number) - first;
      const busy = Math.min(size, Math.max(0, working - first));
      recorder.setState(panel, firstNode + g, busy > 0 ? NODE_STATE.working : NODE_STATE.idle);
      recorder.setLevel(panel, firstNode + g, (busy * utilisation) / size);
      if (busy > 0) atWork.push(firstNode + g);
    }
    return atWork;
  };

  const peerGBPerHour = (setup.peerUpload * 3600) / 8000;
  const frames: HourNumbers[] = [];
  const sent = [new Set<number>(), new Set<number>()];
  const send = (panel: number, from: number, to: number, kind: number): void => {
    const key = from * 4096 + to;
    const panelSent = sent[panel] as Set<number>;
    if (panelSent.has(key)) return;
    panelSent.add(key);
    recorder.message(panel, from, to, kind);
  };
  let csSoFar = 0;
  let p2pSoFar = 0;
  const online = new Uint8Array(drawn);
  const downloadsOf = new Int32Array(drawn);
  for (const record of hours) {
    sent[0]!.clear();
    sent[1]!.clear();
    // Which drawn users are online: n draws without replacement from N users, `online` of them online.
    let onlineLeft = record.online;
    let drawnOnline = 0;
    for (let u = 0; u < drawn; u++) {
      online[u] = random.next() < onlineLeft / (users - u) ? 1 : 0;
      if (online[u]) {
        onlineLeft--;
        drawnOnline++;
      }
    }
    // The drawn users' share of the hour's downloads, each on a random drawn user.
    const drawnDownloads = drawn === users ? record.downloads : input.binomial(record.downloads, drawn / users, random);
    downloadsOf.fill(0);
    const order: number[] = [];
    for (let d = 0; d < drawnDownloads; d++) {
      const user = random.int(drawn);
      downloadsOf[user] = (downloadsOf[user] as number) + 1;
      order.push(user);
    }
    const hourGB = record.peerGB + record.originGB;
    const peerShare = hourGB > 0 ? record.peerGB / hourGB : 0;
    const peerServed = Math.round(drawnDownloads * peerShare);

    const csWorking = record.csLoad > 0 ? record.csServersNeeded : 0;
    const seedsWorking = record.originLoad > 0 ? record.seedServersNeeded : 0;
    const csAtWork = drawFleet(CLIENT_SERVER_PANEL, 0, csGroups, csWorking, record.csLoad);
    const seedsAtWork = drawFleet(P2P_PANEL, 1, seedGroups, seedsWorking, record.originLoad);
    const peerUse = record.online > 0 && peerGBPerHour > 0 ? record.peerGB / (record.online * peerGBPerHour) : 0;
    let drawnDownloaders = 0;
    for (let u = 0; u < drawn; u++) {
      const downloading = (downloadsOf[u] as number) > 0;
      if (downloading) drawnDownloaders++;
      recorder.setState(CLIENT_SERVER_PANEL, csFirstUser + u, downloading ? NODE_STATE.downloading : NODE_STATE.quiet);
      recorder.setLevel(CLIENT_SERVER_PANEL, csFirstUser + u, NaN);
      recorder.setState(
        P2P_PANEL,
        p2pFirstUser + u,
        downloading ? NODE_STATE.downloading : online[u] ? NODE_STATE.online : NODE_STATE.quiet,
      );
      recorder.setLevel(P2P_PANEL, p2pFirstUser + u, online[u] ? peerUse : NaN);
    }

    // Client-server: the servers at work send every download, in turn.
    order.forEach((user, d) =>
      send(CLIENT_SERVER_PANEL, csAtWork[d % csAtWork.length] as number, csFirstUser + user, MESSAGE_KIND.fromServer),
    );
    if (others && record.downloads > drawnDownloads)
      for (const node of csAtWork) send(CLIENT_SERVER_PANEL, node, csOthers, MESSAGE_KIND.fromServer);

    // P2P: each downloader asks the tracker; peers serve the first `peerServed` downloads, the seed the rest.
    let seedServed = 0;
    order.forEach((user, d) => {
      const to = p2pFirstUser + user;
      send(P2P_PANEL, to, 0, MESSAGE_KIND.lookup);
      if (d >= peerServed) {
        send(P2P_PANEL, seedsAtWork[seedServed++ % seedsAtWork.length] as number, to, MESSAGE_KIND.fromServer);
        return;
      }
      const sources: number[] = [];
      for (let u = 0; u < drawn; u++) if (online[u] && u !== user) sources.push(u);
      if (sources.length > 0 && (!others || random.next() < sources.length / record.online)) {
        send(P2P_PANEL, p2pFirstUser + (sources[random.int(sources.length)] as number), to, MESSAGE_KIND.fromPeer);
      } else if (others) {
        send(P2P_PANEL, p2pOthers, to, MESSAGE_KIND.fromPeer);
      }
      // Otherwise the only online holder is the downloader itself, as the run's coverage allows: no bytes travel.
    });
    if (others && record.peerGB > 0)
      for (let u = 0; u < drawn; u++) if (online[u]) send(P2P_PANEL, p2pFirstUser + u, p2pOthers, MESSAGE_KIND.fromPeer);
    if (others && record.originGB > seedServed) for (const node of seedsAtWork) send(P2P_PANEL, node, p2pOthers, MESSAGE_KIND.fromServer);

    const costs = hourCosts(record, setup, month);
    csSoFar += costs.clientServer;
    p2pSoFar += costs.peerToPeer;
    const numbers: HourNumbers = {
      hour: record.hour,
      users,
      drawn,
      downloads: record.downloads,
      peerShare,
      drawnDownloaders,
      drawnOnline,
      csWorking: hourly ? record.csServersNeeded : csWorking,
      fleet,
      hourly,
      csEgress: costs.csEgress,
      p2pEgress: costs.p2pEgress,
      csSoFar,
      p2pSoFar,
    };
    frames.push(numbers);
    recorder.frame(record.hour * 3600, describeHour(numbers, input));
  }

  const who = others
    ? `${formatCount(drawn)} users drawn for the picture, a random sample of the lab’s N = ${input.usersText(users)} (the other ${formatCount(users - drawn)} as one node); the numbers in the words are the whole N`
    : `All ${plural(users, 'user')} drawn; the words and the picture are the same users`;
  const fleets =
    (csNodes < fleet ? `${plural(fleet, 'server')} drawn as ${csNodes} groups` : plural(fleet, 'server')) +
    ` for client-server, ${seedNodes < seedFleet ? `${plural(seedFleet, 'seed server')} drawn as ${seedNodes} groups` : plural(seedFleet, 'seed server')} for P2P`;
  const caption =
    `${who}. One month simulated at that N on its own seed, not one of the chart’s months; shown: day ${day + 1}, which holds the month’s busiest hour, ` +
    `hour by hour. ${fleets}, as many as the busiest hour needed. Money spent today counts each hour’s egress and its 1/720 share of the month’s rent and fixed costs.`;
  return { trace: recorder.finish(caption, 'duration'), day, frames };
}
