import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { FastStream } from './stream';

describe('the fast stream of uniform numbers', () => {
  // 200,000 draws in 20 equal bins: χ² with 19 degrees of freedom stays below 43.8 with
  // probability 0.999; the mean is within 4 standard errors of 1/2; the same seed repeats.
  it('are uniform on [0, 1), and the same for the same seed', () => {
    const draws = 200_000;
    const stream = new FastStream(createRandom(5));
    const counts = new Array<number>(20).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const u = stream.next();
      if (!(u >= 0 && u < 1)) outside++;
      else counts[Math.floor(u * 20)]!++;
      sum += u;
    }
    expect(outside).toBe(0);
    const expected = draws / 20;
    const chiSquare = counts.reduce((total, count) => total + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(43.8);
    expect(Math.abs(sum / draws - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / draws));
    const again = new FastStream(createRandom(5));
    const other = new FastStream(createRandom(6));
    const first = Array.from({ length: 5 }, () => again.next());
    const replay = new FastStream(createRandom(5));
    expect(Array.from({ length: 5 }, () => replay.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => other.next())).not.toEqual(first);
  });
});
