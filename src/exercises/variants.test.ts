import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkStudentSeed,
  checkVary,
  drawVariant,
  formatVariantValue,
  hashText,
  normalizeSeed,
  variedCount,
  variedValue,
  type VariedParam,
} from './variants';
import { findManifest } from '../../labs/manifests';
import type { LabManifest } from '../../labs/kernel/manifest';

const files = findManifest('file-distribution') as LabManifest;

/** The checked variation, failing the test with the messages when there are any. */
function varied(vary: unknown): VariedParam[] {
  const checked = checkVary(files, vary);
  if ('errors' in checked) throw new Error(checked.errors.join(' '));
  return checked.varied;
}

function errors(vary: unknown): string {
  const checked = checkVary(files, vary);
  return 'errors' in checked ? checked.errors.join(' ') : 'ok';
}

const peersRange = varied({ peers: { from: 100, to: 1000, step: 50 } });
const twoParams = varied({ peers: { from: 100, to: 1000, step: 50 }, peerUpload: [2, 5, 10, 20], afterDone: ['stay', 'leave'] });

describe('drawing a variant from a student’s seed', () => {
  it('hashes text the same way everywhere (FNV-1a over UTF-8)', () => {
    expect(hashText('')).toBe(0x811c9dc5);
    expect(hashText('a')).toBe(0xe40c292c);
    expect(hashText('foobar')).toBe(0xbf9cf968);
    // Outside ASCII, the UTF-8 bytes count, not UTF-16 code units.
    expect(hashText('é')).not.toBe(hashText('\u00e9'.normalize('NFD')));
  });

  it('gives the same numbers for the same seed, however it is typed', () => {
    const first = drawVariant(twoParams, 's1234567');
    expect(drawVariant(twoParams, 's1234567')).toEqual(first);
    expect(drawVariant(twoParams, '  S1234567 ')).toEqual(first);
    expect(normalizeSeed('  Ada   Lovelace ')).toBe('ada lovelace');
    expect(drawVariant(twoParams, 'Ada Lovelace')).toEqual(drawVariant(twoParams, 'ada   lovelace'));
  });

  it('gives different seeds different numbers', () => {
    const seeds = Array.from({ length: 60 }, (_, i) => `student-${i}`);
    const peers = seeds.map((seed) => drawVariant(peersRange, seed)['peers']);
    // 19 values: 60 seeds that all landed on a handful would mean the seed is not used.
    expect(new Set(peers).size).toBeGreaterThanOrEqual(12);
    expect(drawVariant(twoParams, '20231234')).not.toEqual(drawVariant(twoParams, '20231235'));
    // Over many seeds every value of a list is drawn, none far more often than the others.
    const uploads = Array.from({ length: 2000 }, (_, i) => drawVariant(twoParams, String(i))['peerUpload']);
    for (const value of [2, 5, 10, 20]) {
      const share = uploads.filter((u) => u === value).length / uploads.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
  });

  it('draws each parameter on its own, so questions that vary the same parameter alike agree', () => {
    for (const seed of ['a', 'b', '42', 'Grace Hopper']) {
      expect(drawVariant(twoParams, seed)['peers']).toBe(drawVariant(peersRange, seed)['peers']);
    }
  });

  it('draws values within their range and on its step grid, whatever the seed', () => {
    const ranges = fc.record({
      from: fc.integer({ min: 0, max: 500 }).map((n) => n / 100),
      span: fc.integer({ min: 1, max: 400 }),
      step: fc.constantFrom(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    });
    fc.assert(
      fc.property(ranges, fc.string({ minLength: 1, maxLength: 20 }), ({ from, span, step }, seed) => {
        const to = Number((from + span * step).toFixed(2));
        const [param] = varied({ peerUpload: { from, to, step } });
        const value = drawVariant([param!], seed)['peerUpload'] as number;
        expect(value).toBeGreaterThanOrEqual(from);
        expect(value).toBeLessThanOrEqual(to);
        const steps = (value - from) / step;
        expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
        // Written as an author would write it: no floating-point dust.
        expect(String(value)).toMatch(/^\d+(\.\d{1,2})?$/);
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 200) },
    );
  });

  it('lists a range’s values exactly, its end included when on the grid', () => {
    const [range] = varied({ peerUpload: { from: 0.1, to: 0.3, step: 0.1 } });
    expect(Array.from({ length: variedCount(range!) }, (_, i) => variedValue(range!, i))).toEqual([0.1, 0.2, 0.3]);
    const [uneven] = varied({ peers: { from: 10, to: 35, step: 10 } });
    expect(Array.from({ length: variedCount(uneven!) }, (_, i) => variedValue(uneven!, i))).toEqual([10, 20, 30]);
    const [choice] = varied({ afterDone: ['leave', 'stay'] });
    expect(variedValue(choice!, 1)).toBe('stay');
  });

  it('reads a seed as typed, and refuses an empty or overlong one', () => {
    expect(checkStudentSeed('  s123   456 ')).toEqual({ seed: 's123 456' });
    expect(checkStudentSeed('   ')).toEqual({ error: 'Type your student number, or any word, first.' });
    expect(checkStudentSeed('x'.repeat(65))).toMatchObject({ error: expect.stringMatching(/at most 64 characters/) });
  });

  it('shows a drawn value as the question’s text does: numbers in full, choices by their label', () => {
    expect(formatVariantValue(12500)).toBe('12,500');
    expect(formatVariantValue(0.35)).toBe('0.35');
    expect(formatVariantValue('leave', { leave: 'it leaves the swarm' })).toBe('it leaves the swarm');
  });
});

describe('checking how a question varies its parameters', () => {
  it('accepts ranges and lists within the manifest’s limits', () => {
    expect(twoParams.map((param) => [param.name, variedCount(param)])).toEqual([
      ['peers', 19],
      ['peerUpload', 4],
      ['afterDone', 2],
    ]);
  });

  it('names a parameter the lab does not have, and lists those it has', () => {
    expect(errors({ peer: { from: 1, to: 10, step: 1 } })).toBe(
      'vary: "peer" is not a parameter of the file-distribution lab; its parameters are peers, fileSize, serverUpload, peerDownload, peerUpload, uploadSpread, chunks, afterDone.',
    );
  });

  it('rejects values out of the manifest’s range, with the range', () => {
    expect(errors({ peers: { from: 0, to: 100, step: 10 } })).toBe(
      'vary.peers from: Largest number of peers N must be a whole number from 1 to 100000 peers; 0 is out of range.',
    );
    expect(errors({ peers: { from: 10, to: 200000, step: 10 } })).toMatch(/^vary\.peers to: .*200000 is out of range\.$/);
    expect(errors({ chunks: [10, 100, 300] })).toMatch(
      /^vary\.chunks: Chunks per file must be a whole number from 1 to 256 chunks; 300 is out of range\.$/,
    );
    expect(errors({ afterDone: ['stay', 'linger'] })).toMatch(/one of "stay", "leave", not "linger"/);
  });

  it('rejects a range that cannot be drawn from, saying what a range is', () => {
    expect(errors({ peers: { from: 100, to: 10, step: 10 } })).toBe('vary.peers: from (100) must be below to (10).');
    expect(errors({ peers: { from: 10, to: 100, step: 0 } })).toBe('vary.peers: step must be more than 0, not 0.');
    expect(errors({ peers: { from: 10, to: 100, step: 2.5 } })).toMatch(/is a whole number, so step must be one too, not 2\.5/);
    expect(errors({ peers: { from: 10, to: 15, step: 10 } })).toMatch(/reaches no other value up to 15; a variant needs at least two/);
    expect(errors({ peers: { from: 10, to: 100 } })).toMatch(
      /^vary\.peers needs step as a number, such as \{ from: 1, to: 100000, step: 1 \}\.$/,
    );
    expect(errors({ peers: { from: 10, to: 100, step: 10, by: 2 } })).toMatch(/has "by"; a range has from, to and step/);
    expect(errors({ peers: 100 })).toMatch(/must be a range, such as .*, or a list of values/);
  });

  it('rejects a list with too few values, a value twice, or a range for a choice', () => {
    expect(errors({ peerUpload: [5] })).toMatch(/lists one value; a variant needs at least two/);
    expect(errors({ peerUpload: [5, 10, 5] })).toMatch(/lists 5 twice/);
    expect(errors({ afterDone: { from: 0, to: 1, step: 1 } })).toMatch(
      /is a choice; list the values to draw from, such as \["stay", "leave"\]/,
    );
  });

  it('asks for at least one parameter, and lists every problem at once', () => {
    expect(errors({})).toMatch(/^vary must name at least one parameter to draw, such as vary: \{ peers: /);
    expect(errors(undefined)).toMatch(/^vary must name at least one parameter/);
    const both = errors({ peer: [1, 2], chunks: [1, 1000] });
    expect(both).toMatch(/"peer" is not a parameter/);
    expect(both).toMatch(/1000 is out of range/);
  });
});
