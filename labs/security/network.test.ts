import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { defaults } from '../kernel/manifest';
import { quietContext } from '../kernel/model';
import { MAX_FRAMES, type NetworkTrace } from '../kernel/trace';
import { ROUTE_CAPACITY, chordRoute } from '../kernel/chord-routing';
import { manifest } from './manifest';
import { security, simulateDownloads, simulateRingLookups, type SecurityParams } from './model';
import { MESSAGE, PANEL, VIEW_CLIENTS, VIEW_DRAWN_ROUTES, VIEW_RING_NODES, securityView } from './network';

const base = defaults(manifest) as unknown as SecurityParams;
const withParams = (changes: Partial<SecurityParams>): SecurityParams => ({ ...base, ...changes });

/** Node states of one panel at one frame. */
function statesAt(trace: NetworkTrace, panel: number, frame: number): number[] {
  const { nodes, states } = trace.panels[panel]!;
  return [...states.subarray(frame * nodes, (frame + 1) * nodes)];
}

function stateIndex(trace: NetworkTrace, labelStart: string): number {
  const index = trace.nodeLegend.findIndex((entry) => entry.label.startsWith(labelStart));
  if (index < 0) throw new Error(`no state ${labelStart}`);
  return index;
}

function count(values: number[], value: number): number {
  return values.filter((v) => v === value).length;
}

/** Messages of one panel during one frame, as [from, to, kind]. */
function messagesAt(trace: NetworkTrace, panel: number, frame: number): Array<[number, number, number]> {
  const p = trace.panels[panel]!;
  const out: Array<[number, number, number]> = [];
  for (let m = p.messageStart[frame]!; m < p.messageStart[frame + 1]!; m++)
    out.push([p.messageFrom[m]!, p.messageTo[m]!, p.messageKind[m]!]);
  return out;
}

describe('the security network view', () => {
  it('is the same trace for the same seed and another for another seed', () => {
    const a = securityView(base, 7).trace;
    const b = securityView(base, 7).trace;
    const c = securityView(base, 8).trace;
    expect(b).toEqual(a);
    expect(c.descriptions).not.toEqual(a.descriptions);
  });

  it('stays within its limits at the defaults, the presets and the ends of the ranges', () => {
    const settings: SecurityParams[] = [
      base,
      ...manifest.presets.map((preset) => withParams(preset.values as Partial<SecurityParams>)),
      withParams({ maliciousFraction: 0, routes: 1, chunks: 1, serverCompromise: 0, sybilBudget: 1, identityCost: 100_000 }),
      withParams({ maliciousFraction: 0.5, routes: 16, chunks: 1000, serverCompromise: 1, accessChecks: 'off', peers: 100 }),
      withParams({ sybilBudget: 10_000_000, identityCost: 0.01, peers: 1_000_000 }),
    ];
    for (const [index, params] of settings.entries()) {
      const { trace } = securityView(params, index + 1);
      expect(trace.panels).toHaveLength(2);
      expect(trace.times.length).toBeGreaterThan(3);
      expect(trace.times.length).toBeLessThanOrEqual(MAX_FRAMES);
      expect(trace.descriptions).toHaveLength(trace.times.length);
      expect(trace.timeFormat).toBe('step');
      for (let f = 1; f < trace.times.length; f++) expect(trace.times[f]).toBeGreaterThan(trace.times[f - 1]!);
      let messages = 0;
      for (const panel of trace.panels) {
        expect(panel.nodes).toBeLessThanOrEqual(150);
        expect(panel.states).toHaveLength(panel.nodes * trace.times.length);
        for (const state of panel.states) expect(state).toBeLessThan(trace.nodeLegend.length);
        for (const node of [...panel.messageFrom, ...panel.messageTo, ...panel.edges]) expect(node).toBeLessThan(panel.nodes);
        for (const kind of panel.messageKind) expect(kind).toBeLessThan(trace.messageLegend.length);
        expect(panel.messageStart).toHaveLength(trace.times.length + 1);
        messages += panel.messageFrom.length;
      }
      expect(messages).toBeLessThan(2000);
      for (const text of [trace.caption, ...trace.descriptions]) {
        expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
        expect(text.length).toBeGreaterThan(10);
      }
    }
  });

  it('walks the very routes of the lab’s simulation, one hop of each drawn route a step', () => {
    const params = withParams({ maliciousFraction: 0.2, routes: 6 });
    const view = securityView(params, 3);
    const { lookup, malicious } = view.fixedShare;
    const path = new Int32Array(ROUTE_CAPACITY);
    // The routes are chordRoute's, from the recorded starts to the recorded key.
    for (const [s, start] of lookup.starts.entries()) {
      const length = chordRoute(lookup.ids, start, lookup.key, path);
      expect([...lookup.paths[s]!]).toEqual([...path.subarray(0, length)]);
    }
    expect(lookup.starts).toHaveLength(6);
    // Frame 0: the malicious nodes are exactly the ranks below round(f·80), and the text says how many.
    const trace = view.trace;
    const attacker = stateIndex(trace, 'in the attacker');
    const first = statesAt(trace, PANEL.p2p, 0);
    expect(count(first, attacker)).toBe(malicious);
    for (let node = 0; node < VIEW_RING_NODES; node++) expect(first[node] === attacker).toBe(lookup.rank[node]! < malicious);
    expect(malicious).toBe(Math.round(0.2 * VIEW_RING_NODES));
    expect(trace.descriptions[0]).toContain(`${malicious} of the ${VIEW_RING_NODES} ring nodes are malicious`);
    // Every later frame of the act carries at most one message per drawn route, along a route.
    const end = view.frames.sybil ?? view.frames.download;
    for (let frame = 1; frame < end - 1; frame++) {
      const hops = messagesAt(trace, PANEL.p2p, frame);
      expect(hops.length).toBeGreaterThan(0);
      expect(hops.length).toBeLessThanOrEqual(VIEW_DRAWN_ROUTES);
      for (const [from, to, kind] of hops) {
        const onARoute = lookup.paths.some((route, s) => {
          const nodes = [lookup.starts[s]!, ...route];
          return nodes.some((node, k) => node === from && nodes[k + 1] === to);
        });
        expect(onARoute).toBe(true);
        expect(kind === MESSAGE.attack).toBe(lookup.rank[to]! < malicious);
      }
    }
  });

  it('tallies the routes and the lookup as the simulation does, and says so in the act’s last frame', () => {
    let sawFailure = false;
    let sawSuccess = false;
    for (let seed = 1; seed <= 12; seed++) {
      const view = securityView(withParams({ maliciousFraction: 0.35, routes: 3 }), seed);
      const { lookup, malicious, honestRoutes, succeeded } = view.fixedShare;
      // Independently: a route is honest when none of its nodes after the start has a rank below M.
      const honest = lookup.paths.filter((route) => [...route].every((node) => lookup.rank[node]! >= malicious)).length;
      expect(honestRoutes).toBe(honest);
      expect(succeeded).toBe(lookup.bestRouteMinRank >= malicious);
      expect(succeeded).toBe(honest > 0);
      const last = view.trace.descriptions[(view.frames.sybil ?? view.frames.download) - 1]!;
      expect(last).toContain(`${honest} of 3 routes reached the owner through honest nodes only`);
      expect(last).toContain(succeeded ? 'the lookup succeeds' : 'the lookup fails');
      // The owner answers along each honest route, and only those.
      const answers = messagesAt(view.trace, PANEL.p2p, (view.frames.sybil ?? view.frames.download) - 1);
      expect(answers.every(([, , kind]) => kind === MESSAGE.answer)).toBe(true);
      expect(answers).toHaveLength(honest);
      if (!succeeded) sawFailure = true;
      else sawSuccess = true;
      // Any "subverted" sentence names a node that is malicious in that frame.
      view.trace.descriptions.slice(0, view.frames.sybil ?? view.frames.download).forEach((text, frame) => {
        for (const match of text.matchAll(/malicious node (\d+): subverted/g)) {
          expect(statesAt(view.trace, PANEL.p2p, frame)[Number(match[1])]).toBe(stateIndex(view.trace, 'in the attacker'));
        }
      });
    }
    expect(sawFailure && sawSuccess).toBe(true);
  });

  it('counts all r routes but draws at most four', () => {
    const view = securityView(withParams({ routes: 16, maliciousFraction: 0.1 }), 2);
    expect(view.fixedShare.routes).toBe(16);
    expect(view.trace.descriptions[0]).toContain('3 of them drawn');
    expect(view.trace.descriptions[(view.frames.sybil ?? view.frames.download) - 1]).toMatch(/of all 16 routes \(\d of the 4 drawn\)/);
    expect(view.trace.caption).toContain('4 drawn');
  });

  it('plays the Sybils on the same ring and key, and leaves them out when the budget buys none', () => {
    const view = securityView(base, 5);
    const sybil = view.sybil!;
    expect(sybil).not.toBeNull();
    // $10,000 at $10 buys 1,000 identities: 1,000 / 11,000 of 80 nodes.
    expect(sybil.sybils).toBe(Math.round((1000 / 11_000) * VIEW_RING_NODES));
    expect([...sybil.lookup.ids]).toEqual([...view.fixedShare.lookup.ids]);
    expect(sybil.lookup.key).toBe(view.fixedShare.lookup.key);
    const trace = view.trace;
    const sybilState = stateIndex(trace, 'Sybil');
    expect(count(statesAt(trace, PANEL.p2p, view.frames.sybil!), sybilState)).toBe(sybil.sybils);
    expect(trace.descriptions[view.frames.sybil!]).toContain(`here ${sybil.sybils} of ${VIEW_RING_NODES}`);
    // Free identities: 79 of 80 nodes are Sybils, so one honest node starts the only route, and the text says why.
    const flooded = securityView(withParams({ sybilBudget: 10_000, identityCost: 0.01, routes: 16 }), 5);
    expect(flooded.sybil!.sybils).toBe(VIEW_RING_NODES - 1);
    expect(flooded.sybil!.routes).toBe(1);
    expect(flooded.trace.descriptions[flooded.frames.sybil!]).toContain('only 1 honest node to start routes from, of the r = 16 set');
    const none = securityView(withParams({ sybilBudget: 5, identityCost: 10 }), 5);
    expect(none.sybil).toBeNull();
    expect(none.trace.nodeLegend.some((entry) => entry.label.startsWith('Sybil'))).toBe(false);
    expect(none.trace.caption).toContain('buys no identity');
  });

  it('downloads chunks as the lab’s download simulation does: forged ones caught by the hash check', () => {
    let sawForged = false;
    for (let seed = 1; seed <= 6; seed++) {
      const view = securityView(withParams({ maliciousFraction: 0.4, chunks: 100 }), seed);
      const { download } = view;
      expect(download.fetches).toBe(6 + download.forged);
      expect(download.extraFetches).toBe(download.forged);
      expect(download.pollutedWithChecks).toBe(false);
      const trace = view.trace;
      let forgedMessages = 0;
      for (let frame = view.frames.download; frame < view.frames.breach; frame++) {
        forgedMessages += messagesAt(trace, PANEL.p2p, frame).filter(([, , kind]) => kind === MESSAGE.attack).length;
      }
      expect(forgedMessages).toBe(download.forged);
      const last = trace.descriptions[view.frames.breach - 1]!;
      expect(last).toContain(`${download.forged} forged`);
      expect(last).toContain(download.pollutedWithoutChecks ? 'polluted file' : 'clean too');
      if (download.forged > 0) {
        sawForged = true;
        expect(trace.descriptions.slice(view.frames.download, view.frames.breach).join(' ')).toMatch(
          /the hash check catches \d+ forged chunk/,
        );
      }
    }
    expect(sawForged).toBe(true);
  });

  it('shows the client-server side as the formula: every client exposed by a breach, none when p_c = 0', () => {
    const view = securityView(base, 1);
    const trace = view.trace;
    const last = trace.times.length - 1;
    expect(view.frames.breach).toBe(last);
    const attacker = stateIndex(trace, 'in the attacker');
    const states = statesAt(trace, PANEL.clientServer, last);
    expect(count(states, attacker)).toBe(VIEW_CLIENTS + 1);
    expect(messagesAt(trace, PANEL.clientServer, last)).toHaveLength(VIEW_CLIENTS);
    expect(trace.descriptions[last]).toContain(`exposes all ${VIEW_CLIENTS} clients here`);
    expect(trace.descriptions[last]).toContain('the formula');
    expect(trace.caption).toContain('formula drawn, not a simulation');
    expect(trace.panels[PANEL.clientServer]!.title).toContain('formula');
    // Step 1 every client asks, step 2 the server answers each.
    expect(messagesAt(trace, PANEL.clientServer, 1)).toHaveLength(VIEW_CLIENTS);
    expect(messagesAt(trace, PANEL.clientServer, 2).every(([from]) => from === 0)).toBe(true);
    const safe = securityView(withParams({ serverCompromise: 0 }), 1).trace;
    const safeLast = safe.times.length - 1;
    expect(count(statesAt(safe, PANEL.clientServer, safeLast), attacker)).toBe(0);
    expect(safe.descriptions[safeLast]).toContain('never breached');
  });

  it('observes without changing the run: the simulations give the same numbers with and without it', () => {
    const config = { nodes: 500, maxMalicious: 200, routes: 4, lookups: 300 };
    const plain = simulateRingLookups(config, createRandom(11));
    let routes = 0;
    const watched = simulateRingLookups(config, createRandom(11), { ring: () => undefined, route: () => void routes++ });
    expect(routes).toBe(300 * 4);
    expect([...watched.bestRouteMinRank]).toEqual([...plain.bestRouteMinRank]);
    expect([...watched.firstRouteMinRank]).toEqual([...plain.firstRouteMinRank]);
    expect(watched.trustedPerRoute.mean).toBe(plain.trustedPerRoute.mean);
    const population = { nodes: 100, malicious: 30, chunks: 20, trials: 200 };
    const bare = simulateDownloads(population, createRandom(12));
    let fetches = 0;
    let forged = 0;
    const seen = simulateDownloads(population, createRandom(12), {
      fetch: (_trial, _chunk, node, isForged, hashMatches) => {
        fetches++;
        if (isForged) forged++;
        // A forged copy never matches its hash; an honest one always does.
        expect(hashMatches).toBe(!isForged);
        expect(isForged).toBe(node < 30);
      },
    });
    expect(seen).toEqual(bare);
    // Every forged copy is fetched again once: the forgeries are the refetches.
    expect(forged).toBe(Math.round(bare.refetches.mean * 200));
    expect(fetches).toBe(200 * 20 + forged);
  });

  it('is what the lab’s run returns, recorded with its own seed', { timeout: 30_000 }, () => {
    const params = withParams({ peers: 100, trials: 100, chunks: 10 });
    const result = security.run(params, quietContext(4));
    expect(result.network).toEqual(securityView(params, 4).trace);
    expect(result.network!.caption).toContain('80 of the 100 nodes');
  });
});
