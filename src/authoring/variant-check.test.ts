import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { checkVariant } from './variant-check';
import { modelValue } from './model-value';
import { drawVariant, type VariantConfig } from '../exercises/variants';
import { variantAnswer } from '../exercises/variant-answer';
import { labWorkerApi } from '../../labs/kernel/expose';
import { findModel } from '../../labs/models';
import type { LabModel } from '../../labs/kernel/model';

/** The homework's swarm, with the class size and the students' upload drawn per student. */
const swarm = {
  lab: 'file-distribution',
  preset: { peers: 300, fileSize: 16, serverUpload: 100, peerDownload: 50, peerUpload: 10 },
  series: 'p2pBound',
  vary: { peers: { from: 100, to: 600, step: 20 }, peerUpload: [2, 5, 10, 20] },
};

function config(input: unknown): VariantConfig {
  const checked = checkVariant(input);
  if ('errors' in checked) throw new Error(checked.errors.join(' '));
  return checked.config;
}

const problems = (input: unknown): string => {
  const checked = checkVariant(input);
  return 'errors' in checked ? checked.errors.join(' ') : 'ok';
};

describe('a numeric question’s variant, checked at build time', () => {
  it('gives the page every parameter’s standard value, the query and the variation', () => {
    const checked = config(swarm);
    expect(checked.lab).toBe('file-distribution');
    expect(checked.seed).toBe(1);
    expect(checked.query).toEqual({ series: 'p2pBound', output: undefined, at: undefined });
    expect(checked.base).toMatchObject({ ...swarm.preset, chunks: 100, afterDone: 'stay' });
    expect(checked.varied).toEqual([
      { name: 'peers', from: 100, step: 20, count: 26, decimals: 0 },
      { name: 'peerUpload', values: [2, 5, 10, 20] },
    ]);
    expect(checked.labels['afterDone']).toEqual({ stay: 'it stays and keeps uploading (seeds)', leave: 'it leaves the swarm' });
  });

  it('names an unknown lab, key, series or output, and lists what exists', () => {
    expect(problems({ ...swarm, lab: 'file-distributon' })).toMatch(
      /^there is no lab "file-distributon"\. The labs are: file-distribution, /,
    );
    expect(problems({ ...swarm, serie: 'p2pBound' })).toMatch(
      /^has no "serie"; its keys are lab, preset, series, output, at, seed, vary\./,
    );
    expect(problems({ ...swarm, series: 'p2pBund' })).toMatch(
      /the file-distribution lab has no series "p2pBund"; its series are csBound, csSim, p2pBound/,
    );
    expect(problems({ ...swarm, series: undefined, output: 'nope' })).toMatch(/has no output "nope"; its outputs are crossover, /);
    expect(problems({ ...swarm, output: 'crossover' })).toMatch(/give either series .* or output, not both or neither/);
  });

  it('checks the preset, the seed and the variation against the manifest, listing every problem', () => {
    const all = problems({
      ...swarm,
      preset: { ...swarm.preset, chunks: 0 },
      seed: -1,
      vary: { peers: { from: 0, to: 600, step: 20 }, nope: [1, 2] },
    });
    expect(all).toMatch(/preset: Chunks per file must be a whole number from 1 to 256/);
    expect(all).toMatch(/seed: Seed must be a whole number/);
    expect(all).toMatch(/vary\.peers from: .* 0 is out of range/);
    expect(all).toMatch(/"nope" is not a parameter of the file-distribution lab/);
    expect(problems({ ...swarm, vary: undefined })).toMatch(/vary must name at least one parameter/);
    expect(problems('file-distribution')).toMatch(/^must be an object such as/);
  });
});

/** A lab's worker served on a MessageChannel, as src/lab-host/pool.test.ts does. */
function inThread(model: LabModel): () => Worker {
  return () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(labWorkerApi(model), port2);
    const worker = port1 as unknown as Worker & { terminate(): void };
    worker.terminate = () => {
      port1.close();
      port2.close();
    };
    return worker;
  };
}

describe('the answer to a drawn variant', () => {
  const model = findModel('file-distribution') as LabModel;

  it.each(['s1234567', 'Ada Lovelace', '42'])(
    'is the model’s value for the numbers seed “%s” draws, computed on the lab host’s pool',
    async (seed) => {
      const checked = config(swarm);
      const values = { ...checked.base, ...drawVariant(checked.varied, seed) };
      const answer = await variantAnswer(inThread(model), checked, values);
      expect(answer).toBe(Number(modelValue({ lab: 'file-distribution', preset: values, series: 'p2pBound' }).toPrecision(12)));
      // And the Kurose & Ross bound for those numbers: max(F/u_s, F/d, NF/(u_s + N u)), F in Mbit.
      const { peers, peerUpload } = values as { peers: number; peerUpload: number };
      const F = 16_000;
      expect(answer).toBeCloseTo(Math.max(F / 100, F / 50, (peers * F) / (100 + peers * peerUpload)), 6);
    },
  );

  it('reads an output as well as a series, and says why when a run has no such value', async () => {
    const checked = config({ ...swarm, series: undefined, output: 'crossover' });
    const values = { ...checked.base, ...drawVariant(checked.varied, 'x') };
    expect(await variantAnswer(inThread(model), checked, values)).toBe(100 / 50);
    const missing = config({ ...swarm, at: 12345 });
    await expect(variantAnswer(inThread(model), missing, { ...missing.base, ...drawVariant(missing.varied, 'y') })).rejects.toThrow(
      /the series "p2pBound" has no point at x = 12345/,
    );
  });
});
