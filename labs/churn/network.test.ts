import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { quietContext } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { MAX_FRAMES, type NetworkTrace } from '../kernel/trace';
import { manifest } from './manifest';
import {
  churn,
  churnNetwork,
  networkViewConfig,
  replicatedAvailability,
  serverAvailability,
  simulateChurn,
  VIEW_ITEMS,
  VIEW_PEERS,
  VIEW_STEPS,
  type ChurnParams,
} from './model';
import { NODE_LEGEND, NODE_STATE, ServerReplicas, describeFrame, type ChurnView, type FrameNumbers } from './network';

const base = defaults(manifest) as unknown as ChurnParams;
const settings: Array<Partial<ChurnParams>> = [
  {},
  { repair: 'random' },
  { repair: 'oldest', repairDelay: 0.01, replicas: 20, sessionDistribution: 'weibull', shape: 0.5 },
  { peers: 20, replicas: 1, meanSession: 0.05, meanOff: 1000, serverMtbf: 1, serverMttr: 1000, serverReplicas: 10 },
  { sessionDistribution: 'exponential', meanSession: 1, meanOff: 4, replicas: 2, repair: 'random', serverReplicas: 1 },
  { peers: 10000, sessionDistribution: 'pareto', shape: 0.2, repairDelay: 100, repair: 'random' },
];

const peerCountOf = (text: string): number => Number(/^(\d+) of \d+ peers online/.exec(text)?.[1]);
const serversUpOf = (text: string, servers: number): number => {
  if (servers === 1) return /The server is up/.test(text) ? 1 : /The server is down/.test(text) ? 0 : NaN;
  return Number(/Servers: (\d+) of \d+ up/.exec(text)?.[1]);
};

function count(states: Uint8Array, from: number, length: number, wanted: ReadonlyArray<number>): number {
  let n = 0;
  for (let i = from; i < from + length; i++) if (wanted.includes(states[i] as number)) n++;
  return n;
}

describe('the servers beside the swarm', () => {
  it('are up MTBF/(MTBF + MTTR) of the time each, and all down (1 − A)^r of it', () => {
    const servers = new ServerReplicas(2, 3, 1, createRandom(7));
    const horizon = 40_000;
    servers.advanceTo(horizon / 2);
    servers.advanceTo(horizon);
    const single = serverAvailability(3, 1);
    for (const up of servers.upTime) expect(up / horizon).toBeCloseTo(single, 1);
    expect(Math.abs(servers.upTime[0]! / horizon - single)).toBeLessThan(0.015);
    expect(Math.abs(servers.allDownTime / horizon - (1 - replicatedAvailability(single, 2)))).toBeLessThan(0.01);
  });

  it('replay the same history for the same seed', () => {
    const a = new ServerReplicas(3, 5, 2, createRandom(1));
    const b = new ServerReplicas(3, 5, 2, createRandom(1));
    const states: string[] = [];
    for (let t = 0; t <= 100; t += 2.5) {
      a.advanceTo(t);
      b.advanceTo(t);
      expect([...a.up]).toEqual([...b.up]);
      states.push(a.up.join(''));
    }
    expect(new Set(states).size).toBeGreaterThan(1);
    // The time sums do not depend on how often they are read.
    const once = new ServerReplicas(3, 5, 2, createRandom(1));
    once.advanceTo(100);
    for (let s = 0; s < 3; s++) expect(a.upTime[s]).toBeCloseTo(once.upTime[s]!, 9);
    expect(a.allDownTime).toBeCloseTo(once.allDownTime, 9);
    expect(once.upTime.every((up) => up >= 0 && up <= 100)).toBe(true);
  });
});

describe('the frame descriptions', () => {
  const frame = (overrides: Partial<FrameNumbers>): FrameNumbers => ({
    peers: 36,
    online: 21,
    itemOnline: [2, 0, 3],
    copies: 3,
    repairing: true,
    repairs: 0,
    servers: 2,
    serversUp: 2,
    ...overrides,
  });

  it('names a lost item and its offline copies', () => {
    expect(describeFrame(frame({}))).toBe(
      '21 of 36 peers online; item A has 2 of 3 copies online, item C 3 of 3; item B is lost: its 3 copies are all offline. Servers: 2 of 2 up.',
    );
    expect(describeFrame(frame({ copies: 1, itemOnline: [1, 0] }))).toContain('item B is lost: its only copy is offline');
    expect(describeFrame(frame({ itemOnline: [0, 0, 1] }))).toContain('items A and B are lost: all their copies are offline');
    expect(describeFrame(frame({ itemOnline: [2, 1, 3] }))).not.toContain('lost');
    expect(describeFrame(frame({ itemOnline: [2, 1, 3], lostBetween: [1] }))).toContain(
      'item B was lost for a while since the previous frame',
    );
  });

  it('names the peers of a lone repair copy, counts several, and says nothing of repair when there is none', () => {
    expect(describeFrame(frame({ repairs: 1, firstRepair: { item: 0, from: 3, to: 16 } }))).toContain('Peer 4 copies item A to peer 17.');
    expect(describeFrame(frame({ repairs: 3, firstRepair: { item: 0, from: 3, to: 16 } }))).toContain('3 repair copies made.');
    expect(describeFrame(frame({ repairing: false }))).not.toContain('repair');
  });

  it('says whether the servers, or the one server, are up', () => {
    expect(describeFrame(frame({ serversUp: 1 }))).toContain('Servers: 1 of 2 up.');
    expect(describeFrame(frame({ serversUp: 0 }))).toContain('Servers: 0 of 2 up, so the service is down.');
    expect(describeFrame(frame({ servers: 1, serversUp: 1 }))).toContain('The server is up.');
    expect(describeFrame(frame({ servers: 1, serversUp: 0 }))).toContain('The server is down.');
  });
});

describe('the network view', () => {
  it('is the same trace for the same seed, and another for another seed', () => {
    const a = churnNetwork(base, 3).trace;
    expect(churnNetwork(base, 3).trace).toEqual(a);
    expect(churnNetwork(base, 4).trace.descriptions).not.toEqual(a.descriptions);
  });

  it('observes the run without changing it', () => {
    for (const extra of settings) {
      const params = { ...base, ...extra };
      const recorded = churnNetwork(params, 11).outcome;
      const plain = simulateChurn(networkViewConfig(params), createRandom(deriveSeed(11, 0xfeed)));
      expect(recorded).toEqual(plain);
    }
  });

  it('stays within the trace limits at every setting tried', () => {
    for (const extra of settings) {
      const params = { ...base, ...extra };
      const { trace } = churnNetwork(params, 5);
      const frames = trace.times.length;
      expect(frames).toBe(VIEW_STEPS + 1);
      expect(frames).toBeLessThanOrEqual(MAX_FRAMES);
      expect(trace.times[0]).toBe(0);
      for (let f = 1; f < frames; f++) expect(trace.times[f]!).toBeGreaterThan(trace.times[f - 1]!);
      expect(trace.panels.map((p) => p.nodes)).toEqual([params.serverReplicas, Math.min(params.peers, VIEW_PEERS)]);
      let messages = 0;
      for (const panel of trace.panels) {
        expect(panel.states.length).toBe(frames * panel.nodes);
        // Checked in bulk: one expect per array, not per element.
        expect(Math.max(...panel.states)).toBeLessThan(NODE_LEGEND.length);
        expect(panel.levels.every((level) => level >= 0 && level <= 1)).toBe(true);
        expect(panel.messageStart.length).toBe(frames + 1);
        expect(panel.messageStart.every((start, f) => f === 0 || start >= panel.messageStart[f - 1]!)).toBe(true);
        expect(panel.messageStart[frames]).toBe(panel.messageFrom.length);
        expect(
          panel.messageFrom.every((from, m) => from < panel.nodes && panel.messageTo[m]! < panel.nodes && from !== panel.messageTo[m]),
        ).toBe(true);
        messages += panel.messageFrom.length;
      }
      expect(messages).toBeLessThan(3000);
      for (const text of [trace.caption, ...trace.descriptions]) expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
    }
  });

  it('shows in every frame the numbers its description states', () => {
    for (const extra of settings) {
      const params = { ...base, ...extra };
      const { trace, recorder } = churnNetwork(params, 8);
      const [servers, swarm] = trace.panels as [NetworkTrace['panels'][0], NetworkTrace['panels'][0]];
      trace.descriptions.forEach((text, f) => {
        const numbers = recorder.frameNumbers[f]!;
        const online = count(swarm.states, f * swarm.nodes, swarm.nodes, [NODE_STATE.online, NODE_STATE.holder]);
        expect(peerCountOf(text)).toBe(online);
        expect(numbers.online).toBe(online);
        expect(serversUpOf(text, servers.nodes)).toBe(count(servers.states, f * servers.nodes, servers.nodes, [NODE_STATE.serverUp]));
        // A peer is flagged as holding a lost item exactly when the frame names a lost item.
        const lostItems = Array.from(numbers.itemOnline).filter((c) => c === 0).length;
        expect(/ lost: /.test(text)).toBe(lostItems > 0);
        expect(count(swarm.states, f * swarm.nodes, swarm.nodes, [NODE_STATE.lostHolder]) > 0).toBe(lostItems > 0);
        // Bars count the items a peer holds: each of the VIEW_ITEMS items has k holders.
        let held = 0;
        for (let node = 0; node < swarm.nodes; node++) held += Math.round(swarm.levels[f * swarm.nodes + node]! * VIEW_ITEMS);
        expect(held).toBe(VIEW_ITEMS * numbers.copies);
      });
    }
  });

  it('draws every repair copy the small run made', () => {
    for (const extra of settings) {
      const params = { ...base, ...extra };
      const { trace, outcome, recorder } = churnNetwork(params, 9);
      const config = networkViewConfig(params);
      const swarm = trace.panels[1]!;
      const made = Math.round(outcome.repairRate[0]! * config.horizon * VIEW_ITEMS);
      expect(swarm.messageFrom.length).toBe(made);
      expect(recorder.frameNumbers.reduce((sum, n) => sum + n.repairs, 0)).toBe(made);
      if (params.repair === 'none') expect(made).toBe(0);
    }
    const repaired = churnNetwork({ ...base, repair: 'random', meanOff: 4 }, 9).trace;
    expect(repaired.panels[1]!.messageFrom.length).toBeGreaterThan(10);
  });

  it('hears of each repair copy as it happens: from an online holder of the item to an online peer without it', () => {
    for (const extra of [
      { repair: 'random' as const, meanOff: 4 },
      { repair: 'oldest' as const, repairDelay: 0.01, replicas: 20 },
    ]) {
      const params = { ...base, ...extra };
      let view: ChurnView | null = null;
      let copies = 0;
      let wrong = 0;
      const holds = (item: number, peer: number): boolean => {
        const start = view!.itemStart[item]!;
        return view!.slotPeer.subarray(start, start + view!.itemCopies[item]!).includes(peer);
      };
      simulateChurn(networkViewConfig(params), createRandom(3), undefined, {
        start: (v) => (view = v),
        advance: () => {},
        end: () => {},
        repairCopy: (item, from, to) => {
          copies++;
          if (!(view!.online[from] === 1 && holds(item, from) && view!.online[to] === 1 && !holds(item, to))) wrong++;
        },
      });
      expect(copies).toBeGreaterThan(10);
      expect(wrong).toBe(0);
    }
  });

  it('agrees with its states at random valid settings, the ends of ranges included', { timeout: 30_000 }, () => {
    const between = (min: number, max: number) => fc.oneof(fc.constant(min), fc.constant(max), fc.double({ min, max, noNaN: true }));
    fc.assert(
      fc.property(
        fc.record({
          peers: fc.integer({ min: 20, max: 10000 }),
          sessionDistribution: fc.constantFrom('exponential' as const, 'pareto' as const, 'weibull' as const),
          shape: between(0.2, 5),
          meanSession: between(0.05, 1000),
          meanOff: between(0.05, 1000),
          replicas: fc.integer({ min: 1, max: 20 }),
          repair: fc.constantFrom('none' as const, 'random' as const, 'oldest' as const),
          repairDelay: between(0.01, 100),
          serverMtbf: between(1, 100000),
          serverMttr: between(0.01, 1000),
          serverReplicas: fc.integer({ min: 1, max: 10 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 }),
        }),
        ({ seed, ...extra }) => {
          const { trace, recorder } = churnNetwork({ ...base, ...extra }, seed);
          const [servers, swarm] = trace.panels as [NetworkTrace['panels'][0], NetworkTrace['panels'][0]];
          expect(trace.times.length).toBe(VIEW_STEPS + 1);
          expect(swarm.messageFrom.length).toBeLessThan(3000);
          expect(swarm.messageFrom.every((from, m) => from < swarm.nodes && swarm.messageTo[m]! < swarm.nodes)).toBe(true);
          for (const f of [0, trace.times.length - 1]) {
            const text = trace.descriptions[f]!;
            expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
            expect(peerCountOf(text)).toBe(count(swarm.states, f * swarm.nodes, swarm.nodes, [NODE_STATE.online, NODE_STATE.holder]));
            expect(serversUpOf(text, servers.nodes)).toBe(count(servers.states, f * servers.nodes, servers.nodes, [NODE_STATE.serverUp]));
            expect(recorder.frameNumbers[f]!.servers).toBe(extra.serverReplicas);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('says what was scaled down, from the numbers', () => {
    expect(churnNetwork(base, 1).trace.caption).toMatch(/^36 of the 1,000 peers, .* 4 items of k = 5 copies each/);
    expect(churnNetwork({ ...base, peers: 20, replicas: 1 }, 1).trace.caption).toMatch(/^All 20 peers, .* k = 1 copy each/);
    expect(churnNetwork(base, 1).trace.caption).toContain('16 h (8 mean on/off cycles)');
  });

  it('comes with the lab’s result, on its own seed', { timeout: 30_000 }, () => {
    const params = { ...base, peers: 100 };
    const result = churn.run(params, quietContext(21));
    expect(result.network).toEqual(churnNetwork(params, 21).trace);
  });
});
