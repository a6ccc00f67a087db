/**
 * Seeded pseudo-random numbers for every model. sfc32 is small, fast and passes
 * PractRand far beyond what a lab needs; the seed is spread with splitmix32 so that
 * neighbouring seeds (1, 2, 3...) give unrelated streams.
 */
export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** Pareto (type I) with scale xm > 0 and shape alpha > 0; mean alpha*xm/(alpha-1) for alpha > 1. */
  pareto(xm: number, alpha: number): number;
  /** Weibull with scale lambda > 0 and shape k > 0; mean lambda*Gamma(1+1/k). */
  weibull(lambda: number, k: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one, for a sub-model. */
  fork(): Random;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * One draw of sfc32, uniform on 0 .. 2^32 − 1, from a state of four words that it advances: the
 * generator of every random stream in the labs. The state is an Int32Array (the same words
 * modulo 2^32) because in closure variables or fields, words of 2^30 and more are heap numbers
 * and every draw allocated. Small enough for V8 to inline into the hot loops that call it.
 */
export function sfc32(state: Int32Array): number {
  const a = state[0] as number;
  const b = state[1] as number;
  const c = state[2] as number;
  const d = state[3] as number;
  const t = (((a + b) | 0) + d) | 0;
  state[3] = d + 1;
  state[0] = b ^ (b >>> 9);
  state[1] = c + (c << 3);
  state[2] = ((c << 21) | (c >>> 11)) + t;
  return t >>> 0;
}

export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const spread = splitmix32(Math.floor(seed));
  const state = new Int32Array(4);
  state[0] = spread();
  state[1] = spread();
  state[2] = spread();
  state[3] = spread();
  const nextUint32 = (): number => sfc32(state);
  // Warm up so that the first outputs do not echo the seed.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 4294967296;
  let spareNormal: number | null = null;

  const random: Random = {
    next,
    int: (n) => Math.floor(next() * n),
    exponential: (rate) => -Math.log(1 - next()) / rate,
    pareto: (xm, alpha) => xm / Math.pow(1 - next(), 1 / alpha),
    weibull: (lambda, k) => lambda * Math.pow(-Math.log(1 - next()), 1 / k),
    normal: () => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      const u = 1 - next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = held;
      }
      return items;
    },
    fork: () => createRandom(nextUint32()),
  };
  return random;
}
