/**
 * A fast stream of random numbers for the hot loops of the labs (the lookup lab's millions
 * of stubs to pair, the churn simulation's event loop), seeded from the kernel's `Random`.
 * It is the kernel's own generator, sfc32, with its state in an Int32Array rather than in
 * closure variables: there, state words above 2^30 are stored as heap numbers, so every
 * draw allocates, and a million-peer overlay of degree 16 (16 million draws) spent over a
 * second on them alone.
 */
import { sfc32, type Random } from './random';

export class FastStream {
  private readonly state = new Int32Array(4);

  /** Four words from `random` seed the stream, so a seeded run stays reproducible. */
  constructor(random: Random) {
    for (let i = 0; i < 4; i++) this.state[i] = Math.floor(random.next() * 4294967296) | 0;
    // Warm up, as the kernel's generator does, so the first outputs do not echo the seed.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Uniform on 0 .. 2^32 − 1. */
  uint32(): number {
    return sfc32(this.state);
  }

  /** Uniform on [0, 1), with 32 random bits as the kernel's `next`. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer on [0, n), as the kernel's `int`. */
  int(n: number): number {
    return Math.floor((this.uint32() / 4294967296) * n);
  }
}
