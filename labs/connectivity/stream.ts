/**
 * A fast stream of uniform numbers for the hot loops of graph generation and removal
 * orders (millions of draws per network). It is the kernel's generator (sfc32, see
 * kernel/random.ts) kept in four int32 fields of one object, so that V8 inlines a draw
 * into the loop that makes it; the kernel's closure stores its state as unsigned values
 * that do not fit V8's small integers and costs about four times as much per draw.
 * Seeded from a kernel Random, so the lab's seeds stay the kernel's seeds.
 */
import type { Random } from '../kernel/random';

export class UniformStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(random: Random) {
    // Four 32-bit words from the kernel stream; sfc32 copes with any state, the warm-up spreads it.
    this.a = (random.next() * 4294967296) | 0;
    this.b = (random.next() * 4294967296) | 0;
    this.c = (random.next() * 4294967296) | 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** One sfc32 output as an unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Integer uniform on [0, n), for n up to 2^32 (a 32-bit draw; the bias is below n / 2^32). */
  int(n: number): number {
    return Math.floor((this.uint32() / 4294967296) * n);
  }
}
