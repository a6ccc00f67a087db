import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { buildChordRing } from '../kernel/chord';
import { MAX_FRAMES, type NetworkTrace } from '../kernel/trace';
import { quietContext } from '../kernel/model';
import { validateParams } from '../kernel/manifest';
import { manifest } from './manifest';
import {
  finiteQueue,
  OverlayRouting,
  serverLoad,
  simulatePeers,
  simulateStations,
  stationarySampler,
  type ServerLoadParams,
  type StationObserver,
} from './model';
import { MESSAGE_KIND, recordNetwork, viewScale, VIEW_CLIENTS, VIEW_STEPS } from './network';

const paramsOf = (values: Record<string, unknown> = {}): ServerLoadParams => {
  const { values: params, errors } = validateParams(manifest, values);
  expect(errors).toEqual({});
  return params as ServerLoadParams;
};

/** Messages of one frame of a panel, by kind. */
function frameMessages(trace: NetworkTrace, panel: number, frame: number): Array<{ from: number; to: number; kind: number }> {
  const p = trace.panels[panel]!;
  const out = [];
  for (let m = p.messageStart[frame]!; m < p.messageStart[frame + 1]!; m++)
    out.push({ from: p.messageFrom[m]!, to: p.messageTo[m]!, kind: p.messageKind[m]! });
  return out;
}

const stateLabel = (trace: NetworkTrace, panel: number, frame: number, node: number): string => {
  const p = trace.panels[panel]!;
  return trace.nodeLegend[p.states[frame * p.nodes + node]!]!.label;
};

const level = (trace: NetworkTrace, panel: number, frame: number, node: number): number => {
  const p = trace.panels[panel]!;
  return p.levels[frame * p.nodes + node]!;
};

describe('the network view', () => {
  const defaults = paramsOf();
  const run = recordNetwork(defaults, 99);
  const { trace } = run;

  it('is the same for the same seed and differs for another', () => {
    expect(recordNetwork(defaults, 99).trace).toEqual(trace);
    expect(recordNetwork(defaults, 100).trace.descriptions).not.toEqual(trace.descriptions);
  });

  it('is the lab run’s own, from the seed derived for it', () => {
    const params = paramsOf({ clients: 300, requests: 2000 });
    const result = serverLoad.run(params, quietContext(5));
    expect(result.network).toEqual(recordNetwork(params, deriveSeed(5, 0xfeed)).trace);
  });

  it('keeps within the limits: two panels, at most MAX_FRAMES frames, a few thousand messages, every index in range', () => {
    expect(trace.panels).toHaveLength(2);
    expect(trace.times.length).toBe(VIEW_STEPS + 1);
    expect(trace.times.length).toBeLessThanOrEqual(MAX_FRAMES);
    expect(trace.descriptions).toHaveLength(trace.times.length);
    const [server, peers] = trace.panels;
    expect(server!.nodes).toBe(VIEW_CLIENTS + 1);
    // About 40 online peers, plus the node that stands for the peers not online.
    expect(peers!.nodes).toBeGreaterThan(25);
    expect(peers!.nodes).toBeLessThan(60);
    let messages = 0;
    for (const panel of trace.panels) {
      expect(panel.messageStart).toHaveLength(trace.times.length + 1);
      for (let f = 0; f < trace.times.length; f++) expect(panel.messageStart[f + 1]!).toBeGreaterThanOrEqual(panel.messageStart[f]!);
      messages += panel.messageFrom.length;
      for (let m = 0; m < panel.messageFrom.length; m++) {
        expect(panel.messageFrom[m]!).toBeLessThan(panel.nodes);
        expect(panel.messageTo[m]!).toBeLessThan(panel.nodes);
        expect(panel.messageKind[m]!).toBeLessThan(trace.messageLegend.length);
      }
      expect(panel.states).toHaveLength(trace.times.length * panel.nodes);
      expect(panel.levels).toHaveLength(trace.times.length * panel.nodes);
      for (const state of panel.states) expect(state).toBeLessThan(trace.nodeLegend.length);
      for (const value of panel.levels) expect(value >= 0 && value <= 1).toBe(true);
      for (let e = 0; e < panel.edges.length; e++) expect(panel.edges[e]!).toBeLessThan(panel.nodes);
    }
    expect(messages).toBeGreaterThan(200);
    expect(messages).toBeLessThan(4000);
    for (const text of [...trace.descriptions, trace.caption]) expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
    // Fixed steps of simulated time.
    const step = trace.times[1]!;
    trace.times.forEach((time, f) => expect(time).toBeCloseTo(f * step, 9));
  });

  it('scales the server so it carries the load of all N clients: the same M/M/c/(c+K) drops and utilisation', () => {
    const scale = viewScale(defaults);
    expect(scale.serverClients).toBe(24);
    expect(scale.serverServiceRate).toBeCloseTo((25 * 24) / 10_000, 12);
    const lab = finiteQueue(4, 100, 10_000 * 0.1, 25);
    const view = finiteQueue(4, 100, 24 * 0.1, scale.serverServiceRate);
    expect(view.dropProbability).toBeCloseTo(lab.dropProbability, 12);
    expect(view.utilisation).toBeCloseTo(lab.utilisation, 12);
    // Its clock runs N/n times slower: the mean response scales by the same factor.
    expect(view.meanResponse / lab.meanResponse).toBeCloseTo(10_000 / 24, 6);
    // The caption says so, with these numbers.
    expect(trace.caption).toMatch(/24 of the 10,000 clients, each sending λ = 0\.1 requests\/s/);
    expect(trace.caption).toMatch(/each worker serves 0\.06 requests\/s \(μ × 24\/10,000\)/);
    expect(trace.caption).toMatch(/1,000% of its capacity/);
    expect(trace.caption).toMatch(
      /those of the lab at N = 10,000 \(the same M\/M\/c\/\(c\+K\) steady state\), on a clock 417 times slower/,
    );
    // A small lab is shown whole, unscaled.
    const small = paramsOf({ clients: 10 });
    expect(viewScale(small)).toMatchObject({ serverClients: 10, peerClients: 10, serverServiceRate: 25 });
    expect(recordNetwork(small, 1).trace.caption).toMatch(
      /all 10 clients at λ = 0\.1 requests\/s and the server as set \(1% of its capacity\)/,
    );
  });

  it('names the online peers in the caption and the title as the ring the P2P side simulated', () => {
    const online = run.peers!.side.online;
    expect(run.peers!.ring).toHaveLength(online);
    expect(trace.caption).toContain(`the ${online} drawn online (p = 0.5)`);
    expect(trace.panels[1]!.title).toBe(`P2P: ${online} online peers on a Chord ring`);
    // The other peers of the view stand in one node, not online.
    expect(trace.panels[1]!.nodes).toBe(online + 1);
    expect(stateLabel(trace, 1, 0, online)).toMatch(/not online/);
    expect(trace.panels[1]!.names[online]).toBe(`the ${run.scale.peerClients - online} peers not online`);
  });

  it('shows in every frame the queue the description states, for the server and the fullest peer', () => {
    const places = 104;
    const peerPlaces = 101;
    const online = run.peers!.side.online;
    for (let f = 0; f < trace.times.length; f++) {
      const text = trace.descriptions[f]!;
      const held = /holds (\d+) of (\d+) places, (all 4 workers busy|all 4 workers idle|(\d) of 4 workers busy)/.exec(text);
      expect(held, text).not.toBeNull();
      const present = Number(held![1]);
      expect(Number(held![2])).toBe(places);
      expect(Math.round(level(trace, 0, f, 0) * places)).toBe(present);
      const expectedState =
        present === 0 ? 'idle: nothing to serve' : present >= 4 ? 'serving, every worker busy' : 'serving, a worker free';
      expect(stateLabel(trace, 0, f, 0)).toBe(expectedState);
      if (held![4]) expect(Number(held![4])).toBe(present);
      // P2P: busy peers and the fullest queue, read from the states and bars.
      let busy = 0;
      let fullest = 0;
      for (let peer = 0; peer < online; peer++) {
        if (stateLabel(trace, 1, f, peer) === 'serving, every worker busy') busy++;
        fullest = Math.max(fullest, Math.round(level(trace, 1, f, peer) * peerPlaces));
      }
      const peerText = /(\d+) of (\d+) peers busy, the fullest \(peer (\d+)\) holding (\d+) of 101 places/.exec(text);
      if (busy === 0) {
        expect(text).toMatch(/every peer idle/);
      } else {
        expect(peerText, text).not.toBeNull();
        expect(Number(peerText![1])).toBe(busy);
        expect(Number(peerText![2])).toBe(online);
        expect(Number(peerText![4])).toBe(fullest);
        expect(Math.round(level(trace, 1, f, Number(peerText![3]) - 1) * peerPlaces)).toBe(fullest);
      }
    }
  });

  it('keeps the books: each frame’s queues are the last frame’s plus the step’s accepted arrivals minus its answers', () => {
    const online = run.peers!.side.online;
    const held = (f: number) => ({
      server: Math.round(level(trace, 0, f, 0) * 104),
      peers: Array.from({ length: online }, (_, peer) => Math.round(level(trace, 1, f, peer) * 101)).reduce((a, b) => a + b, 0),
    });
    const number = (pattern: RegExp, text: string) => Number(pattern.exec(text)?.[1] ?? 0);
    for (let f = 1; f < trace.times.length; f++) {
      const [serverText, peerText] = trace.descriptions[f]!.split(' P2P: ') as [string, string];
      const before = held(f - 1);
      const now = held(f);
      for (const [part, from, to] of [
        [serverText, before.server, now.server],
        [peerText, before.peers, now.peers],
      ] as const) {
        const change = number(/(\d+) requests? arrives?/, part) - number(/, (\d+) dropped/, part) - number(/, (\d+) answered/, part);
        expect(to - from, trace.descriptions[f]).toBe(change);
      }
    }
    // And the first frame is the stationary start the simulation drew.
    expect(trace.descriptions[0]).toMatch(new RegExp(`holds ${held(0).server} of 104 places`));
  });

  it('draws each step’s arrivals, drops, lookup hops and replies as the description counts them', () => {
    let drops = 0;
    for (let f = 1; f < trace.times.length; f++) {
      const text = trace.descriptions[f]!;
      const [serverText, peerText] = text.split(' P2P: ') as [string, string];
      for (const [panel, part] of [
        [0, serverText],
        [1, peerText],
      ] as const) {
        const messages = frameMessages(trace, panel, f);
        const ofKind = (kind: number) => messages.filter((m) => m.kind === kind).length;
        const arrived = /(\d+) requests? arrives?/.exec(part);
        const dropped = /, (\d+) dropped/.exec(part);
        const answered = /, (\d+) answered/.exec(part);
        const hops = /over (\d+) lookup hops?/.exec(part);
        const arrivals = arrived ? Number(arrived[1]) : 0;
        if (!arrived) expect(part).toMatch(/no request arrives/);
        const droppedCount = dropped ? Number(dropped[1]) : 0;
        // Requests and drops are drawn from requester to station, except a peer asking itself.
        expect(ofKind(MESSAGE_KIND.request) + ofKind(MESSAGE_KIND.dropped)).toBeLessThanOrEqual(arrivals);
        if (panel === 0) {
          expect(ofKind(MESSAGE_KIND.request)).toBe(arrivals - droppedCount);
          expect(ofKind(MESSAGE_KIND.dropped)).toBe(droppedCount);
          // A client whose request was dropped shows it in this frame.
          const flashed = Array.from({ length: VIEW_CLIENTS }, (_, i) => stateLabel(trace, 0, f, i + 1)).filter((label) =>
            /dropped/.test(label),
          ).length;
          expect(flashed > 0).toBe(droppedCount > 0);
          expect(flashed).toBeLessThanOrEqual(droppedCount);
          drops += droppedCount;
        } else {
          expect(ofKind(MESSAGE_KIND.hop)).toBe(hops ? Number(hops[1]) : 0);
        }
        // Replies go to known requesters; those present at time 0 leave without one.
        expect(ofKind(MESSAGE_KIND.reply)).toBeLessThanOrEqual(answered ? Number(answered[1]) : 0);
      }
    }
    // The server at 1,000% of its capacity turns most requests away.
    expect(drops).toBeGreaterThan(10);
  });

  it('routes each P2P request hop by hop along the ring, clockwise towards its key', () => {
    const ring = run.peers!.ring;
    const online = ring.length;
    let checked = 0;
    for (let f = 1; f < trace.times.length; f++) {
      const messages = frameMessages(trace, 1, f);
      for (let m = 0; m < messages.length; m++) {
        const hop = messages[m]!;
        if (hop.kind !== MESSAGE_KIND.hop || hop.from >= online || hop.to >= online) continue;
        const next = messages[m + 1];
        // A forward moves clockwise, and the next forward of the same lookup moves less far (the distance to the key shrinks).
        const travelled = (ring[hop.to]! - ring[hop.from]!) >>> 0;
        expect(travelled).toBeGreaterThan(0);
        if (next && next.kind === MESSAGE_KIND.hop && next.from === hop.to && next.to < online) {
          expect((ring[next.to]! - ring[next.from]!) >>> 0).toBeLessThan(travelled);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('observes the run without changing it, and sees every event it counts', () => {
    // The server side, as the view runs it.
    const config = {
      stations: 1,
      workersPerStation: 4,
      waitingRoom: 100,
      arrivalRate: 2.4,
      serviceRate: 0.06,
      requests: 3000,
      warmupShare: 0,
    };
    const sampler = stationarySampler(4, 100, 2.4, 0.06);
    const counts = { initial: 0, arrivals: 0, dropped: 0, departures: 0, startDepartures: 0 };
    const observer: StationObserver = {
      initial: (_s, present) => (counts.initial += present),
      arrival: (_t, _id, _s, fate) => {
        counts.arrivals++;
        if (fate === 'dropped') counts.dropped++;
      },
      departure: (_t, id) => (id < 0 ? counts.startDepartures++ : counts.departures++),
    };
    const plain = simulateStations({ ...config, initialInSystem: (_s, r) => sampler(r) }, createRandom(3));
    const watched = simulateStations({ ...config, initialInSystem: (_s, r) => sampler(r), observer }, createRandom(3));
    expect(watched).toEqual(plain);
    expect(counts.arrivals).toBe(3000);
    expect(counts.departures).toBe(plain.served);
    expect(counts.dropped).toBe(Math.round(plain.dropRate.value * plain.counted));
    expect(counts.startDepartures).toBe(counts.initial);
    // The P2P side: the same outcome with and without the observer and the kept route paths.
    const params = paramsOf();
    const bare = simulatePeers(params, 80, createRandom(4), { requests: 2000, warmupShare: 0 });
    let hops = 0;
    const observed = simulatePeers(params, 80, createRandom(4), {
      requests: 2000,
      warmupShare: 0,
      observe: (_ring, routing) => ({ initial: () => {}, arrival: () => (hops += routing.hops), departure: () => {} }),
    });
    expect(observed).toEqual(bare);
    // Every hop the view could draw is a hop the lookup delay counts.
    expect(hops * 0.05).toBeCloseTo(bare!.outcome.meanLookup * bare!.outcome.counted, 9);
  });

  it('counts in its tapes what the small simulations report', () => {
    const { server, peers } = run;
    expect(server.tape.totals.served).toBe(server.outcome.served);
    expect(server.tape.totals.dropped).toBe(Math.round(server.outcome.dropRate.value * server.outcome.counted));
    expect(server.tape.totals.arrivals).toBe(server.outcome.counted);
    const side = peers!.side.outcome;
    expect(peers!.tape.totals.served).toBe(side.served);
    expect(peers!.tape.totals.dropped).toBe(Math.round(side.dropRate.value * side.counted));
    expect(peers!.tape.totals.hops * 0.05).toBeCloseTo(side.meanLookup * side.counted, 9);
  });

  it('keeps the route the lookup takes: forwards, then the owner', () => {
    const ring = buildChordRing(40, createRandom(2));
    const routing = new OverlayRouting(ring, 80, 'chord', 0.05, true);
    const random = createRandom(6);
    for (let i = 0; i < 500; i++) {
      const owner = routing.next(random);
      const forwards = routing.hops - (routing.requester < 0 ? 1 : 0);
      expect(routing.start).toBe(routing.requester < 0 ? routing.start : routing.requester);
      expect(routing.pathLength).toBeGreaterThanOrEqual(forwards);
      // After the forwards the path ends at the owner (unless the start owns the key).
      if (routing.pathLength > forwards) expect(routing.pathNode(routing.pathLength - 1)).toBe(owner);
      else expect(routing.start === owner || forwards > 0).toBe(true);
    }
  });

  it('with free riders, shows the few online peers with full queues dropping requests', () => {
    const params = paramsOf({ onlineShare: 0.01 });
    const { trace: riders, peers } = recordNetwork(params, 8);
    expect(peers).not.toBeNull();
    const online = peers!.side.online;
    expect(online).toBeLessThan(12);
    // λ/p = 10 requests/s against μ_p = 5 on average; a peer is sent the requests of its arc, and
    // one offered at least twice its rate has a full queue at the end (its stationary share of
    // more than 10 free places is below 2^−11). How many are that loaded depends on the draw.
    const last = riders.times.length - 1;
    const ring = peers!.ring;
    const totalRate = viewScale(params).peerClients * params.requestRate;
    let overloaded = 0;
    for (let peer = 0; peer < online; peer++) {
      const arc = online === 1 ? 1 : ((ring[peer]! - ring[(peer + online - 1) % online]!) >>> 0) / 2 ** 32;
      if (totalRate * arc < 2 * params.peerServiceRate) continue;
      overloaded++;
      expect(level(riders, 1, last, peer)).toBeGreaterThan(0.9);
    }
    expect(overloaded).toBeGreaterThan(0);
    let dropped = 0;
    for (let f = 1; f < riders.times.length; f++)
      dropped += frameMessages(riders, 1, f).filter((m) => m.kind === MESSAGE_KIND.dropped).length;
    expect(dropped).toBeGreaterThan(20);
  });

  it('with a central index, each request takes one hop to the index', () => {
    const { trace: indexed, peers } = recordNetwork(paramsOf({ lookup: 'index' }), 3);
    const indexNode = indexed.panels[1]!.nodes - 1;
    expect(indexed.panels[1]!.names[indexNode]).toBe('the index');
    expect(peers!.tape.totals.hops).toBe(peers!.tape.totals.arrivals);
    for (let f = 1; f < indexed.times.length; f++) {
      for (const m of frameMessages(indexed, 1, f)) if (m.kind === MESSAGE_KIND.hop) expect(m.to).toBe(indexNode);
    }
  });

  it('says so when no peer of the view is online, and draws nothing moving there', () => {
    const { trace: none, peers } = recordNetwork(paramsOf({ clients: 1, onlineShare: 0.01 }), 1);
    expect(peers).toBeNull();
    expect(none.panels[1]!.nodes).toBe(1);
    expect(none.panels[1]!.messageFrom).toHaveLength(0);
    for (const text of none.descriptions) expect(text).toMatch(/P2P: none of the 1 peers is online, so no request is served\./);
    expect(none.caption).toMatch(/none of them online in this draw/);
  });

  it('stays within the limits at the ends of the ranges', () => {
    for (const values of [
      { clients: 1, requestRate: 0.001 },
      { clients: 100_000, requestRate: 100, workers: 1, serviceRate: 0.1, queueCapacity: 1, onlineShare: 1 },
      {
        clients: 100_000,
        requestRate: 0.001,
        workers: 256,
        serviceRate: 10_000,
        peerServiceRate: 1000,
        onlineShare: 0.01,
        lookup: 'index',
      },
    ]) {
      const { trace: edge } = recordNetwork(paramsOf(values), 2);
      expect(edge.times.length).toBeGreaterThan(1);
      expect(edge.times.length).toBeLessThanOrEqual(MAX_FRAMES);
      const messages = edge.panels.reduce((sum, p) => sum + p.messageFrom.length, 0);
      expect(messages).toBeLessThan(4000);
      for (const text of [...edge.descriptions, edge.caption]) expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
    }
  });
});
