// Seeded RNG: same seed → same sequence; streams are independent of draws elsewhere; uniform and normal have
// the right first moments; integers are in range and roughly uniform.
import { describe, expect, it } from 'vitest';
import { Rng, createRng, hashSeed } from '../../src/math/rng.ts';

const draw = (r: Rng, n: number, f: (r: Rng) => number) => Array.from({ length: n }, () => f(r));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = draw(createRng(42), 100, (r) => r.nextUint32());
    expect(draw(createRng(42), 100, (r) => r.nextUint32())).toEqual(a);
    expect(draw(createRng(43), 100, (r) => r.nextUint32())).not.toEqual(a);
    expect(draw(createRng('fgan'), 10, (r) => r.uniform())).toEqual(draw(createRng('fgan'), 10, (r) => r.uniform()));
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
    expect(hashSeed(1)).not.toBe(hashSeed(1 + 2 ** 32));
    // A fixed value pins the algorithm: changing it would silently change every seeded figure.
    const pinned = createRng(1);
    expect([pinned.nextUint32(), pinned.nextUint32()]).toEqual([3669579134, 2321867411]);
    expect(() => createRng(NaN)).toThrow(RangeError);
  });

  it('derives streams from the seed and key only', () => {
    const root = createRng(7);
    const s1 = draw(root.stream('noise'), 20, (r) => r.uniform());
    draw(root, 1000, (r) => r.uniform()); // drawing from the parent does not move its streams
    expect(draw(root.stream('noise'), 20, (r) => r.uniform())).toEqual(s1);
    expect(draw(root.stream('weights'), 20, (r) => r.uniform())).not.toEqual(s1);
    expect(draw(createRng(8).stream('noise'), 20, (r) => r.uniform())).not.toEqual(s1);
    // Streams are uncorrelated with each other.
    const x = draw(root.stream(1), 20000, (r) => r.normal());
    const y = draw(root.stream(2), 20000, (r) => r.normal());
    const cov = mean(x.map((v, i) => v * y[i])) - mean(x) * mean(y);
    expect(Math.abs(cov)).toBeLessThan(0.03);
  });

  it('has the right moments', () => {
    const r = createRng(123);
    const u = draw(r, 50000, (g) => g.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(variance(u)).toBeCloseTo(1 / 12, 2);
    const z = draw(r, 50000, (g) => g.normal(2, 3));
    expect(mean(z)).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance(z))).toBeCloseTo(3, 1);
    const std = draw(r, 50000, (g) => g.normal());
    const kurt = mean(std.map((v) => v ** 4)) / variance(std) ** 2;
    expect(kurt).toBeGreaterThan(2.85);
    expect(kurt).toBeLessThan(3.15);
    expect(std.every(Number.isFinite)).toBe(true);
  });

  it('draws unbiased integers and fills typed arrays', () => {
    const r = createRng(5);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    const f = createRng(9).fillNormal(new Float32Array(8));
    expect(Array.from(f)).toEqual(Array.from(createRng(9).fillNormal(new Float32Array(8))));
    const g = createRng(9).fillUniform(new Float64Array(1000), -1, 1);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...g)).toBeLessThan(1);
  });
});
