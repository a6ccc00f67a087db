import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearModelCache, modelResult, modelValue } from './model-value';
import { findModel } from '../../labs/models';
import { clientServerBound, peerToPeerBound } from '../../labs/file-distribution/model';

const textbook = { fileSize: 15, serverUpload: 30, peerDownload: 2, peerUpload: 0.7 };
// The lab takes F in Gbit and rates in Mbit/s; the bounds work in Mbit.
const common = { fileSize: 15_000, serverUpload: 30, peerDownload: 2 };

afterEach(() => {
  clearModelCache();
  vi.restoreAllMocks();
});

describe('modelValue', () => {
  it('computes the P2P bound at N = 100 (textbook values) as the closed form does', () => {
    const value = modelValue({ lab: 'file-distribution', preset: { ...textbook, peers: 100 }, series: 'p2pBound' });
    expect(value).toBeCloseTo(peerToPeerBound({ ...common, peers: 100, peerUploads: 0.7 }), 9);
    expect(value).toBeCloseTo(15_000, 6);
  });

  it('reads a point inside a series with `at`', () => {
    const value = modelValue({ lab: 'file-distribution', preset: { ...textbook, peers: 1000 }, series: 'csBound', at: 96 });
    expect(value).toBeCloseTo(clientServerBound({ ...common, peers: 96 }), 9);
  });

  it('runs the model once for many values of the same run, whatever order the preset is written in', () => {
    const model = findModel('file-distribution');
    if (!model) throw new Error('no file-distribution model');
    const run = vi.spyOn(model, 'run');
    modelValue({ lab: 'file-distribution', preset: { peers: 60, fileSize: 1 }, series: 'p2pBound' });
    modelValue({ lab: 'file-distribution', preset: { fileSize: 1, peers: 60 }, series: 'csBound' });
    modelValue({ lab: 'file-distribution', preset: { fileSize: 1, peers: 60, afterDone: 'stay' }, series: 'p2pSim' });
    expect(run).toHaveBeenCalledTimes(1);
    modelValue({ lab: 'file-distribution', preset: { peers: 60, fileSize: 1 }, series: 'p2pSim', seed: 2 });
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('is deterministic for a seed, and simulated values respect their bound', () => {
    const query = { lab: 'file-distribution', preset: { peers: 50, chunks: 20 }, series: 'p2pSim', seed: 4 };
    const first = modelValue(query);
    clearModelCache();
    expect(modelValue(query)).toBe(first);
    expect(first).toBeGreaterThanOrEqual(modelValue({ ...query, series: 'p2pBound' }) * (1 - 1e-9));
  });

  it('throws clear errors naming the lab and series, with what is allowed', () => {
    expect(() => modelValue({ lab: 'nope', series: 'x' })).toThrow(/there is no lab "nope". The labs are: file-distribution/);
    expect(() => modelValue({ lab: 'file-distribution', preset: { peers: 0 }, series: 'p2pBound' })).toThrow(
      /lab: "file-distribution", series: "p2pBound".*Largest number of peers N must be a whole number from 1 to \d+ peers; 0 is out of range/,
    );
    expect(() => modelValue({ lab: 'file-distribution', preset: { pears: 5 }, series: 'p2pBound' })).toThrow(
      /"pears" is not a parameter of the file-distribution lab; its parameters are peers, fileSize/,
    );
    expect(() => modelValue({ lab: 'file-distribution', preset: { peers: 20 }, series: 'p2p' })).toThrow(
      /in the file-distribution lab, there is no series "p2p"; the series are csBound, p2pBound, csSim, p2pSim/,
    );
    expect(() => modelValue({ lab: 'file-distribution', preset: { peers: 1000 }, series: 'p2pBound', at: 100 })).toThrow(
      /series "p2pBound" has no point at x = 100; the nearest are at x = 96 and 108\. .*last point \(x = 1000\)/,
    );
    expect(() => modelValue({ lab: 'file-distribution', preset: { peers: 20 }, series: 'p2pBound', seed: -1 })).toThrow(
      /Seed must be a whole number/,
    );
  });

  it('exposes the whole cached result for other build-time callers', () => {
    const result = modelResult('file-distribution', { peers: 30 });
    expect(result.series['p2pBound']?.at(-1)?.[0]).toBe(30);
    expect(modelResult('file-distribution', { peers: 30 })).toBe(result);
  });
});
