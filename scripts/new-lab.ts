/**
 * Scaffolds a lab: `npm run new-lab -- <id>` writes labs/<id>/ with a manifest (one
 * parameter, one chart), a model written with defineSweepLab (a simulation and the
 * formula it should agree with), its worker and a test. Nothing else needs editing:
 * the site finds the folder (labs/discover.ts), gives it a page and a gallery card,
 * and the registry, property and site tests cover it. `--dir <folder>` writes the lab
 * into another labs/ folder (the tests use a copy of the project), `--help` prints usage.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LABS_DIR = 'labs';

const USAGE = `Usage: npm run new-lab -- <id> [--dir <labs folder>]

Writes labs/<id>/ (manifest.ts, model.ts, worker.ts, model.test.ts): a working lab
with one parameter, one chart, a formula and a simulation. <id> is lower case
letters, digits and hyphens, starting with a letter ("flash-crowd").
Then embed it in a lesson with <Lab id="<id>" />, and make it your own.`;

/** "flash-crowd" → "flashCrowd": the name the model is exported under. */
function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** "flash-crowd" → "Flash crowd". */
function sentenceCase(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function labFiles(id: string): Record<string, string> {
  const name = camelCase(id);
  const title = sentenceCase(id);
  return {
    'manifest.ts': `import type { LabManifest } from '../kernel/manifest';

/**
 * What the ${id} lab declares: its parameter, its chart and the claim it tests. Plain
 * data, read by the page, the build's checks of lessons and the tests.
 */
export const manifest: LabManifest = {
  id: '${id}',
  title: '${title}',
  claims: ['A server that sends a file to each of N clients in turn needs N times as long as for one client.'],
  summary:
    'A server sends a file to each client in turn, each transfer taking a random time. Compare the simulated time to serve everyone with the formula N F / u_s.',
  params: [
    {
      kind: 'integer',
      name: 'clients',
      label: 'Clients',
      unit: 'clients',
      min: 1,
      max: 200,
      step: 1,
      default: 50,
      help: 'How many clients the server sends the file to, one after another.',
    },
  ],
  charts: [
    {
      id: 'time-vs-clients',
      title: 'Time to serve every client',
      x: { label: 'Clients', format: 'count' },
      y: { label: 'Time to serve every client', format: 'duration', beginAtZero: true },
      series: [
        { key: 'simulated', label: 'Simulation', role: 'simulated', subject: 'server' },
        { key: 'formula', label: 'Formula N F / u_s', role: 'reference', subject: 'server' },
      ],
    },
  ],
  outputs: [{ key: 'totalTime', label: 'Time to serve every client (simulated)', format: 'duration' }],
  method: {
    assumptions: [
      'A file of 100 Mbit; the server uploads at 10 Mbit/s, so one transfer takes 10 s on average.',
      'Each transfer takes an exponentially distributed time (a varying share of a busy link), one client after another.',
      'Each point is the mean of 20 independent runs, with its 95% confidence interval.',
    ],
    formulas: [{ label: 'Time to serve N clients in turn', tex: 'T(N) = N \\\\, \\\\frac{F}{u_s}' }],
    reference: 'Kurose & Ross, Computer Networking: A Top-Down Approach, 8th ed., §2.5 (distribution time).',
  },
  presets: [{ id: 'one-client', label: 'A single client', values: { clients: 1 } }],
};

/** The claim above is the instructor's own, not a sentence of the article: say where it comes from. */
export const claimSources: Record<string, string> = {
  [manifest.claims[0]!]: 'Kurose & Ross, Computer Networking, §2.5: the server alone must upload N copies of the file.',
};
`,
    'model.ts': `import type { ParamValues } from '../kernel/manifest';
import { defineSweepLab, type Point } from '../kernel/model';
import { createRandom } from '../kernel/random';
import { deriveSeed, linearSpaced, meanPoint } from '../kernel/stats';
import { formatDuration } from '../kernel/format';
import { manifest } from './manifest';

/** File size F (Mbit) and the server's upload rate u_s (Mbit/s): one transfer takes F / u_s = 10 s on average. */
export const FILE_MBIT = 100;
export const SERVER_MBIT_PER_S = 10;
export const REPLICATIONS = 20;

interface Params extends ParamValues {
  clients: number;
}

/** Kurose & Ross §2.5: a server alone uploads N copies, so it needs N F / u_s. */
export function formulaTime(clients: number): number {
  return (clients * FILE_MBIT) / SERVER_MBIT_PER_S;
}

/** One run: the server sends the file to each client in turn, each transfer an exponential time of mean F / u_s. */
export function simulateServing(clients: number, seed: number): number {
  const random = createRandom(seed);
  let clock = 0;
  for (let client = 0; client < clients; client++) clock += random.exponential(SERVER_MBIT_PER_S / FILE_MBIT);
  return clock;
}

/** The client counts the chart shows: up to 10 points from 1 to N. */
export function sweepPoints(clients: number): number[] {
  return [...new Set(linearSpaced(1, clients, Math.min(10, clients)).map(Math.round))];
}

/** Words chosen from the numbers they print, so the sentence cannot contradict them. */
export function verdictFor(simulated: number, formula: number): string {
  const printedSimulated = formatDuration(simulated);
  const printedFormula = formatDuration(formula);
  if (printedSimulated === printedFormula) return \`The simulation and the formula agree: \${printedSimulated}.\`;
  const side = simulated > formula ? 'longer' : 'shorter';
  return \`This run took \${printedSimulated}, \${side} than the formula's \${printedFormula}: transfer times vary, and the formula is their mean.\`;
}

export const ${name} = defineSweepLab<Params, number, number[]>({
  manifest,
  benchCases: [
    { size: 10, params: { clients: 10 } },
    { size: 100, params: { clients: 100 } },
    { size: 200, params: { clients: 200 } },
  ],
  sweep: {
    // One task per point of the chart, each on its own seed (the page runs them on several workers).
    plan: (params) => sweepPoints(params.clients).map((clients) => ({ task: clients, weight: clients })),
    runTask: (_params, clients, context) =>
      Array.from({ length: REPLICATIONS }, (_, replication) => simulateServing(clients, deriveSeed(context.seed, replication))),
    assemble: (params, results) => {
      const points = sweepPoints(params.clients);
      const simulated: Point[] = [];
      points.forEach((clients, index) => {
        const runs = results[index];
        if (runs) simulated.push(meanPoint(clients, runs, { min: 0 }));
      });
      const formula: Point[] = points.map((clients) => [clients, formulaTime(clients)]);
      const last = simulated.at(-1);
      const complete = results.length === points.length && results.every((runs) => runs !== undefined);
      const totalTime = complete && last ? last[1] : Number.NaN;
      const expected = formulaTime(params.clients);
      return {
        series: { simulated, formula },
        outputs: { totalTime: complete ? totalTime : Number.NaN },
        summary: complete
          ? \`Serving \${params.clients} clients in turn took \${formatDuration(totalTime)} on average over \${REPLICATIONS} runs; the formula gives \${formatDuration(expected)}.\`
          : 'Running…',
        verdict: complete ? verdictFor(totalTime, expected) : '',
      };
    },
  },
});
`,
    'worker.ts': `import { exposeModel } from '../kernel/expose';
import { ${name} } from './model';

exposeModel(${name});
`,
    'model.test.ts': `import { describe, expect, it } from 'vitest';
import { quietContext } from '../kernel/model';
import { ${name}, formulaTime, simulateServing, verdictFor } from './model';

describe('the ${id} lab', () => {
  it('agrees with the formula N F / u_s within the simulated 95% interval', () => {
    const result = ${name}.run({ clients: 50 }, quietContext(1));
    for (const [clients, mean, low, high] of result.series['simulated']!) {
      expect(low).toBeLessThanOrEqual(mean);
      expect(high).toBeGreaterThanOrEqual(mean);
      // A 95% interval misses now and then; twice its width does not, for this seed.
      const half = high! - low!;
      expect(Math.abs(mean - formulaTime(clients))).toBeLessThan(half);
    }
  });

  it('is the same for the same seed, and varies with the seed', () => {
    expect(simulateServing(20, 7)).toBe(simulateServing(20, 7));
    expect(simulateServing(20, 7)).not.toBe(simulateServing(20, 8));
  });

  it('says longer or shorter from the numbers it prints', () => {
    expect(verdictFor(120, 100)).toMatch(/longer than the formula's/);
    expect(verdictFor(80, 100)).toMatch(/shorter than the formula's/);
    expect(verdictFor(100.0001, 100)).toMatch(/agree/);
  });
});
`,
  };
}

export function createLab(options: { id: string; dir?: string }): string {
  const { id } = options;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
    throw new Error(`"${id}" is not a lab id: use lower case letters, digits and hyphens, starting with a letter ("flash-crowd").`);
  }
  const folder = join(options.dir ?? LABS_DIR, id);
  if (existsSync(folder)) throw new Error(`${folder} exists already; choose another id.`);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(labFiles(id))) writeFileSync(join(folder, file), text);
  return folder;
}

function main(argv: string[]): number {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? argv[dirAt + 1] : undefined;
  const ids = argv.filter((arg, index) => !arg.startsWith('--') && (dirAt < 0 || index !== dirAt + 1));
  if (ids.length !== 1) {
    console.error(USAGE);
    return 1;
  }
  try {
    const folder = createLab({ id: ids[0]!, ...(dir ? { dir } : {}) });
    console.log(`Wrote ${relative(process.cwd(), resolve(folder))}/: manifest.ts, model.ts, worker.ts, model.test.ts.`);
    console.log(`Test it: npx vitest run --project unit ${relative(process.cwd(), resolve(folder))}`);
    console.log(`Show it in a lesson: <Lab id="${ids[0]}" /> (it has its own page at /labs/${ids[0]}/ already).`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
