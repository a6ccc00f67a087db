import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quietContext } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import { clientServerBound, peerToPeerBound, simulateSwarm, drawUploads, fileDistribution } from './model';

// Kurose & Ross, problem P22: F = 15 Gbit, u_s = 30 Mbit/s, d = 2 Mbit/s (values in Mbit and seconds).
const textbook = { fileSize: 15_000, serverUpload: 30, peerDownload: 2 };

describe('Kurose & Ross bounds', () => {
  it.each([
    [10, 7_500],
    [100, 50_000],
    [1_000, 500_000],
  ])('client-server, N = %i takes %f s', (peers, expected) => {
    expect(clientServerBound({ ...textbook, peers })).toBeCloseTo(expected, 6);
  });

  it.each([
    // [N, u (Mbit/s), minimum distribution time (s)]
    [10, 0.3, 7_500],
    [100, 0.3, 25_000],
    [1_000, 0.3, 45_454.545],
    [10, 0.7, 7_500],
    [100, 0.7, 15_000],
    [1_000, 0.7, 20_547.945],
    [10, 2, 7_500],
    [100, 2, 7_500],
    [1_000, 2, 7_500],
  ])('P2P, N = %i, u = %f takes %f s', (peers, peerUploads, expected) => {
    expect(peerToPeerBound({ ...textbook, peers, peerUploads })).toBeCloseTo(expected, 2);
  });

  it('uses the sum of heterogeneous upload rates', () => {
    const uploads = [0.1, 0.5, 2.4];
    expect(peerToPeerBound({ ...textbook, peerDownload: 1000, peers: 3, peerUploads: uploads })).toBeCloseTo(
      (3 * 15_000) / (30 + 3),
      6,
    );
  });
});

describe('chunk-level swarm', () => {
  const base = { fileSize: 15_000, serverUpload: 30, peerDownload: 2, chunks: 100, leaveWhenDone: false };

  it('never beats its bound, for homogeneous and heterogeneous swarms', () => {
    const random = createRandom(7);
    for (const peers of [1, 3, 40, 300]) {
      for (const [upload, spread] of [[0, 0], [0.3, 0], [0.7, 0.9], [2, 0.5], [5, 0]] as const) {
        for (const leaveWhenDone of [false, true]) {
          const peerUploads = drawUploads(peers, upload, spread, random);
          const outcome = simulateSwarm({ ...base, peers, peerUploads, leaveWhenDone }, random);
          expect(outcome.time).toBeGreaterThanOrEqual(outcome.bound * (1 - 1e-12));
        }
      }
    }
  });

  // Store and forward costs a pipeline fill of a few chunk times per hop (about log2 N hops), so
  // the simulation stays above the fluid bound; with 200 chunks it stays within 15%.
  it('comes within 15% of the bound with many chunks and equal peers', () => {
    const random = createRandom(11);
    for (const [peers, upload] of [[1_000, 0.7], [1_000, 0.3], [2_000, 0.7], [300, 0.1]] as const) {
      const outcome = simulateSwarm({ ...base, chunks: 200, peers, peerUploads: new Float64Array(peers).fill(upload) }, random);
      expect(outcome.time / outcome.bound).toBeLessThan(1.15);
    }
  });

  // When upload supply barely exceeds download demand (u = d), random matching leaves
  // some capacity idle, so the margin is wider; it is still bounded.
  it('comes within 20% of the bound when upload and download are balanced', () => {
    const outcome = simulateSwarm({ ...base, chunks: 200, peers: 200, peerUploads: new Float64Array(200).fill(2) }, createRandom(11));
    expect(outcome.time / outcome.bound).toBeLessThan(1.2);
  });

  it('with peers that never upload is client-server distribution', () => {
    const random = createRandom(3);
    const peers = 500;
    const outcome = simulateSwarm({ ...base, peers, peerUploads: new Float64Array(peers) }, random);
    const bound = clientServerBound({ ...base, peers });
    expect(outcome.bound).toBeCloseTo(bound, 6);
    expect(outcome.time).toBeGreaterThanOrEqual(bound);
    expect(outcome.time / bound).toBeLessThan(1.05);
  });

  it('records one completion time per peer, the last equal to the total time', () => {
    const peers = 50;
    const outcome = simulateSwarm({ ...base, peers, peerUploads: new Float64Array(peers).fill(0.7) }, createRandom(1));
    expect(outcome.completionTimes).toHaveLength(peers);
    expect(outcome.completionTimes[peers - 1]).toBeCloseTo(outcome.time, 9);
    for (let i = 1; i < peers; i++) expect(outcome.completionTimes[i]).toBeGreaterThanOrEqual(outcome.completionTimes[i - 1]!);
  });
});

describe('the lab model', () => {
  const params = validateParams(fileDistribution.manifest, { peers: 300 }).values;

  it('gives the same result for the same seed, and another for another seed', () => {
    const a = fileDistribution.run(params, quietContext(42));
    const b = fileDistribution.run(params, quietContext(42));
    const c = fileDistribution.run({ ...params, uploadSpread: 0.8 }, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['p2pSim']).not.toEqual(a.series['p2pSim']);
  });

  it('produces every series its charts name, each simulated point above its line', () => {
    const result = fileDistribution.run(params, quietContext(5));
    for (const chart of fileDistribution.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length).toBeGreaterThan(1);
    }
    const p2pSim = result.series['p2pSim']!;
    expect(p2pSim.at(-1)![0]).toBe(300);
    expect(result.verdict).toMatch(/overloaded/);
  });

  it('reports progress that rises to 1', () => {
    const reported: number[] = [];
    fileDistribution.run(defaults(fileDistribution.manifest), { seed: 1, progress: (f) => reported.push(f) });
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });
});
