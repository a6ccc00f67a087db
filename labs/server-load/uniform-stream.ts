/**
 * The queue simulation's source of random numbers: the kernel's generator (sfc32,
 * random.ts) with its state in a typed array, handing out uniforms from a buffer it
 * refills 4,096 at a time. The kernel's keeps its four state words in closure variables,
 * and a 32-bit word above 2^30 stored there is a boxed number: about four small
 * allocations per draw, which at 5 draws a request and millions of requests a run kept
 * the garbage collector busy for a third of the time. This one allocates nothing per draw.
 * It is seeded from the kernel generator it is given, so a run stays deterministic for its
 * seed. (A kernel change would give every lab the same; see the report of issue 9.)
 */
import type { Random } from '../kernel/random';

const BUFFER = 4096;

export class UniformStream implements Random {
  private readonly state = new Uint32Array(4);
  private readonly buffer = new Float64Array(BUFFER);
  private cursor = BUFFER;
  private spareNormal = NaN;

  constructor(source: Random) {
    // Four words from a well-mixed stream: no warm-up needed (sfc32's counter also keeps
    // an all-zero state from sticking).
    for (let i = 0; i < 4; i++) this.state[i] = Math.floor(source.next() * 4294967296);
  }

  /** sfc32 (Chris Doty-Humphrey, PractRand), word for word as the kernel's random.ts. */
  private refill(): void {
    const state = this.state;
    const buffer = this.buffer;
    let a = state[0] as number;
    let b = state[1] as number;
    let c = state[2] as number;
    let d = state[3] as number;
    for (let i = 0; i < BUFFER; i++) {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) >>> 0;
      buffer[i] = t / 4294967296;
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
    this.cursor = 0;
  }

  next(): number {
    if (this.cursor === BUFFER) this.refill();
    return this.buffer[this.cursor++] as number;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha);
  }

  weibull(lambda: number, k: number): number {
    return lambda * Math.pow(-Math.log(1 - this.next()), 1 / k);
  }

  /** Standard normal by Box–Muller, the second of each pair kept for the next call. */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const value = this.spareNormal;
      this.spareNormal = NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }

  fork(): Random {
    return new UniformStream(this);
  }
}
