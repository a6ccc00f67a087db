/**
 * The security lab's network view. The P2P side is a small instance of the lab's own
 * simulations, watched as they run: `simulateRingLookups` (one lookup on r routes over a
 * Chord ring with malicious nodes, then with Sybil identities) and `simulateDownloads`
 * (a few chunks, each checked against its hash). Each route advances one hop per frame.
 * The client-server side is no simulation: the lab's server is a formula, and its panel
 * is that formula's picture (requests checked, then the one breach that exposes every client).
 */
import { createRandom } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { formatCount, formatSig, plural } from '../kernel/format';
import { RING_SIZE } from '../kernel/chord';
import { idRingLayout, starLayout, TraceRecorder, type LegendEntry, type NetworkTrace } from '../kernel/trace';
import {
  clientExposure,
  effectiveUnauthorizedAccess,
  simulateDownloads,
  simulateRingLookups,
  sybilCount,
  sybilFraction,
  type RingLookupObserver,
  type SecurityParams,
} from './model';

/** Nodes on the view's ring (the lab's N is at least 100, so this is always a scale-down). */
export const VIEW_RING_NODES = 80;
/** Clients round the server. */
export const VIEW_CLIENTS = 30;
/** Routes drawn per lookup; the rest are simulated and counted, not drawn. */
export const VIEW_DRAWN_ROUTES = 4;
/** Chunks of the file the view downloads. */
export const VIEW_CHUNKS = 6;

export const PANEL = { clientServer: 0, p2p: 1 } as const;
export const MESSAGE = { hop: 0, answer: 1, attack: 2 } as const;

const MESSAGE_LEGEND: LegendEntry[] = [
  { label: 'lookup hop, request or chunk request', tone: 'busy' },
  { label: 'honest answer: from the key’s owner, the server or a chunk holder', tone: 'done' },
  { label: 'the attacker’s: a hop into a malicious node, a forged chunk, stolen data', tone: 'bad' },
];

export interface ViewStates {
  honest: number;
  attacker: number;
  sybil: number;
  asking: number;
  handled: number;
  server: number;
}

function nodeLegend(params: SecurityParams, withSybils: boolean): { legend: LegendEntry[]; states: ViewStates } {
  const legend: LegendEntry[] = [];
  const add = (label: string, tone: LegendEntry['tone']): number => legend.push({ label, tone }) - 1;
  const honest = add('honest peer, or client', 'idle');
  const attacker = add('in the attacker’s hands: a malicious peer, the breached server, an exposed client', 'bad');
  const sybil = withSybils ? add('Sybil identity (the attacker’s)', 'accent') : -1;
  const asking = add('asking: the querier, a helper that starts a route, the downloader, a client', 'busy');
  const handled = add('honest node a route passed, or client answered', 'done');
  const server = add(params.accessChecks === 'on' ? 'server (checks every client’s access)' : 'server (access checks off)', 'server');
  return { legend, states: { honest, attacker, sybil, asking, handled, server } };
}

/** One lookup's routes as `simulateRingLookups` walked them. */
export interface RecordedLookup {
  ids: Uint32Array;
  rank: Int32Array;
  key: number;
  starts: number[];
  paths: Int32Array[];
  /** The lowest rank on each route, as the simulation's failure rule reads it. */
  routeMinRanks: number[];
  /** What the simulation itself reports for the lookup: the best of its routes' lowest ranks. */
  bestRouteMinRank: number;
  firstRouteMinRank: number;
}

/** Runs the lab's ring simulation for one lookup, with an observer that keeps its routes. */
export function recordLookup(nodes: number, malicious: number, routes: number, seed: number): RecordedLookup {
  let ids: Uint32Array = new Uint32Array(0);
  let rank: Int32Array = new Int32Array(0);
  let key = 0;
  const starts: number[] = [];
  const paths: Int32Array[] = [];
  const observer: RingLookupObserver = {
    ring(ringIds, ringRank) {
      ids = ringIds;
      rank = ringRank;
    },
    route(_lookup, _route, start, routeKey, path, length) {
      key = routeKey;
      starts.push(start);
      paths.push(path.slice(0, length));
    },
  };
  const outcome = simulateRingLookups({ nodes, maxMalicious: malicious, routes, lookups: 1 }, createRandom(seed), observer);
  const routeMinRanks = paths.map((path) => path.reduce((low, node) => Math.min(low, rank[node] as number), nodes));
  return {
    ids,
    rank,
    key,
    starts,
    paths,
    routeMinRanks,
    bestRouteMinRank: outcome.bestRouteMinRank[0] as number,
    firstRouteMinRank: outcome.firstRouteMinRank[0] as number,
  };
}

/** Node i of the view's ring, by its place in id order. */
const nodeName = (node: number): string => `node ${node}`;

function listNames(nodes: number[]): string {
  const names = nodes.map(nodeName);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export interface LookupActResult {
  /** Routes of the lookup that met no attacker's node, among all r simulated. */
  honestRoutes: number;
  routes: number;
  succeeded: boolean;
}

/**
 * Plays one recorded lookup on the ring panel: frame 0 shows the attacker's nodes and the
 * routes' starts; each later frame moves every live drawn route one node on; a route that
 * reaches an attacker's node stops there, subverted. The last frame sends the owner's
 * answer to the start of each honest drawn route and tallies all r routes.
 */
function playLookup(
  recorder: TraceRecorder,
  states: ViewStates,
  lookup: RecordedLookup,
  attackers: number,
  attackerState: number,
  attackerWord: string,
  intro: string,
  requestedRoutes: number,
  clientServer: (step: number) => string,
  nextTime: () => number,
): LookupActResult {
  const nodes = lookup.ids.length;
  const isAttacker = (node: number): boolean => (lookup.rank[node] as number) < attackers;
  for (let node = 0; node < nodes; node++) recorder.setState(PANEL.p2p, node, isAttacker(node) ? attackerState : states.honest);
  const drawn = Math.min(VIEW_DRAWN_ROUTES, lookup.paths.length);
  for (let s = 0; s < drawn; s++) recorder.setState(PANEL.p2p, lookup.starts[s] as number, states.asking);
  const routes = lookup.paths.length;
  const owner = ownerOf(lookup);
  const querier = lookup.starts[0] as number;
  const helpers = lookup.starts.slice(1, drawn);
  const fewer =
    routes < requestedRoutes
      ? ` (only ${plural(routes, 'honest node')} to start routes from, of the r = ${formatCount(requestedRoutes)} set)`
      : '';
  const routeWords =
    routes === 1
      ? 'on one route, its own'
      : `on ${formatCount(routes)} routes: its own and ${formatCount(routes - 1)} more from helpers (${helpers.length < routes - 1 ? `${helpers.length} of them drawn: ${listNames(helpers)}` : listNames(helpers)})`;
  recorder.frame(
    nextTime(),
    `${intro} Node ${querier} looks up a key owned by ${nodeName(owner)} ${routeWords}${fewer}. ${clientServer(0)}`.trim(),
  );

  const position = new Array<number>(drawn).fill(0);
  const subverted = new Array<boolean>(drawn).fill(false);
  const live = (): boolean => position.some((at, s) => !subverted[s] && at < (lookup.paths[s] as Int32Array).length);
  let hop = 0;
  while (live()) {
    hop++;
    const events: string[] = [];
    for (let s = 0; s < drawn; s++) {
      const path = lookup.paths[s] as Int32Array;
      if (subverted[s] || position[s]! >= path.length) continue;
      const from = position[s] === 0 ? (lookup.starts[s] as number) : (path[position[s]! - 1] as number);
      const to = path[position[s]!] as number;
      position[s] = position[s]! + 1;
      const routeName = drawn === 1 ? 'the route' : `route ${s + 1}`;
      const isOwner = position[s] === path.length;
      if (isAttacker(to)) {
        subverted[s] = true;
        recorder.message(PANEL.p2p, from, to, MESSAGE.attack);
        events.push(
          `${routeName} ${isOwner ? `reaches the key’s owner, ${nodeName(to)}, which is ${attackerWord}` : `passes ${attackerWord} ${nodeName(to)}`}: subverted`,
        );
      } else {
        recorder.message(PANEL.p2p, from, to, MESSAGE.hop);
        if (recorder.state(PANEL.p2p, to) !== states.asking) recorder.setState(PANEL.p2p, to, states.handled);
        events.push(`${routeName} ${isOwner ? `reaches the owner, ${nodeName(to)}` : `goes to ${nodeName(to)}`}`);
      }
    }
    const text = `${capitalise(events.join('; '))}.`;
    recorder.frame(nextTime(), `${text} ${clientServer(hop)}`.trim());
  }

  // The answer: the owner replies to the start of every drawn route that stayed honest.
  let drawnHonest = 0;
  for (let s = 0; s < drawn; s++) {
    if (subverted[s]) continue;
    drawnHonest++;
    recorder.message(PANEL.p2p, owner, lookup.starts[s] as number, MESSAGE.answer);
  }
  const honestRoutes = lookup.routeMinRanks.filter((low) => low >= attackers).length;
  const succeeded = lookup.bestRouteMinRank >= attackers;
  const tally =
    drawn < routes
      ? `${formatCount(honestRoutes)} of all ${formatCount(routes)} routes (${formatCount(drawnHonest)} of the ${drawn} drawn) reached the owner through honest nodes only`
      : routes === 1
        ? `The one route ${honestRoutes === 1 ? 'reached the owner through honest nodes only' : 'did not reach the owner honestly'}`
        : `${formatCount(honestRoutes)} of ${plural(routes, 'route')} reached the owner through honest nodes only`;
  recorder.frame(
    nextTime(),
    `${tally}: the lookup ${succeeded ? (routes > 1 ? 'succeeds (one honest route is enough)' : 'succeeds') : 'fails'}. ${clientServer(hop + 1)}`.trim(),
  );
  return { honestRoutes, routes, succeeded };
}

/** The key's owner: the last node of a route (every route ends there), or a start that owns the key itself. */
function ownerOf(lookup: RecordedLookup): number {
  const path = lookup.paths[0] as Int32Array;
  return path.length > 0 ? (path[path.length - 1] as number) : (lookup.starts[0] as number);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface SecurityView {
  trace: NetworkTrace;
  /** The numbers the view's text states, for tests against the small simulations. */
  fixedShare: LookupActResult & { malicious: number; lookup: RecordedLookup };
  sybil: (LookupActResult & { sybils: number; lookup: RecordedLookup }) | null;
  download: { fetches: number; forged: number; pollutedWithoutChecks: boolean; pollutedWithChecks: boolean; extraFetches: number };
  breached: boolean;
  /** First frame of each act, and the breach frame (the last): where tests find what the text says. */
  frames: { fixedShare: number; sybil: number | null; download: number; breach: number };
}

/**
 * Records the view for the reader's parameters, scaled down to VIEW_RING_NODES ring nodes
 * and VIEW_CLIENTS clients, with its own seed so the charts' numbers do not change.
 */
export function securityView(params: SecurityParams, seed: number): SecurityView {
  const viewSeed = deriveSeed(seed, 0xfeed);
  const nodes = VIEW_RING_NODES;
  const clients = Math.min(VIEW_CLIENTS, params.peers);
  const f = params.maliciousFraction;
  const malicious = Math.min(nodes - 1, Math.round(f * nodes));
  const sybilsBought = sybilCount(params.sybilBudget, params.identityCost);
  const sybilShare = sybilFraction(params.sybilBudget, params.identityCost, params.peers);
  const sybils = Math.min(nodes - 1, Math.round(sybilShare * nodes));
  const { legend, states } = nodeLegend(params, sybils > 0);

  // The same seed gives the same ring (ids, then ranks, are drawn first) and the same key, for both attackers.
  const fixedLookup = recordLookup(nodes, malicious, params.routes, viewSeed);
  const sybilLookup = sybils > 0 ? recordLookup(nodes, sybils, params.routes, viewSeed) : null;

  const ring = idRingLayout(fixedLookup.ids, RING_SIZE);
  const ringEdges: number[] = [];
  for (let node = 0; node < nodes; node++) ringEdges.push(node, (node + 1) % nodes);
  const star = starLayout(clients + 1);
  const starEdges: number[] = [];
  for (let client = 1; client <= clients; client++) starEdges.push(0, client);
  const recorder = new TraceRecorder(
    [
      {
        title: 'Client-server: the formula’s picture',
        ...star,
        edges: starEdges,
        names: ['server', ...Array.from({ length: clients }, (_, i) => `client ${i + 1}`)],
      },
      { title: 'P2P: a Chord ring', ...ring, edges: ringEdges, names: Array.from({ length: nodes }, (_, i) => nodeName(i)) },
    ],
    legend,
    MESSAGE_LEGEND,
    states.honest,
  );
  recorder.setState(PANEL.clientServer, 0, states.server);
  let time = 0;
  const nextTime = (): number => time++;

  const checksOn = params.accessChecks === 'on';
  const unauthorized = effectiveUnauthorizedAccess(params.unauthorizedAccess, checksOn, params.checkBlockRate);
  const perClient = clientExposure(params.serverCompromise, unauthorized);
  const pct = (fraction: number): string => `${formatSig(fraction * 100)}%`;
  // The server panel's script, one short sentence on the frames where it changes.
  const serverStep = (step: number): string => {
    if (step === 0) return `Client-server (a formula, not simulated): a server and ${plural(clients, 'client')}.`;
    if (step === 1) {
      for (let client = 1; client <= clients; client++) {
        recorder.setState(PANEL.clientServer, client, states.asking);
        recorder.message(PANEL.clientServer, client, 0, MESSAGE.hop);
      }
      return `Each of the ${formatCount(clients)} clients sends the server a request.`;
    }
    if (step === 2) {
      for (let client = 1; client <= clients; client++) {
        recorder.setState(PANEL.clientServer, client, states.handled);
        recorder.message(PANEL.clientServer, 0, client, MESSAGE.answer);
      }
      return checksOn
        ? `The server checks each request against the client’s rights and answers: by the formula the checks stop ${pct(params.checkBlockRate)} of unauthorised attempts, leaving p_u(1 − b) = ${pct(unauthorized)} a year per client.`
        : `The server answers every request without checking rights: by the formula a client’s data is reached without permission with chance p_u = ${pct(unauthorized)} a year.`;
    }
    return '';
  };
  const quiet = (): string => '';

  const fixedIntro =
    malicious > 0
      ? `Share f = ${pct(f)}: ${formatCount(malicious)} of the ${formatCount(nodes)} ring nodes are malicious.`
      : `Share f = ${pct(f)}: at ${formatCount(nodes)} nodes that rounds to no malicious node.`;
  const fixedStart = recorder.frames;
  const fixedAct = playLookup(
    recorder,
    states,
    fixedLookup,
    malicious,
    states.attacker,
    'malicious',
    fixedIntro,
    params.routes,
    serverStep,
    nextTime,
  );

  // Back to the client-server panel's resting picture while the ring plays on.
  for (let client = 1; client <= clients; client++) recorder.setState(PANEL.clientServer, client, states.honest);
  let sybilAct: SecurityView['sybil'] = null;
  const sybilStart = sybilLookup ? recorder.frames : null;
  if (sybilLookup) {
    const intro = `Sybils instead: ${formatCount(sybilsBought)} identities bought with $${formatSig(params.sybilBudget)} at $${formatSig(params.identityCost)} each are ${pct(sybilShare)} of the nodes at N = ${formatCount(params.peers)}; here ${formatCount(sybils)} of ${formatCount(nodes)}, same ring, same key.`;
    const result = playLookup(recorder, states, sybilLookup, sybils, states.sybil, 'Sybil', intro, params.routes, quiet, nextTime);
    sybilAct = { ...result, sybils, lookup: sybilLookup };
  }

  // The download, from the fixed-share attacker: population id p is the ring node of rank p,
  // so ids below `malicious` are the same malicious nodes as on the ring.
  const downloadStart = recorder.frames;
  const download = playDownload(recorder, states, params, fixedLookup, malicious, viewSeed, nextTime);

  // The formula's breach: with chance p_c a year the server falls, and every client with it.
  const breached = params.serverCompromise > 0;
  const breachFrame = recorder.frames;
  if (breached) {
    recorder.setState(PANEL.clientServer, 0, states.attacker);
    for (let client = 1; client <= clients; client++) {
      recorder.setState(PANEL.clientServer, client, states.attacker);
      recorder.message(PANEL.clientServer, 0, client, MESSAGE.attack);
    }
    recorder.frame(
      nextTime(),
      `The server side is the formula: with chance p_c = ${pct(params.serverCompromise)} a year the server is breached, and one breach exposes all ${formatCount(clients)} clients here (all ${formatCount(params.peers)} in the lab) at once; a client’s yearly exposure is ${pct(perClient)}.`,
    );
  } else {
    for (let client = 1; client <= clients; client++) recorder.setState(PANEL.clientServer, client, states.honest);
    recorder.frame(
      nextTime(),
      `The server side is the formula: with p_c = 0 the server is never breached and none of the ${formatCount(clients)} clients is exposed that way; a client’s yearly exposure is ${pct(perClient)}.`,
    );
  }

  const drawnRoutes = Math.min(VIEW_DRAWN_ROUTES, fixedLookup.paths.length);
  const caption =
    `P2P: ${formatCount(nodes)} of the ${formatCount(params.peers)} nodes on a Chord ring, ${formatCount(malicious)} malicious (share f as set); one lookup on ${plural(fixedLookup.paths.length, 'route')} (r as set${drawnRoutes < fixedLookup.paths.length ? `, ${drawnRoutes} drawn` : ''}), each route one hop a step, by the lab’s own routing` +
    (sybilAct
      ? `; then the same ring with the Sybils’ share at N = ${formatCount(params.peers)} (${formatCount(sybils)} of ${formatCount(nodes)})`
      : '; the Sybil budget buys no identity') +
    `; then a download of ${download.chunks === params.chunks ? `the file’s ${plural(download.chunks, 'chunk')}` : `${formatCount(download.chunks)} of the file’s ${formatCount(params.chunks)} chunks`}, checked against ${download.chunks === 1 ? 'its hash' : 'their hashes'}. Client-server: ${formatCount(clients)} of the ${formatCount(params.peers)} clients, and it is the lab’s formula drawn, not a simulation. Every other parameter as set.`;
  return {
    trace: recorder.finish(caption, 'step', 'step'),
    fixedShare: { ...fixedAct, malicious, lookup: fixedLookup },
    sybil: sybilAct,
    download,
    breached,
    frames: { fixedShare: fixedStart, sybil: sybilStart, download: downloadStart, breach: breachFrame },
  };
}

/**
 * A download of a few chunks by the querier, fetched by `simulateDownloads` from random
 * nodes: round k shows every chunk's k-th fetch; a forged copy fails its hash check and
 * is fetched again in the next round. Without checks, the first copies would be kept.
 */
function playDownload(
  recorder: TraceRecorder,
  states: ViewStates,
  params: SecurityParams,
  lookup: RecordedLookup,
  malicious: number,
  seed: number,
  nextTime: () => number,
): SecurityView['download'] & { chunks: number } {
  const nodes = lookup.ids.length;
  const chunks = Math.min(VIEW_CHUNKS, params.chunks);
  const byRank = new Int32Array(nodes);
  for (let node = 0; node < nodes; node++) byRank[lookup.rank[node] as number] = node;
  const downloader = lookup.starts[0] as number;
  const attempts: Array<Array<{ node: number; forged: boolean; hashMatches: boolean }>> = Array.from({ length: chunks }, () => []);
  const outcome = simulateDownloads({ nodes, malicious, chunks, trials: 1 }, createRandom(deriveSeed(seed, 2)), {
    fetch(_trial, chunk, populationId, forged, hashMatches) {
      attempts[chunk]!.push({ node: byRank[populationId] as number, forged, hashMatches });
    },
  });

  for (let node = 0; node < nodes; node++)
    recorder.setState(PANEL.p2p, node, (lookup.rank[node] as number) < malicious ? states.attacker : states.honest);
  recorder.setState(PANEL.p2p, downloader, states.asking);
  recorder.frame(
    nextTime(),
    `A download on the same ring, ${formatCount(malicious)} of its nodes malicious: ${nodeName(downloader)} fetches ${chunks === 1 ? 'a one-chunk file from a random node and checks it' : `${plural(chunks, 'chunk')}, each from a random node, and checks each`} against the hash published for it.`,
  );
  const rounds = Math.max(0, ...attempts.map((list) => list.length));
  let fetches = 0;
  let forged = 0;
  for (let round = 0; round < rounds; round++) {
    const caught: string[] = [];
    let good = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const attempt = attempts[chunk]![round];
      if (!attempt) continue;
      fetches++;
      recorder.message(PANEL.p2p, attempt.node, downloader, attempt.forged ? MESSAGE.attack : MESSAGE.answer);
      if (attempt.forged) {
        forged++;
        caught.push(`chunk ${chunk + 1} from malicious ${nodeName(attempt.node)}`);
      } else {
        good++;
        if (attempt.node !== downloader) recorder.setState(PANEL.p2p, attempt.node, states.handled);
      }
    }
    const arrived = good + caught.length;
    const start = `${plural(arrived, 'chunk')} ${round === 0 ? (arrived === 1 ? 'arrives' : 'arrive') : 'fetched again'}`;
    const text =
      caught.length === 0
        ? `${start}; ${arrived === 1 ? 'it matches' : 'every one matches'} its hash.`
        : `${start}; the hash check catches ${plural(caught.length, 'forged chunk')} (${caught.join(', ')}), ${caught.length === 1 ? 'which is' : 'which are'} fetched again${round === 0 ? `: without checks ${caught.length === 1 ? 'it' : 'they'} would be kept and the file polluted` : ''}.`;
    recorder.frame(nextTime(), capitalise(text));
  }
  const pollutedWithoutChecks = outcome.pollutedWithoutChecks > 0;
  const pollutedWithChecks = outcome.pollutedWithChecks > 0;
  const extraFetches = outcome.refetches.mean;
  recorder.frame(
    nextTime(),
    `With hash checks the file is whole after ${plural(extraFetches, 'extra fetch', 'extra fetches')} (${plural(fetches, 'fetch', 'fetches')}, ${formatCount(forged)} forged); without them the first copies would ${pollutedWithoutChecks ? 'have made a polluted file' : 'have been clean too'}.`,
  );
  return { chunks, fetches, forged, pollutedWithoutChecks, pollutedWithChecks, extraFetches };
}
