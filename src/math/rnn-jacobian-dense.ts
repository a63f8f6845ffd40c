// Dense step Jacobians of the cells in rnn-cells.ts and the article's decompositions of the memory Jacobian into
// separate terms (https://kexue.fm/archives/7888). These are for tests and for showing one step: O(S²) each, O(H³)
// where the GRU's reset path multiplies two recurrent matrices. The formulas are those in the header of
// rnn-jacobians.ts, written out again here independently of the matrix-free products, so that checking each form
// against finite differences and tfjs autodiff checks both. All matrices are row-major Float64Array, rows indexed
// by the output (s_t or c_t), columns by the input (s_{t−1}, x_t or c_{t−1}).
import { matMul } from './linalg.ts';
import type { CellTrace, GateParams } from './rnn-cells.ts';

/** dst[(r0+i)·ld + c0 + j] += a_i · M[i·cols + j] · (colScale ? colScale_j : 1), M R×cols. */
function addScaledRows(dst: Float64Array, ld: number, r0: number, c0: number, M: Float64Array, R: number,
  cols: number, a: ArrayLike<number>, colScale?: ArrayLike<number>): void {
  for (let i = 0; i < R; i++) {
    const ai = a[i];
    for (let j = 0; j < cols; j++) dst[(r0 + i) * ld + c0 + j] += ai * M[i * cols + j] * (colScale ? colScale[j] : 1);
  }
}

function addDiag(dst: Float64Array, ld: number, r0: number, c0: number, d: ArrayLike<number>): void {
  for (let i = 0; i < d.length; i++) dst[(r0 + i) * ld + c0 + i] += d[i];
}

/** Per-unit coefficient vectors at step t (fresh arrays: the dense path is not the hot one). */
function coeffs(trace: CellTrace, t: number) {
  const H = trace.params.hidden, S = trace.stateDim, C = trace.cache, st = trace.states;
  const row = (name: string, k = t) => C[name].subarray(k * H, (k + 1) * H);
  const prevH = st.subarray((t - 1) * S, (t - 1) * S + H);
  const prevC = S === 2 * H ? st.subarray((t - 1) * S + H, t * S) : prevH;
  const curC = S === 2 * H ? st.subarray(t * S + H, (t + 1) * S) : st.subarray(t * S, t * S + H);
  const map = (n: number, f: (j: number) => number) => Float64Array.from({ length: n }, (_, j) => f(j));
  return { H, S, row, prevH, prevC, curC, map };
}

/** The gate-path matrix Σ diag(a_k) M_k, for a ∂c/∂h-like block over given matrices (H×cols each). */
function gatePaths(H: number, cols: number, parts: [Float64Array, ArrayLike<number>][]): Float64Array {
  const out = new Float64Array(H * cols);
  for (const [M, a] of parts) addScaledRows(out, cols, 0, 0, M, H, cols, a);
  return out;
}

/** Dense J_t = ∂s_t/∂s_{t−1} (S×S) or, with `input`, ∂s_t/∂x_t (S×D). */
function denseJacobian(trace: CellTrace, t: number, input: boolean): Float64Array {
  const p = trace.params, D = p.inputDim;
  const { H, S, row, prevH, prevC, curC, map } = coeffs(trace, t);
  const cols = input ? D : S, mats = (g: GateParams) => (input ? g.W : g.U);
  const w = input ? D : H; // columns of each gate block
  const J = new Float64Array(S * cols);
  switch (p.kind) {
    case 'rnn':
      addScaledRows(J, cols, 0, 0, mats(p.h), H, w, row('dphi'));
      return J;
    case 'lstm': {
      const f = row('f'), i = row('i'), o = row('o'), g = row('g'), tc = row('tc');
      const Cb = gatePaths(H, w, [[mats(p.f), map(H, (j) => prevC[j] * f[j] * (1 - f[j]))],
        [mats(p.i), map(H, (j) => g[j] * i[j] * (1 - i[j]))], [mats(p.g), map(H, (j) => i[j] * (1 - g[j] * g[j]))]]);
      const beta = map(H, (j) => o[j] * (1 - tc[j] * tc[j]));
      addScaledRows(J, cols, 0, 0, mats(p.o), H, w, map(H, (j) => tc[j] * o[j] * (1 - o[j])));
      addScaledRows(J, cols, 0, 0, Cb, H, w, beta);
      addScaledRows(J, cols, H, 0, Cb, H, w, map(H, () => 1));
      if (!input) { addDiag(J, cols, 0, H, map(H, (j) => beta[j] * f[j])); addDiag(J, cols, H, H, f); }
      return J;
    }
    case 'gru': {
      const z = row('z'), r = row('r'), hh = row('hh');
      const az = map(H, (j) => (hh[j] - prevH[j]) * z[j] * (1 - z[j])), ah = map(H, (j) => z[j] * (1 - hh[j] * hh[j]));
      const qv = map(H, (j) => prevH[j] * r[j] * (1 - r[j]));
      addScaledRows(J, cols, 0, 0, mats(p.z), H, w, az);
      // ∂(r∘h)/∂· = diag r (state only) + diag(q) M_r; pushed through U_h.
      const inner = new Float64Array(H * w);
      addScaledRows(inner, w, 0, 0, mats(p.r), H, w, qv);
      if (!input) addDiag(inner, w, 0, 0, r);
      addScaledRows(J, cols, 0, 0, matMul(p.h.U, inner, H, H, w), H, w, ah);
      if (input) addScaledRows(J, cols, 0, 0, p.h.W, H, w, ah);
      else addDiag(J, cols, 0, 0, map(H, (j) => 1 - z[j]));
      return J;
    }
    case 'gru-r-out': {
      const z = row('z'), r = row('r'), g = row('g');
      const Cb = gatePaths(H, w, [[mats(p.z), map(H, (j) => (g[j] - prevC[j]) * z[j] * (1 - z[j]))],
        [mats(p.h), map(H, (j) => z[j] * (1 - g[j] * g[j]))]]);
      addScaledRows(J, cols, 0, 0, mats(p.r), H, w, map(H, (j) => curC[j] * r[j] * (1 - r[j])));
      addScaledRows(J, cols, 0, 0, Cb, H, w, r);
      addScaledRows(J, cols, H, 0, Cb, H, w, map(H, () => 1));
      if (!input) { addDiag(J, cols, 0, H, map(H, (j) => r[j] * (1 - z[j]))); addDiag(J, cols, H, H, map(H, (j) => 1 - z[j])); }
      return J;
    }
  }
}

/** Dense ∂s_t/∂s_{t−1}, S×S row-major (rows: components of s_t). */
export function stepJacobian(trace: CellTrace, t: number): Float64Array {
  return denseJacobian(trace, t, false);
}

/** Dense ∂s_t/∂x_t, S×D row-major. */
export function inputJacobian(trace: CellTrace, t: number): Float64Array {
  return denseJacobian(trace, t, true);
}

/** The four terms of the LSTM's ∂c_t/∂c_{t−1} (H×H each; see the header). Their sum is the memory Jacobian. */
export interface LstmMemoryTerms { forget: Float64Array; forgetGate: Float64Array; inputGate: Float64Array; candidate: Float64Array }

/** The GRU's terms: keep = diag(1−z_t), then the update-gate, candidate and reset-gate paths (resetGate is zero for
 *  the variant, whose reset gate sits outside the recurrence of c). Their sum is ∂h_t/∂h_{t−1} (gru) or the
 *  memory Jacobian ∂c_t/∂c_{t−1} (gru-r-out). */
export interface GruMemoryTerms { keep: Float64Array; updateGate: Float64Array; candidate: Float64Array; resetGate: Float64Array }

export function lstmMemoryTerms(trace: CellTrace, t: number): LstmMemoryTerms {
  const p = trace.params;
  if (p.kind !== 'lstm') throw new TypeError(`lstmMemoryTerms needs an lstm trace, got ${p.kind}`);
  const { H, row, prevC, map } = coeffs(trace, t);
  const f = row('f'), i = row('i'), g = row('g'), oPrev = row('o', t - 1), tcPrev = row('tc', t - 1);
  const d = map(H, (j) => oPrev[j] * (1 - tcPrev[j] * tcPrev[j]));
  const term = (U: Float64Array, a: ArrayLike<number>) => {
    const M = new Float64Array(H * H);
    addScaledRows(M, H, 0, 0, U, H, H, a, d);
    return M;
  };
  const forget = new Float64Array(H * H);
  addDiag(forget, H, 0, 0, f);
  return {
    forget,
    forgetGate: term(p.f.U, map(H, (j) => prevC[j] * f[j] * (1 - f[j]))),
    inputGate: term(p.i.U, map(H, (j) => g[j] * i[j] * (1 - i[j]))),
    candidate: term(p.g.U, map(H, (j) => i[j] * (1 - g[j] * g[j]))),
  };
}

export function gruMemoryTerms(trace: CellTrace, t: number): GruMemoryTerms {
  const p = trace.params;
  if (p.kind !== 'gru' && p.kind !== 'gru-r-out') throw new TypeError(`gruMemoryTerms needs a gru trace, got ${p.kind}`);
  const { H, row, prevH, prevC, map } = coeffs(trace, t);
  const z = row('z'), r = row('r'), cand = row(p.kind === 'gru' ? 'hh' : 'g');
  const keep = new Float64Array(H * H);
  addDiag(keep, H, 0, 0, map(H, (j) => 1 - z[j]));
  const az = map(H, (j) => (cand[j] - prevC[j]) * z[j] * (1 - z[j])), ah = map(H, (j) => z[j] * (1 - cand[j] * cand[j]));
  const updateGate = new Float64Array(H * H), candidate = new Float64Array(H * H), resetGate = new Float64Array(H * H);
  if (p.kind === 'gru') {
    addScaledRows(updateGate, H, 0, 0, p.z.U, H, H, az);
    addScaledRows(candidate, H, 0, 0, p.h.U, H, H, ah, r);
    const inner = new Float64Array(H * H);
    addScaledRows(inner, H, 0, 0, p.r.U, H, H, map(H, (j) => prevH[j] * r[j] * (1 - r[j])));
    addScaledRows(resetGate, H, 0, 0, matMul(p.h.U, inner, H, H, H), H, H, ah);
  } else {
    const rPrev = row('r', t - 1);
    addScaledRows(updateGate, H, 0, 0, p.z.U, H, H, az, rPrev);
    addScaledRows(candidate, H, 0, 0, p.h.U, H, H, ah, rPrev);
  }
  return { keep, updateGate, candidate, resetGate };
}
