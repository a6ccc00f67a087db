import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRandom } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { defaults } from '../kernel/manifest';
import { MAX_FRAMES, type NetworkTrace } from '../kernel/trace';
import { componentSizes, erdosRenyiGraph, preferentialAttachmentGraph, randomOrder, degreeOrder, starGraph, type Graph } from './graph';
import { removalCurve } from './percolation';
import { quietContext } from '../kernel/model';
import {
  attacks,
  connectivity,
  runExperiment,
  sampledRemovals,
  topologies,
  type Attack,
  type ConnectivityParams,
  type Topology,
} from './model';
import { manifest } from './manifest';
import { STATE, VIEW_NODES, componentsPhrase, connectivityView, edgePairs, forceLayout, frameCounts } from './network';

const base = defaults(manifest) as unknown as ConnectivityParams;

/** Nodes of a panel in each state at a frame. */
function countStates(trace: NetworkTrace, panel: number, frame: number): number[] {
  const p = trace.panels[panel]!;
  const counts = new Array<number>(trace.nodeLegend.length).fill(0);
  for (let node = 0; node < p.nodes; node++) counts[p.states[frame * p.nodes + node]!]! += 1;
  return counts;
}

/** The numbers a description states: nodes removed, and the largest component's size (null when none is largest alone). */
function statedNumbers(description: string): { removed: number; of: number; largest: (number | null)[] } {
  const removed = /^([\d,]+) of ([\d,]+) nodes? removed/.exec(description);
  if (!removed) throw new Error(`no removal count in: ${description}`);
  const largest = [...description.matchAll(/(?:largest component holds ([\d,]+) nodes?|no group is largest alone|no node is left)/g)].map(
    (match) => (match[1] === undefined ? null : Number(match[1].replace(/,/g, ''))),
  );
  return { removed: Number(removed[1]!.replace(/,/g, '')), of: Number(removed[2]!.replace(/,/g, '')), largest };
}

describe('removalCurve’s component labels', () => {
  const graphs: Array<[string, Graph]> = [
    ['Erdős–Rényi c = 1.5', erdosRenyiGraph(300, 1.5, createRandom(1))],
    ['scale-free m = 2', preferentialAttachmentGraph(300, 2, createRandom(2))],
    ['star', starGraph(50)],
  ];

  it('group exactly the nodes that breadth-first search finds connected, and leave the curve as it is without them', () => {
    for (const [name, graph] of graphs) {
      for (const order of [randomOrder(graph.nodes, createRandom(3)), degreeOrder(graph, createRandom(4))]) {
        const at = [0, 1, 7, Math.floor(graph.nodes / 3), Math.floor(graph.nodes / 2), graph.nodes - 1, graph.nodes, 7];
        const plain = removalCurve(graph, order);
        const labelled = removalCurve(graph, order, at);
        expect(labelled.largest, name).toEqual(plain.largest);
        expect(labelled.pairSum, name).toEqual(plain.pairSum);
        expect(labelled.labels).toHaveLength(at.length);
        at.forEach((k, i) => {
          const labels = labelled.labels![i]!;
          const present = new Uint8Array(graph.nodes).fill(1);
          for (let j = 0; j < k; j++) present[order[j]!] = 0;
          for (let v = 0; v < graph.nodes; v++) expect(labels[v]! < 0, `${name}, node ${v} after ${k}`).toBe(present[v] === 0);
          // Linked survivors share a label, and there are as many labels of each size as BFS finds components.
          for (let v = 0; v < graph.nodes; v++) {
            for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
              const u = graph.neighbors[e]!;
              if (present[v] && present[u]) expect(labels[u]).toBe(labels[v]);
            }
          }
          const sizes = new Map<number, number>();
          for (const label of labels) if (label >= 0) sizes.set(label, (sizes.get(label) ?? 0) + 1);
          const bfs = componentSizes(graph, present).sort((a, b) => a - b);
          expect(
            [...sizes.values()].sort((a, b) => a - b),
            `${name} after ${k}`,
          ).toEqual(bfs);
          expect(Math.max(0, ...sizes.values())).toBe(plain.largest[k]);
        });
      }
    }
  });

  it('refuses a removal count outside 0..N', () => {
    const graph = starGraph(5);
    expect(() => removalCurve(graph, randomOrder(5, createRandom(1)), [6])).toThrow(RangeError);
    expect(() => removalCurve(graph, randomOrder(5, createRandom(1)), [1.5])).toThrow(RangeError);
  });
});

describe('the connectivity lab’s network view', () => {
  const settings: Array<[ConnectivityParams, Topology, Attack]> = [
    [base, 'scale-free', 'targeted'],
    [base, 'erdos-renyi', 'random'],
    [base, 'star', 'random'],
    [base, 'star', 'targeted'],
    [{ ...base, nodes: 10, links: 6 }, 'scale-free', 'random'],
    [{ ...base, meanDegree: 0.1 }, 'erdos-renyi', 'targeted'],
    [{ ...base, meanDegree: 12 }, 'erdos-renyi', 'targeted'],
    [{ ...base, nodes: 130, links: 1 }, 'scale-free', 'targeted'],
  ];

  it('is the same trace for the same seed and another for another seed', () => {
    expect(connectivityView(base, 'scale-free', 'targeted', 11).trace).toEqual(connectivityView(base, 'scale-free', 'targeted', 11).trace);
    const other = connectivityView(base, 'scale-free', 'targeted', 12).trace;
    expect(other.panels[1]!.x).not.toEqual(connectivityView(base, 'scale-free', 'targeted', 11).trace.panels[1]!.x);
  });

  it('keeps panels, nodes and frames within limits: a star alone, or a star beside the overlay; frames at the lab’s sampled removals', () => {
    for (const [params, topology, attack] of settings) {
      const { trace } = connectivityView(params, topology, attack, 5);
      const nodes = Math.min(params.nodes, VIEW_NODES);
      expect(trace.panels.map((p) => p.nodes)).toEqual(topology === 'star' ? [nodes] : [nodes, nodes]);
      expect(trace.panels[0]!.title).toMatch(/star/);
      const frames = sampledRemovals(nodes).length;
      expect(trace.times.length).toBe(frames);
      expect(frames).toBeLessThanOrEqual(MAX_FRAMES);
      expect([...trace.times]).toEqual(Array.from({ length: frames }, (_, step) => step));
      expect(trace.timeFormat).toBe('step');
      expect(trace.stepName).toBe('removal step');
      expect(trace.descriptions).toHaveLength(frames);
      for (const panel of trace.panels) {
        expect(panel.states.length).toBe(frames * panel.nodes);
        expect(panel.messageStart.length).toBe(frames + 1);
        expect(panel.messageFrom.length).toBe(0);
        for (const value of [...panel.x, ...panel.y]) {
          expect(value).toBeGreaterThanOrEqual(0.05 - 1e-6);
          expect(value).toBeLessThanOrEqual(0.95 + 1e-6);
        }
        for (const node of panel.edges) expect(node).toBeLessThan(panel.nodes);
        for (const state of panel.states) expect(state).toBeLessThan(trace.nodeLegend.length);
      }
      for (const text of [...trace.descriptions, trace.caption]) expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
      if (nodes < params.nodes) expect(trace.caption).toContain(`${nodes} of the`);
      expect(trace.caption).toContain('for drawing only');
    }
  });

  it('shows, in every frame, the components of the lab’s own simulation of that network: the same largest group as runExperiment finds', () => {
    for (const [params, topology, attack] of settings) {
      const seed = 7;
      const { trace, networks } = connectivityView(params, topology, attack, seed);
      const nodes = Math.min(params.nodes, VIEW_NODES);
      const experiment = runExperiment({ ...params, nodes, trials: 1 }, deriveSeed(seed, 0xfeed));
      const removals = sampledRemovals(nodes);
      networks.forEach((network, panel) => {
        const giant = experiment.curves[`${network.topology}/${attack}`].giant[0]!;
        removals.forEach((removed, frame) => {
          const counts = countStates(trace, panel, frame);
          const largest = Math.round(giant[frame]! * nodes);
          expect(network.largest[frame]).toBe(largest);
          expect(counts[STATE.removed]! + counts[STATE.removedNow]!).toBe(removed);
          expect(counts[STATE.removedNow]).toBe(removed - (frame > 0 ? removals[frame - 1]! : 0));
          const state = frameCounts(network.labels[frame]!);
          // The largest group is coloured exactly when it is largest alone; it then has the simulation's size.
          expect(counts[STATE.largest]).toBe(state.largestTies === 1 ? largest : 0);
          expect(state.largest).toBe(largest);
        });
      });
    }
  });

  it('states in its first and last descriptions the numbers its states show', () => {
    for (const [params, topology, attack] of settings) {
      const { trace } = connectivityView(params, topology, attack, 3);
      const last = trace.times.length - 1;
      for (const frame of [0, 1, last]) {
        const stated = statedNumbers(trace.descriptions[frame]!);
        trace.panels.forEach((panel, index) => {
          const counts = countStates(trace, index, frame);
          expect(stated.of).toBe(panel.nodes);
          expect(stated.removed).toBe(counts[STATE.removed]! + counts[STATE.removedNow]!);
          expect(stated.largest[index]).toBe(counts[STATE.largest]! > 0 ? counts[STATE.largest] : null);
        });
      }
      expect(trace.descriptions[last]).toMatch(/no node is left/);
    }
  });

  it('is what the lab’s run returns, on its own seed, so the charts’ numbers do not change with it', () => {
    const params = { ...base, nodes: 2000, trials: 2, topology: 'erdos-renyi', attack: 'random' };
    const result = connectivity.run(params, quietContext(4));
    expect(result.network).toEqual(connectivityView(params, 'erdos-renyi', 'random', 4).trace);
    // The charts come from runExperiment on the run's seed; the view from deriveSeed(seed, 0xfeed).
    const experiment = runExperiment(params, 4);
    const curve = experiment.curves['erdos-renyi/random'];
    const simulated = result.series['erRandom']!;
    expect(simulated).toHaveLength(curve.removed.length);
    simulated.forEach((point, i) => expect(point[1]).toBeCloseTo((100 * (curve.giant[0]![i]! + curve.giant[1]![i]!)) / 2, 9));
  });

  it('removes the star’s server first under attack, and says so', () => {
    const { trace } = connectivityView(base, 'erdos-renyi', 'targeted', 9);
    const star = trace.panels[0]!;
    expect(star.states[0]).toBe(STATE.largest);
    expect(star.states[star.nodes]).toBe(STATE.removedNow);
    expect(trace.descriptions[1]).toMatch(
      /^1 of 120 nodes removed in each network \(1%\), the highest-degree first\. Star: its server is gone, so no group is largest alone: 119 pieces of at most 1 node\./,
    );
  });

  it('words a frame from its counts: a largest group alone, a tie, nothing left', () => {
    expect(componentsPhrase(frameCounts(Int32Array.from([0, 0, 0, 3, 4, -1])), 6)).toBe(
      'the largest component holds 3 nodes (50% of all); 2 smaller pieces',
    );
    expect(componentsPhrase(frameCounts(Int32Array.from([0, 0, 2, 2, -1])), 5)).toBe(
      'no group is largest alone: 2 pieces of at most 2 nodes',
    );
    expect(componentsPhrase(frameCounts(Int32Array.from([1, 1, -1])), 3)).toBe(
      'the largest component holds 2 nodes (67% of all); no smaller pieces',
    );
    expect(componentsPhrase(frameCounts(Int32Array.from([-1, -1])), 2)).toBe('no node is left');
  });

  it('lays a graph out the same way for the same seed, scaled to fill [0.05, 0.95] along its longer side', () => {
    const graph = preferentialAttachmentGraph(120, 2, createRandom(1));
    const first = forceLayout(graph, createRandom(2));
    expect(forceLayout(graph, createRandom(2))).toEqual(first);
    const span = (values: Float32Array): number => Math.max(...values) - Math.min(...values);
    expect(Math.max(span(first.x), span(first.y))).toBeCloseTo(0.9, 5);
    // Linked nodes sit closer than nodes in general: the layout follows the links.
    const distance = (a: number, b: number): number => Math.hypot(first.x[a]! - first.x[b]!, first.y[a]! - first.y[b]!);
    const pairs = edgePairs(graph);
    let linked = 0;
    for (let i = 0; i < pairs.length; i += 2) linked += distance(pairs[i]!, pairs[i + 1]!) / (pairs.length / 2);
    let all = 0;
    for (let a = 0; a < 120; a++) for (let b = 0; b < a; b++) all += distance(a, b) / ((120 * 119) / 2);
    expect(linked).toBeLessThan(0.6 * all);
  });

  it('holds at random valid settings: frames and descriptions agree with the states', () => {
    const param = fc.record({
      topology: fc.constantFrom(...topologies),
      attack: fc.constantFrom(...attacks),
      nodes: fc.oneof(fc.constantFrom(10, 1_000_000), fc.integer({ min: 10, max: 400 })),
      meanDegree: fc.integer({ min: 1, max: 120 }).map((tenths) => tenths / 10),
      links: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    });
    fc.assert(
      fc.property(param, ({ topology, attack, seed, ...rest }) => {
        const params = { ...base, ...rest };
        const { trace } = connectivityView(params, topology, attack, seed);
        const last = trace.times.length - 1;
        for (const frame of [0, last]) {
          const stated = statedNumbers(trace.descriptions[frame]!);
          trace.panels.forEach((panel, index) => {
            const counts = countStates(trace, index, frame);
            expect(stated.of).toBe(panel.nodes);
            expect(stated.removed).toBe(counts[STATE.removed]! + counts[STATE.removedNow]!);
            expect(stated.largest[index]).toBe(counts[STATE.largest]! > 0 ? counts[STATE.largest] : null);
          });
        }
        for (const text of trace.descriptions) expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
      }),
      { numRuns: 25 },
    );
  });
});
