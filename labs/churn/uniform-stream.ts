import type { Random } from '../kernel/random';

/**
 * Uniform numbers for the churn simulation's event loop: the kernel's sfc32 generator
 * (labs/kernel/random.ts), with its four words of state in a Uint32Array instead of closure
 * variables. A word above 2³¹ − 1 is not a small integer to V8, so each update of a closure
 * variable allocated a number box: four per draw, hundreds of megabytes of garbage in a run of
 * 100,000 peers. Seeded from the run's kernel Random, so a run stays deterministic for its seed.
 */
export class UniformStream {
  private readonly state = new Uint32Array(4);

  constructor(seedFrom: Random) {
    for (let i = 0; i < 4; i++) this.state[i] = Math.floor(seedFrom.next() * 4294967296);
    // A zero state would be a weak start; sfc32's counter (the fourth word) makes any state cycle long.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform on [0, 1). */
  next(): number {
    const state = this.state;
    const a = state[0] as number;
    const b = state[1] as number;
    const c = state[2] as number;
    const d = state[3] as number;
    const t = (((a + b) >>> 0) + d) >>> 0;
    state[3] = d + 1;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    const rotated = (c << 21) | (c >>> 11);
    state[2] = rotated + t;
    return t / 4294967296;
  }

  /** Integer uniform on [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
