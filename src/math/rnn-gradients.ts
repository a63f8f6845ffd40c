// Every view of the RNN-gradients explainer (https://kexue.fm/archives/7888) for several cells that share one input
// sequence: how the gradient of a loss at the last step reaches each earlier state and input, the largest singular
// value of each step Jacobian, how the gated cells split their memory Jacobian, and what gradient clipping changes.
// API: analyzeRnnGradients(settings, opts?) is the one call a widget, worker task or CLI needs; it returns the views
// per cell plus the traces, inputs and readout, so a clip-only change can reuse them through
// clippedGradNorms(trace, readout, θ), and one step can be shown in full with stepJacobian, inputJacobian,
// lstmMemoryTerms and gruMemoryTerms (rnn-jacobian-dense.ts). analyzeTrace(id, trace, readout, clip, opts) is the
// per-cell core.
//
// Readout and loss (fixed, so the views depend on the cell and not on a training target): y_T = W_y h_T with
// W_y ∈ R^{m×H} drawn N(0, 1/H) from the seed (stream 'rnn-readout'), m = readoutDim (default 2), and
// L = (1/√m) Σ_k y_T,k, so ∂L/∂h_T = W_yᵀ𝟙/√m has norm ≈ 1. The LSTM and the variant read h only; their c enters L
// through later steps.
//
// Views, each a Float64Array of length T with index t − 1 holding step t (t = 1..T):
//   gradNorms[t]        ‖∂L/∂s_t‖ over the whole state ((h, c) for the LSTM and gru-r-out: the memory is part of
//                       what the gradient reaches); gradNormsH[t] is the h block alone. Backpropagated as
//                       δ_{t−1} = J_tᵀ δ_t (Pascanu, Mikolov, Bengio 2013, https://arxiv.org/abs/1211.5063, §2).
//   gradNormsClipped[t] the same recurrence with the backpropagated vector clipped by norm at every step,
//                       δ ← δ·min(1, θ/‖δ‖): clipping only rescales, so it caps explosion (≤ θ) but can never make
//                       a term larger than without it (≤ gradNorms): it cannot restore a vanished gradient.
//   connectivity[t]     ‖∂y_T/∂x_t‖_F, m×D (Distill, "Visualizing memorization in RNNs",
//                       https://distill.pub/2019/memorization-in-rnns/), by backpropagating the m rows of W_y.
//   maxSingular[t]      σ₁(J_t) of the full step Jacobian, as √λ_max(J_tJ_tᵀ) by block Davidson started from the
//                       unit whose own rows weigh most (rnn-singular.ts, which says why not Lanczos from the
//                       previous step). A Ritz value, so never above σ₁; how close the default budget comes is
//                       stated there, and more iterations (opts) converge to it. Compare it with the Pascanu line
//                       1/γ: γ = 1 for every cell here (tanh' ≤ 1, relu' ∈ {0,1}, linear' = 1; in the gated cells the
//                       old memory passes through the gate product f_t or 1 − z_t and the candidate through
//                       tanh' ≤ 1 — sigmoid's ¼ bounds only the gate paths, so no smaller bound holds for a whole
//                       step). lambda1 = σ₁ of the recurrent matrix (the candidate's U for gated cells); for the
//                       simple RNN ‖J_t‖ ≤ γ·lambda1, so lambda1 < 1/γ forces vanishing.
//   lstmTerms / gruTerms {forget | keep, rest}: how the gradient passing from the memory at t to the memory at t − 1
//                       splits between the two parts of M_t = diag(main_t) + Rest_t (rnn-jacobians.ts): with ĝ_t the
//                       unit adjoint of the memory at t (∂L/∂c_t through everything c_t affects, or ∂L/∂h_t for the
//                       GRU), forget/keep = ‖main_t∘ĝ_t‖ and rest = ‖Rest_tᵀĝ_t‖, so M_tᵀĝ_t is their vector sum. The
//                       main term is a weighted root-mean-square of f_t (or 1 − z_t); the rest is what the other
//                       three paths add. A gradient-weighted norm rather than an operator norm: exact at O(H²) per
//                       step, where the GRU's Rest contains U_h diag(·) U_r and any entrywise norm would cost H³, and
//                       it measures the paths the gradient actually takes.
// Cost per cell and step: the forward pass, m transposed products (m + 1 with clipping; the rest term and the
// connectivity come out of the same products, two adjoints per pass over the matrices), and a few products with
// J_tJ_tᵀ for σ₁; all O(H²) per gate. Only the one-off lambda1 works harder.
import { norm2, spectralNorm } from './linalg.ts';
import {
  CELL_DEFAULTS, CELL_IDS, type CellId, type CellInitSettings, type CellTrace, type InputSettings, forward, initCell,
  makeInputs, validateCellSettings,
} from './rnn-cells.ts';
import { jacobianOps } from './rnn-jacobians.ts';
import { type SingularOptions, stepSingularValues } from './rnn-singular.ts';
import { Rng } from './rng.ts';

export { DEFAULT_SINGULAR, type SingularOptions } from './rnn-singular.ts';

export interface RnnGradientSettings extends CellInitSettings, InputSettings {
  cells: CellId[];
  /** clipping threshold θ on the backpropagated vector's norm; Infinity turns clipping off */
  clip: number;
  /** rows m of the readout W_y */
  readoutDim: number;
}

export const GRADIENT_DEFAULTS: Readonly<RnnGradientSettings> = Object.freeze({
  ...CELL_DEFAULTS, cells: ['rnn-tanh', 'lstm', 'gru'] as CellId[], clip: Infinity, readoutDim: 2,
});

/** y_T = W h_T (W m×H) and u = ∂L/∂h_T = Wᵀ𝟙/√m. */
export interface Readout {
  dim: number;
  hidden: number;
  W: Float64Array;
  u: Float64Array;
}

export interface CellGradients {
  id: CellId;
  T: number;
  gradNorms: Float64Array;
  gradNormsH: Float64Array;
  gradNormsClipped: Float64Array;
  connectivity: Float64Array;
  maxSingular: Float64Array;
  /** Pascanu's bound on |φ'| along the state path (1 for all cells, see the header) and the line 1/γ */
  gamma: number;
  pascanuLine: number;
  /** largest singular value of the recurrent (candidate) matrix */
  lambda1: number;
  lstmTerms?: { forget: Float64Array; rest: Float64Array };
  gruTerms?: { keep: Float64Array; rest: Float64Array };
  /** false when the states or gradients overflowed (those entries are then ±Infinity or NaN) */
  finite: boolean;
  /** products with J_tJ_tᵀ spent on maxSingular over all t (each is one product with J_tᵀ and one with J_t) */
  singularProducts: number;
}

export interface RnnGradientReport {
  settings: RnnGradientSettings;
  /** x_1..x_T, T×D */
  inputs: Float64Array;
  readout: Readout;
  cells: CellGradients[];
  traces: CellTrace[];
}

export function makeReadout(hidden: number, dim: number, seed: number | string): Readout {
  if (!Number.isInteger(dim) || dim < 1 || dim > 64) throw new RangeError(`readoutDim must be an integer in [1, 64], got ${dim}`);
  const W = new Rng(seed).stream('rnn-readout').fillNormal(new Float64Array(dim * hidden), 0, 1 / Math.sqrt(hidden));
  const u = new Float64Array(hidden);
  for (let k = 0; k < dim; k++) for (let j = 0; j < hidden; j++) u[j] += W[k * hidden + j] / Math.sqrt(dim);
  return { dim, hidden, W, u };
}

/** Throws RangeError naming the first bad field. */
export function validateGradientSettings(s: Partial<RnnGradientSettings>): void {
  validateCellSettings(s);
  if (s.cells !== undefined) {
    if (!Array.isArray(s.cells) || s.cells.length === 0) throw new RangeError('cells must list at least one cell');
    for (const c of s.cells) if (!CELL_IDS.includes(c)) throw new RangeError(`cells: unknown cell ${c}; valid: ${CELL_IDS.join(', ')}`);
  }
  if (s.clip !== undefined && !(s.clip > 0)) throw new RangeError(`clip must be > 0 (Infinity for none), got ${s.clip}`);
}

/** ‖∂L/∂s_t‖ with per-step clipping at θ (no clipping for θ = Infinity), t = 1..T at index t − 1. */
export function clippedGradNorms(trace: CellTrace, readout: Readout, clip: number): Float64Array {
  const { T, stateDim: S } = trace;
  const ops = jacobianOps(trace);
  let d = new Float64Array(S), next = new Float64Array(S);
  d.set(readout.u);
  const out = new Float64Array(T);
  for (let t = T; t >= 1; t--) {
    let n = norm2(d);
    if (n > clip) {
      const s = clip / n;
      for (let j = 0; j < S; j++) d[j] *= s;
      n = clip;
    }
    out[t - 1] = n;
    if (t > 1) { ops.vjp(t, d, next); [d, next] = [next, d]; }
  }
  return out;
}

/** All views of one cell's trace (see the header). */
export function analyzeTrace(id: CellId, trace: CellTrace, readout: Readout, clip = Infinity, opts: SingularOptions = {}): CellGradients {
  const { T, stateDim: S, params: p } = trace;
  const H = p.hidden, D = p.inputDim, m = readout.dim;
  if (readout.hidden !== H) throw new RangeError(`readout is for H = ${readout.hidden}, trace has H = ${H}`);
  const ops = jacobianOps(trace), mem = ops.memory;

  // Backward: the m adjoints of y_T, two at a time; L's adjoint is their fixed combination, so gradNorms come for
  // free, and so does the rest term (Rest_tᵀ of the memory's adjoint is linear in the state adjoint).
  const vectors = (len: number) => Array.from({ length: m }, () => new Float64Array(len));
  let deltas = vectors(S), spare = vectors(S);
  deltas.forEach((d, k) => d.set(readout.W.subarray(k * H, (k + 1) * H)));
  const gx = vectors(D), rests = vectors(mem ? H : 0);
  const gradNorms = new Float64Array(T), gradNormsH = new Float64Array(T), connectivity = new Float64Array(T);
  const main = new Float64Array(mem ? T : 0), rest = new Float64Array(mem ? T : 0);
  const dL = new Float64Array(S), g = new Float64Array(H), diag = new Float64Array(H), rg = new Float64Array(H);
  const invSqrtM = 1 / Math.sqrt(m);
  for (let t = T; t >= 1; t--) {
    let all = 0, hOnly = 0, conn = 0;
    for (let j = 0; j < S; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += deltas[k][j];
      s *= invSqrtM;
      dL[j] = s;
      all += s * s;
      if (j < H) hOnly += s * s;
    }
    gradNorms[t - 1] = Math.sqrt(all);
    gradNormsH[t - 1] = Math.sqrt(hOnly);
    for (let k = 0; k < m; k += 2) {
      const pair = k + 1 < m;
      ops.backward(t, deltas[k], pair ? deltas[k + 1] : null, spare[k], pair ? spare[k + 1] : null, gx[k], pair ? gx[k + 1] : null,
        mem ? rests[k] : null, mem && pair ? rests[k + 1] : null);
    }
    for (let k = 0; k < m; k++) conn += norm2(gx[k]) ** 2;
    connectivity[t - 1] = Math.sqrt(conn);
    if (mem) {
      mem.memoryAdjoint(t, dL, g);
      const n = norm2(g);
      mem.main(t, diag);
      rg.fill(0);
      for (let k = 0; k < m; k++) for (let j = 0; j < H; j++) rg[j] += rests[k][j];
      let d2 = 0, r2 = 0;
      for (let j = 0; j < H; j++) { d2 += (diag[j] * g[j]) ** 2; r2 += rg[j] * rg[j]; }
      main[t - 1] = n > 0 ? Math.sqrt(d2) / n : NaN;
      rest[t - 1] = n > 0 ? (Math.sqrt(r2) * invSqrtM) / n : NaN;
    }
    [deltas, spare] = [spare, deltas];
  }
  const gradNormsClipped = clip === Infinity ? gradNorms.slice() : clippedGradNorms(trace, readout, clip);
  const { sigma: maxSingular, products } = stepSingularValues(trace, ops, opts);

  const result: CellGradients = {
    id, T, gradNorms, gradNormsH, gradNormsClipped, connectivity, maxSingular, gamma: 1, pascanuLine: 1,
    lambda1: spectralNorm(p.kind === 'lstm' ? p.g.U : p.h.U, H, H), finite: true, singularProducts: products,
  };
  if (mem?.mainName === 'forget') result.lstmTerms = { forget: main, rest };
  else if (mem) result.gruTerms = { keep: main, rest };
  result.finite = [gradNorms, connectivity, maxSingular, trace.states].every((a) => a.every(Number.isFinite));
  return result;
}

/** Builds every cell from `settings` on one shared input sequence and computes all their views. */
export function analyzeRnnGradients(settings: Partial<RnnGradientSettings> = {}, opts: SingularOptions = {}): RnnGradientReport {
  const s: RnnGradientSettings = { ...GRADIENT_DEFAULTS, ...settings };
  validateGradientSettings(s);
  const inputs = makeInputs(s);
  const readout = makeReadout(s.hidden, s.readoutDim, s.seed);
  const traces: CellTrace[] = [];
  const cells = s.cells.map((id) => {
    const trace = forward(initCell(id, s), inputs);
    traces.push(trace);
    return analyzeTrace(id, trace, readout, s.clip, opts);
  });
  return { settings: s, inputs, readout, cells, traces };
}
