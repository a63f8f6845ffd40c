// The RNN-gradients mathematics in float64 (src/math/linalg.ts, rnn-cells.ts, rnn-jacobians.ts,
// rnn-jacobian-dense.ts, rnn-gradients.ts): the linear ρQ check, analytic Jacobians against central finite
// differences, Pascanu's sufficient condition for vanishing, the memory decompositions, and clipping. Sizes are
// small (H ≤ 32) so the dense references stay cheap; tfjs autodiff is checked in rnn-cells.test.ts.
import { describe, expect, it } from 'vitest';
import {
  SingularTracker, matMul, matTVecAdd, matVec, randomOrthogonal, spectralNorm, transpose, tridiagMaxEigenvalue,
} from '../../src/math/linalg.ts';
import { Rng } from '../../src/math/rng.ts';
import {
  CELL_IDS, type CellId, type CellTrace, cellStep, forward, initCell, makeInputs, parseCellId,
} from '../../src/math/rnn-cells.ts';
import { gruMemoryTerms, inputJacobian, lstmMemoryTerms, stepJacobian } from '../../src/math/rnn-jacobian-dense.ts';
import { jacobianOps } from '../../src/math/rnn-jacobians.ts';
import { analyzeRnnGradients, analyzeTrace, clippedGradNorms, makeReadout } from '../../src/math/rnn-gradients.ts';

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const sum = (...ms: Float64Array[]) => ms.reduce((acc, m) => acc.map((v, i) => v + m[i]));
const row = (a: Float64Array, t: number, n: number) => a.slice(t * n, (t + 1) * n);

/** A small trace with gates away from saturation, so every path of the Jacobian carries weight. */
function smallTrace(id: CellId, H = 5, T = 6, extra: object = {}): CellTrace {
  const s = { hidden: H, inputDim: 3, T, init: 'gaussian' as const, radius: 1.3, forgetBias: 0.5, seed: 11, ...extra };
  return forward(initCell(id, s), makeInputs(s));
}

/** Central differences of f: R^n → R^m at x (m×n, row-major). */
function fdJacobian(f: (x: Float64Array) => Float64Array, x: Float64Array, m: number, h = 1e-6): Float64Array {
  const n = x.length, J = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const xp = x.slice(), xm = x.slice();
    xp[j] += h; xm[j] -= h;
    const fp = f(xp), fm = f(xm);
    for (let i = 0; i < m; i++) J[i * n + j] = (fp[i] - fm[i]) / (2 * h);
  }
  return J;
}

/** The memory map m_{t−1} ↦ m_t of the article's decomposition, built from cellStep alone. */
function memoryMap(trace: CellTrace, t: number): { f: (m: Float64Array) => Float64Array; at: Float64Array } {
  const p = trace.params, H = p.hidden, S = trace.stateDim, D = p.inputDim;
  const x = row(trace.inputs, t - 1, D), prev = row(trace.states, t - 1, S);
  if (p.kind === 'gru') return { f: (m) => cellStep(p, m, x), at: prev };
  const gate = row(trace.cache[p.kind === 'lstm' ? 'o' : 'r'], t - 1, H);
  const hOf = (c: Float64Array) => c.map((v, j) => gate[j] * (p.kind === 'lstm' ? Math.tanh(v) : v));
  const f = (c: Float64Array) => {
    const s = new Float64Array(S);
    s.set(hOf(c)); s.set(c, H);
    return cellStep(p, s, x).slice(H);
  };
  return { f, at: prev.slice(H) };
}

describe('linalg', () => {
  it('products with offsets, orthogonal matrices, tridiagonal eigenvalues and spectral norms are exact', () => {
    const rng = new Rng(5);
    const A = rng.fillNormal(new Float64Array(7 * 5)), x = rng.fillNormal(new Float64Array(9));
    const y = new Float64Array(10);
    matVec(A, 7, 5, x, y, 2, 1);
    for (let i = 0; i < 7; i++) expect(y[1 + i]).toBeCloseTo([0, 1, 2, 3, 4].reduce((s, j) => s + A[i * 5 + j] * x[2 + j], 0), 13);
    const z = new Float64Array(6).fill(1);
    matTVecAdd(A, 7, 5, x, z, 1, 1);
    for (let j = 0; j < 5; j++) expect(z[1 + j]).toBeCloseTo(1 + [0, 1, 2, 3, 4, 5, 6].reduce((s, i) => s + A[i * 5 + j] * x[1 + i], 0), 13);
    const Q = randomOrthogonal(24, rng);
    const QQt = matMul(Q, transpose(Q, 24, 24), 24, 24, 24);
    expect(maxDiff(QQt, Float64Array.from({ length: 576 }, (_, k) => (k % 25 === 0 ? 1 : 0)))).toBeLessThan(1e-13);
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    expect(tridiagMaxEigenvalue(Float64Array.of(2, 2), Float64Array.of(1), 2)).toBeCloseTo(3, 13);
    // Q diag(3, 2, 1, …) Qᵀ has σ₁ = 3; the tracker's Ritz values never exceed it.
    const d = Float64Array.from({ length: 24 }, (_, i) => 3 / (1 + i * 0.1));
    const M = matMul(matMul(Q, Float64Array.from({ length: 576 }, (_, k) => (k % 25 === 0 ? d[k / 25] : 0)), 24, 24, 24), transpose(Q, 24, 24), 24, 24, 24);
    expect(spectralNorm(M, 24, 24)).toBeCloseTo(3, 12);
    const tracker = new SingularTracker(24, 24, { tol: 0, minSteps: 2, maxSteps: 2 }, new Rng(1));
    const est = tracker.estimate((v, o) => matVec(M, 24, 24, v, o), (w, o) => { o.fill(0); matTVecAdd(M, 24, 24, w, o); });
    expect(est.sigma).toBeLessThanOrEqual(3 + 1e-12);
    expect(est.sigma).toBeGreaterThan(2);
  });
});

describe('linear RNN h_t = ρQh_{t−1}', () => {
  for (const rho of [0.9, 1.0, 1.1]) {
    it(`‖∂h_T/∂h_t‖ = ρ^{T−t} to 1e-6 relative for ρ = ${rho}`, () => {
      const H = 16, T = 60;
      const s = { hidden: H, inputDim: 2, T, init: 'orthogonal' as const, radius: rho, seed: 3 };
      const trace = forward(initCell('rnn-linear', s), makeInputs(s));
      // Dense product P = ∂h_T/∂h_t = J_T ⋯ J_{t+1}: every singular value is ρ^{T−t}, so both its largest one and
      // its RMS one (‖P‖_F/√H) must be.
      let P: Float64Array = Float64Array.from({ length: H * H }, (_, k) => (k % (H + 1) === 0 ? 1 : 0));
      for (let t = T; t >= 1; t--) {
        const want = rho ** (T - t);
        expect(Math.abs(spectralNorm(P, H, H) / want - 1)).toBeLessThan(1e-6);
        expect(Math.abs(Math.hypot(...P) / Math.sqrt(H) / want - 1)).toBeLessThan(1e-6);
        P = matMul(P, stepJacobian(trace, t), H, H, H);
      }
      const g = analyzeTrace('rnn-linear', trace, makeReadout(H, 2, 3));
      for (let t = 1; t <= T; t++) {
        expect(Math.abs(g.gradNorms[t - 1] / g.gradNorms[T - 1] / rho ** (T - t) - 1)).toBeLessThan(1e-6);
        expect(Math.abs(g.maxSingular[t - 1] / rho - 1)).toBeLessThan(1e-6);
      }
    });
  }
});

describe('analytic Jacobians against central finite differences (float64)', () => {
  for (const id of CELL_IDS) {
    it(`${id}: ∂s_t/∂s_{t−1}, ∂s_t/∂x_t and the matrix-free products`, () => {
      const trace = smallTrace(id);
      const { stateDim: S } = trace, D = trace.params.inputDim;
      const ops = jacobianOps(trace);
      const rng = new Rng(id);
      for (const t of [1, 4, 6]) {
        const x = row(trace.inputs, t - 1, D), prev = row(trace.states, t - 1, S);
        const J = stepJacobian(trace, t);
        expect(maxDiff(J, fdJacobian((s) => cellStep(trace.params, s, x), prev, S))).toBeLessThan(1e-8);
        const Jx = inputJacobian(trace, t);
        expect(maxDiff(Jx, fdJacobian((xx) => cellStep(trace.params, prev, xx), x, S))).toBeLessThan(1e-8);
        const v = rng.fillNormal(new Float64Array(S)), out = new Float64Array(S), outX = new Float64Array(D);
        ops.jvp(t, v, out);
        expect(maxDiff(out, matVec(J, S, S, v, new Float64Array(S)))).toBeLessThan(1e-12);
        ops.vjp(t, v, out);
        expect(maxDiff(out, matVec(transpose(J, S, S), S, S, v, new Float64Array(S)))).toBeLessThan(1e-12);
        ops.inputVjp(t, v, outX);
        expect(maxDiff(outX, matVec(transpose(Jx, S, D), D, S, v, new Float64Array(D)))).toBeLessThan(1e-12);
      }
    });
  }

  it('the simple RNN Jacobian is diag(φ\') U: bounded by U for tanh, U itself where relu is active', () => {
    const tanh = smallTrace('rnn-tanh'), relu = smallTrace('rnn-relu');
    const U = (relu.params as { h: { U: Float64Array } }).h.U;
    const J = stepJacobian(relu, 3);
    for (let i = 0; i < 5; i++) {
      const active = relu.states[3 * 5 + i] > 0;
      for (let j = 0; j < 5; j++) expect(J[i * 5 + j]).toBe(active ? U[i * 5 + j] : 0);
    }
    expect(spectralNorm(stepJacobian(tanh, 3), 5, 5)).toBeLessThanOrEqual(spectralNorm(U, 5, 5) + 1e-12);
  });
});

describe('memory decompositions', () => {
  it('the LSTM\'s four terms of ∂c_t/∂c_{t−1} add up to the finite-difference Jacobian; f_t is the diagonal one', () => {
    const trace = smallTrace('lstm', 6, 8);
    const H = 6;
    for (const t of [1, 2, 5, 8]) {
      const { forget, forgetGate, inputGate, candidate } = lstmMemoryTerms(trace, t);
      const { f, at } = memoryMap(trace, t);
      if (t > 1) {
        // The map's h_{t−1} = o_{t−1}∘tanh c_{t−1} is the recorded one.
        expect(maxDiff(f(at), row(trace.states, t, 2 * H).slice(H))).toBeLessThan(1e-15);
      }
      expect(maxDiff(sum(forget, forgetGate, inputGate, candidate), fdJacobian(f, at, H))).toBeLessThan(1e-8);
      for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) expect(forget[i * H + j]).toBe(i === j ? trace.cache.f[t * H + i] : 0);
      // Each secondary term is a product of gates and one U, all nonzero once c_{t−1} ≠ 0 (c_0 = 0 removes the
      // forget-gate path at t = 1).
      for (const m of t > 1 ? [forgetGate, inputGate, candidate] : [inputGate, candidate]) expect(maxAbs(m)).toBeGreaterThan(1e-4);
      if (t === 1) expect(maxAbs(forgetGate)).toBe(0);
    }
  });

  for (const id of ['gru', 'gru-r-out'] as const) {
    it(`${id}: keep = diag(1 − z_t) and the rest add up to the finite-difference memory Jacobian`, () => {
      const trace = smallTrace(id, 6, 8);
      const H = 6;
      for (const t of [1, 3, 8]) {
        const { keep, updateGate, candidate, resetGate } = gruMemoryTerms(trace, t);
        const { f, at } = memoryMap(trace, t);
        expect(maxDiff(sum(keep, updateGate, candidate, resetGate), fdJacobian(f, at, H))).toBeLessThan(1e-8);
        for (let i = 0; i < H; i++) expect(keep[i * H + i]).toBe(1 - trace.cache.z[t * H + i]);
        if (id === 'gru') expect(maxDiff(sum(keep, updateGate, candidate, resetGate), stepJacobian(trace, t))).toBeLessThan(1e-14);
        else expect(maxAbs(resetGate)).toBe(0);
      }
    });
  }

  for (const id of ['lstm', 'gru', 'gru-r-out'] as const) {
    it(`${id}: the matrix-free main term and Rest products match the dense terms`, () => {
      const trace = smallTrace(id, 6, 8);
      const H = 6, mem = jacobianOps(trace).memory!;
      const rng = new Rng(`${id}-rest`);
      for (const t of [1, 4, 8]) {
        const parts = id === 'lstm' ? lstmMemoryTerms(trace, t) : gruMemoryTerms(trace, t);
        const [main, ...others] = Object.values(parts) as Float64Array[];
        const Rest = sum(...others);
        const v = rng.fillNormal(new Float64Array(H)), out = new Float64Array(H), d = new Float64Array(H);
        mem.main(t, d);
        expect(maxDiff(d, Float64Array.from({ length: H }, (_, i) => main[i * H + i]))).toBe(0);
        mem.restJvp(t, v, out);
        expect(maxDiff(out, matVec(Rest, H, H, v, new Float64Array(H)))).toBeLessThan(1e-13);
        mem.restVjp(t, v, out);
        expect(maxDiff(out, matVec(transpose(Rest, H, H), H, H, v, new Float64Array(H)))).toBeLessThan(1e-13);
      }
    });
  }
});

describe('the views', () => {
  it('gradNorms, connectivity, term summaries and σ₁ agree with dense chains of Jacobians', () => {
    for (const id of CELL_IDS) {
      const trace = smallTrace(id, 6, 12);
      const { T, stateDim: S } = trace, H = 6, D = 3, m = 2;
      const readout = makeReadout(H, m, 4);
      const g = analyzeTrace(id, trace, readout, Infinity, { tol: 0, minSteps: S, maxSteps: S });
      let deltas: Float64Array[] = [0, 1].map((k) => { const d = new Float64Array(S); d.set(readout.W.subarray(k * H, (k + 1) * H)); return d; });
      for (let t = T; t >= 1; t--) {
        const dL = deltas[0].map((v, j) => (v + deltas[1][j]) / Math.sqrt(m));
        expect(Math.abs(g.gradNorms[t - 1] - Math.hypot(...dL))).toBeLessThan(1e-12 * Math.hypot(...dL));
        expect(Math.abs(g.gradNormsH[t - 1] - Math.hypot(...dL.slice(0, H)))).toBeLessThan(1e-12);
        const JxT = transpose(inputJacobian(trace, t), S, D);
        const conn = Math.hypot(...deltas.flatMap((d) => Array.from(matVec(JxT, D, S, d, new Float64Array(D)))));
        expect(Math.abs(g.connectivity[t - 1] - conn)).toBeLessThan(1e-12 * conn);
        const J = stepJacobian(trace, t);
        expect(Math.abs(g.maxSingular[t - 1] / spectralNorm(J, S, S) - 1)).toBeLessThan(1e-8);
        if (parseCellId(id).kind !== 'rnn') {
          const parts = id === 'lstm' ? lstmMemoryTerms(trace, t) : gruMemoryTerms(trace, t);
          const [main, ...others] = Object.values(parts) as Float64Array[];
          // ĝ: the memory's adjoint at t (c_t's whole effect for lstm and gru-r-out), as a unit vector.
          const beta = id === 'lstm' ? (j: number) => trace.cache.o[t * H + j] * (1 - trace.cache.tc[t * H + j] ** 2) : (j: number) => trace.cache.r[t * H + j];
          const gm = id === 'gru' ? dL.slice(0, H) : Float64Array.from({ length: H }, (_, j) => dL[H + j] + beta(j) * dL[j]);
          const unit = gm.map((v) => v / Math.hypot(...gm));
          const terms = id === 'lstm' ? g.lstmTerms! : { forget: g.gruTerms!.keep, rest: g.gruTerms!.rest };
          expect(terms.forget[t - 1]).toBeCloseTo(Math.hypot(...unit.map((v, j) => v * main[j * H + j])), 12);
          expect(terms.rest[t - 1]).toBeCloseTo(Math.hypot(...matVec(transpose(sum(...others), H, H), H, H, unit, new Float64Array(H))), 12);
        }
        deltas = deltas.map((d) => matVec(transpose(J, S, S), S, S, d, new Float64Array(S)));
      }
    }
  });

  it('the default σ₁ budget gives a lower bound within a few percent on a noisy sequence', () => {
    const s = { hidden: 24, T: 60, init: 'gaussian' as const, radius: 1, seed: 9 };
    const r = analyzeRnnGradients({ ...s, cells: ['rnn-tanh', 'lstm', 'gru'] });
    r.cells.forEach((c, k) => {
      const S = r.traces[k].stateDim;
      let ratio = 0;
      for (let t = 1; t <= s.T; t++) {
        const exact = spectralNorm(stepJacobian(r.traces[k], t), S, S);
        expect(c.maxSingular[t - 1]).toBeLessThanOrEqual(exact * (1 + 1e-9));
        expect(c.maxSingular[t - 1]).toBeGreaterThan(0.6 * exact);
        ratio += c.maxSingular[t - 1] / exact / s.T;
      }
      expect(ratio).toBeGreaterThan(0.93);
    });
  });

  it('Pascanu: with λ₁ < 1 a tanh RNN\'s gradient norms decay at least as fast as λ₁^{T−t}', () => {
    for (const [init, radius] of [['orthogonal', 0.9], ['gaussian', 0.4]] as const) {
      const H = 32, T = 80;
      const s = { hidden: H, T, init, radius, seed: 21, inputScale: 0.5 };
      const trace = forward(initCell('rnn-tanh', s), makeInputs(s));
      const U = (trace.params as { h: { U: Float64Array } }).h.U;
      const lambda1 = spectralNorm(U, H, H);
      expect(lambda1).toBeLessThan(1);
      const g = analyzeTrace('rnn-tanh', trace, makeReadout(H, 2, 5));
      expect(g.lambda1).toBeCloseTo(lambda1, 10);
      expect(g.pascanuLine).toBe(1 / g.gamma);
      for (let t = 1; t <= T; t++) {
        expect(g.gradNorms[t - 1]).toBeLessThanOrEqual(g.gradNorms[T - 1] * lambda1 ** (T - t) * (1 + 1e-9));
        expect(g.maxSingular[t - 1]).toBeLessThanOrEqual(g.gamma * lambda1 * (1 + 1e-9));
      }
      // Not merely bounded: tanh's saturation makes the decay strictly faster than λ₁^{T−t}.
      expect(g.gradNorms[0]).toBeLessThan(0.5 * g.gradNorms[T - 1] * lambda1 ** (T - 1));
      // The full Jacobian ∂h_T/∂h_t obeys the same bound.
      let P = stepJacobian(trace, T);
      for (let t = T - 1; t >= T - 20; t--) {
        expect(spectralNorm(P, H, H)).toBeLessThanOrEqual(lambda1 ** (T - t) * (1 + 1e-9));
        P = matMul(P, stepJacobian(trace, t), H, H, H);
      }
    }
  });

  it('clipping by norm caps an exploding gradient at θ but never raises a vanishing one', () => {
    const H = 16, T = 60, theta = 5;
    const explode = { hidden: H, T, init: 'orthogonal' as const, radius: 1.1, seed: 2, cells: ['rnn-linear'] as CellId[] };
    const e = analyzeRnnGradients({ ...explode, clip: theta }).cells[0];
    expect(e.gradNorms[0]).toBeGreaterThan(100);
    let below = true;
    for (let t = T; t >= 1; t--) {
      const raw = e.gradNorms[t - 1], clipped = e.gradNormsClipped[t - 1];
      below &&= raw <= theta;
      expect(clipped).toBeLessThanOrEqual(theta * (1 + 1e-12));
      expect(clipped).toBeLessThanOrEqual(raw * (1 + 1e-12));
      if (below) expect(Math.abs(clipped - raw)).toBeLessThan(1e-12 * raw);
    }
    expect(e.gradNormsClipped[0]).toBeCloseTo(theta, 9); // orthogonal ρ > 1: once capped, every step re-hits θ
    const vanish = analyzeRnnGradients({ ...explode, radius: 0.8, cells: ['rnn-tanh', 'lstm'], clip: 0.5 });
    for (const c of vanish.cells) {
      for (let t = 1; t <= T; t++) expect(c.gradNormsClipped[t - 1]).toBeLessThanOrEqual(c.gradNorms[t - 1] * (1 + 1e-12));
      expect(c.gradNormsClipped[0]).toBeLessThan(1e-3);
    }
    const trace = vanish.traces[0];
    const unclipped = clippedGradNorms(trace, vanish.readout, Infinity);
    unclipped.forEach((v, k) => expect(Math.abs(v - vanish.cells[0].gradNorms[k])).toBeLessThan(1e-12 * v));
  });

  it('is deterministic and rejects bad settings with the field name', () => {
    const a = analyzeRnnGradients({ T: 30, hidden: 8, seed: 'x' }), b = analyzeRnnGradients({ T: 30, hidden: 8, seed: 'x' });
    expect(a.cells.map((c) => Array.from(c.maxSingular))).toEqual(b.cells.map((c) => Array.from(c.maxSingular)));
    expect(a.cells.every((c) => c.finite && c.gradNorms.length === 30)).toBe(true);
    expect(() => analyzeRnnGradients({ hidden: 0 })).toThrow(/hidden/);
    expect(() => analyzeRnnGradients({ radius: -1 })).toThrow(/radius/);
    expect(() => analyzeRnnGradients({ clip: 0 })).toThrow(/clip/);
    expect(() => analyzeRnnGradients({ cells: ['lstm', 'nope' as CellId] })).toThrow(/nope/);
    const over = analyzeRnnGradients({ T: 400, hidden: 8, init: 'gaussian', radius: 10, cells: ['rnn-linear'] }).cells[0];
    expect(over.finite).toBe(false);
  });
});
