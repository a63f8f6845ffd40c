// Seeded pseudo-random numbers: sfc32 (passes PractRand to 2^40+, 128-bit state) seeded through splitmix32.
// Invariants: the same seed gives the same sequence on every engine (only 32-bit integer ops, Math.imul);
// `stream(key)` derives an independent generator from the ORIGINAL seed and the key, so drawing more numbers
// from one stream never shifts another; a string seed is hashed to 32 bits first. No DOM, no tfjs: usable on
// the main thread, in the worker, and in Node.

const TWO_POW_32 = 4294967296;

/** splitmix32: a good 32-bit mixer, used to expand one seed word into sfc32's four state words. */
function splitmix32(state: number): [next: number, out: number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [s, (z ^ (z >>> 16)) >>> 0];
}

/** 32-bit FNV-1a over the UTF-16 code units, then mixed; maps any seed to a uint32. */
export function hashSeed(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
    // Fold in the high part so seeds beyond 2^32 still differ.
    const hi = Math.floor(seed / TWO_POW_32);
    return (splitmix32((seed >>> 0) ^ Math.imul(hi | 0, 0x27d4eb2d))[1]) >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return splitmix32(h)[1];
}

export class Rng {
  /** The 32-bit seed this generator was built from (after hashing). */
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number | string) {
    this.seed = hashSeed(seed);
    let s = this.seed;
    let out: number;
    [s, out] = splitmix32(s); this.a = out;
    [s, out] = splitmix32(s); this.b = out;
    [s, out] = splitmix32(s); this.c = out;
    [s, out] = splitmix32(s); this.d = out;
    for (let i = 0; i < 12; i++) this.nextUint32(); // discard the first outputs, as sfc32's authors recommend
  }

  /** Uniform uint32 in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [lo, hi); default [0, 1). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * (this.nextUint32() / TWO_POW_32);
  }

  /** Uniform integer in [0, n). Rejection sampling, so unbiased for any n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) throw new RangeError(`int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = this.nextUint32(); while (x >= limit);
    return x % n;
  }

  /** Gaussian by Box–Muller (both values used: the second is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    const u1 = 1 - this.nextUint32() / TWO_POW_32; // (0, 1]: log is finite
    const u2 = this.nextUint32() / TWO_POW_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  }

  fillUniform<T extends Float32Array | Float64Array>(out: T, lo = 0, hi = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(lo, hi);
    return out;
  }

  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** An independent generator determined by (this.seed, key) only. */
  stream(key: number | string): Rng {
    const k = hashSeed(typeof key === 'number' ? `#${key}` : key);
    return new Rng(splitmix32(this.seed ^ Math.imul(k, 0x9e3779b1))[1] ^ k);
  }
}

export function createRng(seed: number | string): Rng {
  return new Rng(seed);
}
