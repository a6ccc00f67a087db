import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quietContext } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import type { LabResult, Point } from '../kernel/model';
import {
  clientServerBound,
  peerToPeerBound,
  simulateSwarm,
  drawUploads,
  fileDistribution,
  fileDistributionVerdict,
  growthExponent,
  type FileDistributionVerdictInput,
} from './model';

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
    expect(peerToPeerBound({ ...textbook, peerDownload: 1000, peers: 3, peerUploads: uploads })).toBeCloseTo((3 * 15_000) / (30 + 3), 6);
  });
});

describe('chunk-level swarm', () => {
  const base = { fileSize: 15_000, serverUpload: 30, peerDownload: 2, chunks: 100, leaveWhenDone: false };

  it('never beats its bound, for homogeneous and heterogeneous swarms', () => {
    const random = createRandom(7);
    for (const peers of [1, 3, 40, 300]) {
      for (const [upload, spread] of [
        [0, 0],
        [0.3, 0],
        [0.7, 0.9],
        [2, 0.5],
        [5, 0],
      ] as const) {
        for (const leaveWhenDone of [false, true]) {
          const peerUploads = drawUploads(peers, upload, spread, random);
          const outcome = simulateSwarm({ ...base, peers, peerUploads, leaveWhenDone }, random);
          expect(outcome.time).toBeGreaterThanOrEqual(outcome.bound * (1 - 1e-12));
        }
      }
    }
  });

  // Store and forward costs a pipeline fill of a few chunk times per hop (about log2 N hops), so
  // the simulation stays above the fluid bound; with 200 chunks it stays within 8%.
  it('comes within 8% of the bound with many chunks and equal peers', () => {
    const random = createRandom(11);
    for (const [peers, upload] of [
      [1_000, 0.7],
      [1_000, 0.3],
      [2_000, 0.7],
      [300, 0.1],
      [200, 2],
    ] as const) {
      const outcome = simulateSwarm({ ...base, chunks: 200, peers, peerUploads: new Float64Array(peers).fill(upload) }, random);
      expect(outcome.time / outcome.bound).toBeLessThan(1.08);
    }
  });

  // The idle scheduler of old tried six random recipients and gave up, and a peer not
  // served in a step lost its download credit: client-server sat 19% above F/d at N = 10
  // and 2.5 times above it with a 10 Gbit/s server.
  it('gives client-server within 3% of max(NF/u_s, F/d) at every N, download- or server-limited', () => {
    for (const serverUpload of [30, 10_000]) {
      for (const peers of [1, 2, 5, 10, 14, 15, 16, 20, 31, 50, 100, 300, 1_000]) {
        const outcome = simulateSwarm({ ...base, serverUpload, peers, peerUploads: new Float64Array(peers) }, createRandom(peers));
        const bound = clientServerBound({ ...base, serverUpload, peers });
        expect(outcome.time).toBeGreaterThanOrEqual(bound);
        expect(outcome.time / bound, `u_s = ${serverUpload}, N = ${peers}`).toBeLessThan(1.03);
      }
    }
  });

  // A coarser file is a coarser clock (a step moves about one chunk), so this holds for
  // files in 50 or more chunks; with 10 a single step is 9% of the time.
  it('keeps client-server within 3% with other chunk counts just past the crossover', () => {
    for (const chunks of [50, 200]) {
      const outcome = simulateSwarm({ ...base, chunks, peers: 16, peerUploads: new Float64Array(16) }, createRandom(2));
      expect(outcome.time / clientServerBound({ ...base, peers: 16 })).toBeLessThanOrEqual(1.03 + 1e-9);
    }
  });

  it('makes no random choice for client-server, so one run is exact', () => {
    const config = { ...base, peers: 40, peerUploads: new Float64Array(40) };
    expect(simulateSwarm(config, createRandom(1))).toEqual(simulateSwarm(config, createRandom(2)));
  });

  it('is fair: with the server the bottleneck, every client finishes within a few steps of the last', () => {
    const outcome = simulateSwarm({ ...base, peers: 16, peerUploads: new Float64Array(16) }, createRandom(1));
    expect(outcome.completionTimes[0]! / outcome.time).toBeGreaterThan(0.95);
  });

  // When every peer uploads at least as fast as it downloads, the bound is F/d and only the
  // pipeline fill (about log2(N d/u_s) chunk times) separates the swarm from it.
  it('comes within 10% of the P2P bound when downloads are the limit (u >= d), and never below it', () => {
    for (const upload of [2, 3, 10]) {
      for (const peers of [10, 100, 1_000]) {
        const outcome = simulateSwarm({ ...base, peers, peerUploads: new Float64Array(peers).fill(upload) }, createRandom(peers + upload));
        expect(outcome.time).toBeGreaterThanOrEqual(outcome.bound);
        expect(outcome.time / outcome.bound, `u = ${upload}, N = ${peers}`).toBeLessThan(1.1);
      }
    }
  });

  it('with peers that never upload is client-server distribution', () => {
    const random = createRandom(3);
    const peers = 500;
    const outcome = simulateSwarm({ ...base, peers, peerUploads: new Float64Array(peers) }, random);
    const bound = clientServerBound({ ...base, peers });
    expect(outcome.bound).toBeCloseTo(bound, 6);
    expect(outcome.time).toBeGreaterThanOrEqual(bound);
    expect(outcome.time / bound).toBeLessThan(1.01);
  });

  it('with the file in one piece and peers that leave when done, is client-server again', () => {
    const peers = 200;
    const uploads = new Float64Array(peers).fill(0.7);
    const leaving = simulateSwarm({ ...base, chunks: 1, peers, peerUploads: uploads, leaveWhenDone: true }, createRandom(4));
    const staying = simulateSwarm({ ...base, chunks: 1, peers, peerUploads: uploads }, createRandom(4));
    const bound = clientServerBound({ ...base, peers });
    expect(leaving.time / bound).toBeGreaterThan(0.99);
    expect(staying.time).toBeLessThan(leaving.time / 2);
  });

  // Peers far faster than the server that leave with their last chunk: each fresh chunk
  // spreads at once, but whoever gets the last one leaves with it, so every other peer waits
  // for the server's own copy. The run is then the server's C + N − 1 chunk times, most of
  // them steps in which no peer can send (skipped) and whose length doubles (lazy buckets).
  it('with fast peers that leave on their last chunk, waits on the server: (C + N − 1) chunk times', () => {
    for (const peers of [30, 300, 2_000]) {
      const uploads = new Float64Array(peers).fill(10_000);
      const outcome = simulateSwarm(
        { ...base, peerDownload: 10_000, peers, peerUploads: uploads, leaveWhenDone: true },
        createRandom(peers),
      );
      const serverChunkTime = base.fileSize / base.chunks / base.serverUpload;
      expect(outcome.time / ((base.chunks + peers - 1) * serverChunkTime), `N = ${peers}`).toBeCloseTo(1, 2);
    }
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

  it('produces every series its charts name; simulated points carry intervals and sit on their bound grid', () => {
    const result = fileDistribution.run(params, quietContext(5));
    for (const chart of fileDistribution.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length).toBeGreaterThan(1);
    }
    const p2pSim = result.series['p2pSim']!;
    expect(p2pSim.at(-1)![0]).toBe(300);
    for (const [sim, bound] of [
      ['csSim', 'csBound'],
      ['p2pSim', 'p2pBound'],
    ] as const) {
      const floor = new Map(result.series[bound]!.map(([x, y]) => [x, y]));
      for (const point of result.series[sim]!) {
        // The swarm's points are means over runs, with an interval; client-server is exact.
        expect(point).toHaveLength(sim === 'p2pSim' ? 4 : 2);
        const [x, y, low = y, high = y] = point;
        expect(low).toBeLessThanOrEqual(y);
        expect(high).toBeGreaterThanOrEqual(y);
        expect(floor.has(x)).toBe(true);
        expect(y).toBeGreaterThanOrEqual(floor.get(x)! * (1 - 1e-9));
      }
    }
    expect(result.verdict).toMatch(/overloaded/);
  });

  it('draws the P2P bound of the upload rates drawn at each simulated N, below every simulated mean', () => {
    const result = fileDistribution.run({ ...params, uploadSpread: 1, peers: 40 }, quietContext(9));
    const bound = new Map(result.series['p2pBound']!.map(([x, y]) => [x, y]));
    for (const [x, y] of result.series['p2pSim']!) expect(y).toBeGreaterThanOrEqual(bound.get(x)!);
  });

  it('draws completion curves for a log time axis: no point at time 0, shares up to 100%', () => {
    const result = fileDistribution.run(params, quietContext(5));
    for (const key of ['csDone', 'p2pDone']) {
      const curve = result.series[key]!;
      for (const [x, y] of curve) {
        expect(x).toBeGreaterThan(0);
        expect(y).toBeGreaterThan(0);
        expect(y).toBeLessThanOrEqual(100);
      }
      expect(curve.at(-1)![1]).toBe(100);
    }
  });

  it('reports progress that rises to 1', () => {
    const reported: number[] = [];
    fileDistribution.run(defaults(fileDistribution.manifest), { seed: 1, progress: (f) => reported.push(f) });
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });
});

describe('the run as tasks', () => {
  const sweep = fileDistribution.sweep!;
  const paramsAt = (peers: number) => validateParams(fileDistribution.manifest, { peers }).values;

  it('makes each swarm replication and each client-server run at each N a task, a modest number of them', () => {
    for (const peers of [1, 1_000, 100_000]) {
      const tasks = sweep.plan(paramsAt(peers)) as ReadonlyArray<{ task: { peers: number; replication: number }; weight: number }>;
      const sizes = [...new Set(tasks.map(({ task }) => task.peers))];
      expect(tasks.length).toBeLessThanOrEqual(100);
      if (peers > 1) expect(tasks.length).toBeGreaterThanOrEqual(10);
      for (const n of sizes) {
        const runs = tasks.filter(({ task }) => task.peers === n);
        expect(runs.filter(({ task }) => task.replication < 0)).toHaveLength(1);
        expect(runs.filter(({ task }) => task.replication >= 0).length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('shares the largest N among workers: no task is more than 40% of the run at 100,000 peers', () => {
    const tasks = sweep.plan(paramsAt(100_000));
    const total = tasks.reduce((sum, { weight }) => sum + weight, 0);
    for (const { weight } of tasks) expect(weight / total).toBeLessThan(0.4);
  });

  it('leaves out a point whose runs are not all in, and waits for the last task to give a verdict', () => {
    const params = paramsAt(40);
    const tasks = sweep.plan(params) as ReadonlyArray<{ task: { peers: number; replication: number } }>;
    const parts: unknown[] = tasks.map(({ task }, index) => sweep.runTask(params, task, quietContext(index)));
    const lastSwarmRun = tasks.findIndex(({ task }) => task.peers === 40 && task.replication === 1);
    const partial = sweep.assemble(
      params,
      parts.map((part, index) => (index === lastSwarmRun ? undefined : part)),
      1,
    );
    expect(partial.series['p2pSim']!.map(([x]) => x)).not.toContain(40);
    expect(partial.series['csSim']!.map(([x]) => x)).toContain(40);
    expect(partial.verdict).toBe('');
    expect(sweep.assemble(params, parts, 1).verdict).toMatch(/overloaded/);
  });
});

describe('the growth exponent', () => {
  it('is the power of a power law', () => {
    const points: Point[] = [10, 30, 100, 300, 1000].map((n) => [n, 7 * n ** 0.7]);
    expect(growthExponent(points)).toBeCloseTo(0.7, 9);
  });

  it('uses only the last decade of N', () => {
    const points: Point[] = [
      [1, 1],
      [10, 1],
      [100, 10],
      [1000, 100],
    ];
    expect(growthExponent(points)).toBeCloseTo(1, 9);
  });

  it('does not exist with one point', () => {
    expect(growthExponent([[1, 5]])).toBeNaN();
  });
});

describe('the verdict, from the numbers it prints', () => {
  const base: FileDistributionVerdictInput = {
    peers: 1000,
    crossover: 15,
    fileSize: 15_000,
    serverUpload: 30,
    peerDownload: 2,
    csTime: 500_000,
    p2pTime: 22_000,
    p2pBound: 20_000,
    swarmGrowth: 0.12,
    serverGrowth: 1,
  };

  it('calls the server overloaded only when N exceeds u_s/d as printed', () => {
    expect(fileDistributionVerdict({ ...base, peers: 15, crossover: 15.04 })).toMatch(
      /overloaded” does not show here: N = 15 is at most u_s\/d = 15,/,
    );
    expect(fileDistributionVerdict({ ...base, peers: 16, crossover: 15.04 })).toMatch(
      /overloaded” holds here: N = 16 is more than u_s\/d = 15,/,
    );
  });

  it('judges “not bottlenecked” by the growth exponent as printed', () => {
    expect(fileDistributionVerdict({ ...base, swarmGrowth: 0.504 })).toMatch(
      /not bottlenecked” holds: .* grows as N\^0\.50, no faster than √N/,
    );
    expect(fileDistributionVerdict({ ...base, swarmGrowth: 0.506 })).toMatch(
      /not bottlenecked” fails for these settings: .* grows as N\^0\.51, faster than √N/,
    );
    expect(fileDistributionVerdict({ ...base, peers: 1, swarmGrowth: NaN, serverGrowth: NaN })).toMatch(
      /cannot be judged with a single peer/,
    );
  });

  it('compares the two growth exponents as printed for “less scalable”', () => {
    expect(fileDistributionVerdict(base)).toMatch(
      /less scalable” is contradicted: the swarm's time grows as N\^0\.12 .* the server's as N\^1\.00/,
    );
    expect(fileDistributionVerdict({ ...base, swarmGrowth: 0.999, serverGrowth: 1.001 })).toMatch(
      /less scalable” holds here: .*N\^1\.00.*N\^1\.00/,
    );
    expect(fileDistributionVerdict({ ...base, swarmGrowth: 0.104, serverGrowth: 0.1 })).toMatch(
      /less scalable” is not tested at these sizes/,
    );
  });
});

describe('the verdict at the presets', () => {
  const manifest = fileDistribution.manifest;
  const runs = new Map<string, LabResult>();
  const run = (id: string): LabResult => {
    const preset = manifest.presets?.find((p) => p.id === id);
    if (!preset) throw new Error(`no preset ${id}`);
    if (!runs.has(id)) runs.set(id, fileDistribution.run({ ...defaults(manifest), ...preset.values }, quietContext(1)));
    return runs.get(id)!;
  };
  const at = (id: string): string => run(id).verdict;

  it('textbook: the server is overloaded, the swarm is not bottlenecked and scales better', { timeout: 20_000 }, () => {
    const verdict = at('textbook');
    expect(verdict).toMatch(/overloaded” holds here/);
    expect(verdict).toMatch(/not bottlenecked” holds/);
    expect(verdict).toMatch(/less scalable” is contradicted/);
  });

  it('free riders: the swarm is bottlenecked', { timeout: 20_000 }, () => {
    expect(at('free-riders')).toMatch(/not bottlenecked” fails for these settings/);
  });

  it('peers that leave cost time but, with the file in 100 chunks, do not bottleneck the swarm', { timeout: 20_000 }, () => {
    expect(run('leechers-leave').outputs!['p2pTime']).toBeGreaterThan(run('textbook').outputs!['p2pTime']!);
    expect(at('leechers-leave')).toMatch(/not bottlenecked” holds/);
  });

  it('peers that leave with the file in one piece: bottlenecked, and P2P no more scalable', { timeout: 20_000 }, () => {
    const verdict = at('leave-whole-file');
    expect(verdict).toMatch(/not bottlenecked” fails for these settings/);
    expect(verdict).toMatch(/less scalable” holds here/);
  });

  it('a data-centre server: not overloaded, and scalability is not tested', { timeout: 20_000 }, () => {
    const verdict = at('big-server');
    expect(verdict).toMatch(/overloaded” does not show here/);
    expect(verdict).toMatch(/less scalable” is not tested at these sizes/);
  });

  it('the P2P ceiling does not exist when peers do not upload', () => {
    const result = fileDistribution.run({ ...defaults(manifest), peers: 30, peerUpload: 0 }, quietContext(1));
    expect(result.outputs!['p2pCeiling']).toBeNaN();
    expect(result.summary).toMatch(/P2P is client-server/);
  });
});
