// The recurrent cells of the RNN-gradients explainer (https://kexue.fm/archives/7888), in float64: parameters drawn
// from a settings object, the input sequence, and a forward pass that keeps every state and gate for the Jacobians
// in rnn-jacobians.ts.
//
// Cells (a_k = W_k x_t + U_k h_{t−1} + b_k; σ the logistic sigmoid):
//   rnn        h_t = φ(a_h), φ ∈ {tanh, relu, linear}                                   state s = h        (H)
//   lstm       i,f,o = σ(a_i,f,o), g = tanh(a_g), c_t = f∘c_{t−1} + i∘g, h_t = o∘tanh c_t   state s = (h, c) (2H)
//              (the no-peephole LSTM of Greff et al., https://arxiv.org/abs/1503.04069)
//   gru        z,r = σ(a_z,r), ĥ = tanh(W_h x + U_h(r∘h_{t−1}) + b_h), h_t = (1−z)∘h_{t−1} + z∘ĥ     s = h (H)
//              (Cho et al. 2014, https://arxiv.org/abs/1406.1078, with z and 1 − z swapped as in the article)
//   gru-r-out  the article's variant: c_t = (1−z)∘c_{t−1} + z∘tanh(a_h), h_t = r∘c_t             s = (h, c) (2H)
// A state vector of a two-part cell is [h; c]. s_0 = 0.
//
// Initialisation: every recurrent matrix U_k is orthogonal × ρ, Gaussian with entries N(0, scale²/H) (so its
// spectral radius is about `scale` and its largest singular value about 2·scale), or ρ·I. Input weights are
// N(0, 1/D), so a noise input adds variance inputScale² to each pre-activation. Biases are 0 except
// the keep gate: the LSTM's b_f = forgetBias and, for both GRUs, b_z = −forgetBias, so in every gated cell the
// fraction of the old memory kept, f_t or 1 − z_t, starts near σ(forgetBias).
// Seeding: each gate role draws from its own stream of the seed ('cand' for the candidate/rnn matrix, 'keep' for
// f or z, then 'i', 'o', 'r'), so all three simple RNNs share one U, and every cell sees the same candidate U.
//
// Conventions for the Jacobian decompositions at t = 1: the LSTM's h_0 = o_0∘tanh c_0 and the variant's
// h_0 = r_0∘c_0 hold for any gate value since c_0 = 0; the trace stores o_0 = σ(b_o) and r_0 = σ(b_r), the gates a
// zero input and state would give.
import { sigmoid } from './fdiv.ts';
import { gaussianMatrix, identity, matVec, randomOrthogonal } from './linalg.ts';
import { Rng } from './rng.ts';

export const CELL_IDS = ['rnn-tanh', 'rnn-relu', 'rnn-linear', 'lstm', 'gru', 'gru-r-out'] as const;
/** What the UI and the URL name a cell by: the kind, with the activation for a simple RNN. */
export type CellId = (typeof CELL_IDS)[number];
export type CellKind = 'rnn' | 'lstm' | 'gru' | 'gru-r-out';
export const RNN_ACTIVATIONS = ['tanh', 'relu', 'linear'] as const;
export type RnnActivation = (typeof RNN_ACTIVATIONS)[number];
export const RECURRENT_INITS = ['orthogonal', 'gaussian', 'identity'] as const;
export type RecurrentInit = (typeof RECURRENT_INITS)[number];
export const INPUT_KINDS = ['noise', 'constant', 'marker'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Everything that fixes a cell's parameters (besides which cell it is). */
export interface CellInitSettings {
  hidden: number;
  inputDim: number;
  init: RecurrentInit;
  /** ρ for 'orthogonal' and 'identity', the scale for 'gaussian' */
  radius: number;
  forgetBias: number;
  seed: number | string;
}

/** Everything that fixes the input sequence x_1..x_T (shared by every cell of a comparison). */
export interface InputSettings {
  T: number;
  inputDim: number;
  inputKind: InputKind;
  inputScale: number;
  seed: number | string;
}

export const CELL_DEFAULTS: Readonly<CellInitSettings & InputSettings> = Object.freeze({
  hidden: 32, inputDim: 4, init: 'orthogonal', radius: 1, forgetBias: 1, seed: 1,
  T: 100, inputKind: 'noise', inputScale: 1,
});

/** Inclusive ranges the numeric settings are checked against. */
export const CELL_RANGES = Object.freeze({
  hidden: { min: 1, max: 256 }, inputDim: { min: 1, max: 64 }, T: { min: 1, max: 2000 },
  radius: { min: 0, max: 10 }, forgetBias: { min: -20, max: 20 }, inputScale: { min: 0, max: 100 },
});

/** W: H×D, U: H×H, b: H (row-major). */
export interface GateParams {
  W: Float64Array;
  U: Float64Array;
  b: Float64Array;
}

interface ParamsBase {
  hidden: number;
  inputDim: number;
}
export interface RnnParams extends ParamsBase { kind: 'rnn'; activation: RnnActivation; h: GateParams }
export interface LstmParams extends ParamsBase { kind: 'lstm'; i: GateParams; f: GateParams; o: GateParams; g: GateParams }
export interface GruParams extends ParamsBase { kind: 'gru' | 'gru-r-out'; z: GateParams; r: GateParams; h: GateParams }
export type CellParams = RnnParams | LstmParams | GruParams;

/** The gates of each kind in a fixed order (the tfjs cells and any serialisation use this order). */
export const GATE_NAMES = {
  rnn: ['h'], lstm: ['i', 'f', 'o', 'g'], gru: ['z', 'r', 'h'], 'gru-r-out': ['z', 'r', 'h'],
} as const satisfies Record<CellKind, readonly string[]>;

export function parseCellId(id: CellId): { kind: CellKind; activation: RnnActivation } {
  switch (id) {
    case 'rnn-tanh': return { kind: 'rnn', activation: 'tanh' };
    case 'rnn-relu': return { kind: 'rnn', activation: 'relu' };
    case 'rnn-linear': return { kind: 'rnn', activation: 'linear' };
    default: return { kind: id, activation: 'tanh' };
  }
}

/** Length of the state vector: 2H for the cells that carry a separate memory c. */
export function stateDim(kind: CellKind, hidden: number): number {
  return kind === 'lstm' || kind === 'gru-r-out' ? 2 * hidden : hidden;
}

/** The gates of p in GATE_NAMES order. */
export function gateList(p: CellParams): { name: string; gate: GateParams }[] {
  switch (p.kind) {
    case 'rnn': return [{ name: 'h', gate: p.h }];
    case 'lstm': return [{ name: 'i', gate: p.i }, { name: 'f', gate: p.f }, { name: 'o', gate: p.o }, { name: 'g', gate: p.g }];
    default: return [{ name: 'z', gate: p.z }, { name: 'r', gate: p.r }, { name: 'h', gate: p.h }];
  }
}

function checkRange(name: keyof typeof CELL_RANGES, v: number, integer: boolean): void {
  const { min, max } = CELL_RANGES[name];
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${v}`);
  }
}

/** Throws RangeError naming the first bad field. */
export function validateCellSettings(s: Partial<CellInitSettings & InputSettings>): void {
  if (s.hidden !== undefined) checkRange('hidden', s.hidden, true);
  if (s.inputDim !== undefined) checkRange('inputDim', s.inputDim, true);
  if (s.T !== undefined) checkRange('T', s.T, true);
  if (s.radius !== undefined) checkRange('radius', s.radius, false);
  if (s.forgetBias !== undefined) checkRange('forgetBias', s.forgetBias, false);
  if (s.inputScale !== undefined) checkRange('inputScale', s.inputScale, false);
  if (s.init !== undefined && !RECURRENT_INITS.includes(s.init)) {
    throw new RangeError(`init must be one of ${RECURRENT_INITS.join(', ')}, got ${s.init}`);
  }
  if (s.inputKind !== undefined && !INPUT_KINDS.includes(s.inputKind)) {
    throw new RangeError(`inputKind must be one of ${INPUT_KINDS.join(', ')}, got ${s.inputKind}`);
  }
}

/** The recurrent matrix of one gate role, per the init rule above, from the role's stream of the seed. */
export function recurrentMatrix(H: number, init: RecurrentInit, radius: number, rng: Rng, key?: string): Float64Array {
  switch (init) {
    case 'identity': return identity(H, radius);
    case 'gaussian': {
      const N = memo(key && `N|${key}`, () => gaussianMatrix(H, H, 1, rng));
      const std = radius / Math.sqrt(H), U = new Float64Array(N.length);
      for (let i = 0; i < N.length; i++) U[i] = std * N[i];
      return U;
    }
    case 'orthogonal': {
      const Q = memo(key && `Q|${key}`, () => randomOrthogonal(H, rng)).slice();
      for (let i = 0; i < Q.length; i++) Q[i] *= radius;
      return Q;
    }
  }
}

// The draws behind the parameters depend only on the seed, the sizes and the gate role, not on ρ, the forget bias
// or anything about the inputs, and a slider moves one of those at a time: so the last few draws are kept (the
// orthogonal ones cost H³ each) and scaled or copied per call. A pure memo: the numbers are bit for bit those of a
// fresh draw.
const MEMO_SIZE = 32;
const memoized = new Map<string, Float64Array>();
function memo(key: string | undefined, draw: () => Float64Array): Float64Array {
  if (!key) return draw();
  let a = memoized.get(key);
  if (a) memoized.delete(key);
  else a = draw();
  memoized.set(key, a); // most recent last
  if (memoized.size > MEMO_SIZE) memoized.delete(memoized.keys().next().value!);
  return a;
}

const ROLE: Record<string, string> = { h: 'cand', g: 'cand', f: 'keep', z: 'keep', i: 'i', o: 'o', r: 'r' };

/** Parameters of one cell; the same settings give the same numbers for every cell sharing a gate role. */
export function initCell(id: CellId, settings: Partial<CellInitSettings> = {}): CellParams {
  const s = { ...CELL_DEFAULTS, ...settings };
  validateCellSettings(s);
  const { kind, activation } = parseCellId(id);
  const H = s.hidden, D = s.inputDim;
  // The init does not key the streams: the orthogonal U is then Gram–Schmidt of the Gaussian U's draws, and W is
  // the same under every init.
  const root = new Rng(s.seed).stream('rnn-params');
  const seedKey = `${typeof s.seed}:${s.seed}|${H}|${D}`;
  const gate = (name: string): GateParams => {
    const role = ROLE[name];
    const b = new Float64Array(H);
    if (kind === 'lstm' && name === 'f') b.fill(s.forgetBias);
    if ((kind === 'gru' || kind === 'gru-r-out') && name === 'z') b.fill(-s.forgetBias);
    return {
      W: memo(`W|${seedKey}|${role}`, () => gaussianMatrix(H, D, 1 / Math.sqrt(D), root.stream(`W:${role}`))).slice(),
      U: recurrentMatrix(H, s.init, s.radius, root.stream(`U:${role}`), `${seedKey}|${role}`),
      b,
    };
  };
  const base = { hidden: H, inputDim: D };
  switch (kind) {
    case 'rnn': return { ...base, kind, activation, h: gate('h') };
    case 'lstm': return { ...base, kind, i: gate('i'), f: gate('f'), o: gate('o'), g: gate('g') };
    default: return { ...base, kind, z: gate('z'), r: gate('r'), h: gate('h') };
  }
}

/** x_1..x_T as a T×D matrix (row t−1 is x_t): 'noise' draws N(0, scale²) entries, 'constant' repeats the vector
 *  scale·𝟙 at every step, 'marker' is scale·𝟙 at t = 1 and 0 afterwards (the signal whose memory we follow). */
export function makeInputs(settings: Partial<InputSettings> = {}): Float64Array {
  const s = { ...CELL_DEFAULTS, ...settings };
  validateCellSettings(s);
  const X = new Float64Array(s.T * s.inputDim);
  switch (s.inputKind) {
    case 'noise': return new Rng(s.seed).stream('rnn-inputs').fillNormal(X, 0, s.inputScale);
    case 'constant': return X.fill(s.inputScale);
    case 'marker': return X.fill(s.inputScale, 0, s.inputDim);
  }
}

/**
 * A forward pass: states (T+1)×stateDim with row t = s_t (row 0 = s_0 = 0), and per step the quantities the
 * Jacobians need, each (T+1)×H with row t for step t:
 *   rnn: 'dphi' = φ'(a_t);  lstm: 'i','f','o','g','tc' (tanh c_t);  gru: 'z','r','hh' (ĥ_t);  gru-r-out: 'z','r','g'.
 * Row 0 of the LSTM's 'o' and the variant's 'r' hold σ(b) (see the header); every other row 0 is zero.
 */
export interface CellTrace {
  params: CellParams;
  T: number;
  stateDim: number;
  /** the T×D inputs the pass ran on (shared, not copied) */
  inputs: Float64Array;
  states: Float64Array;
  cache: Readonly<Record<string, Float64Array>>;
}

const CACHE_NAMES: Record<CellKind, string[]> = {
  rnn: ['dphi'], lstm: ['i', 'f', 'o', 'g', 'tc'], gru: ['z', 'r', 'hh'], 'gru-r-out': ['z', 'r', 'g'],
};

/** Gate order in the stacked matrices, with the gates whose U multiplies h_{t−1} directly first (all but the GRU's
 *  candidate, which sees r∘h_{t−1}). The Jacobian products use the same order. */
export const STACK_ORDER = {
  rnn: ['h'], lstm: ['f', 'i', 'g', 'o'], gru: ['z', 'r', 'h'], 'gru-r-out': ['z', 'h', 'r'],
} as const satisfies Record<CellKind, readonly string[]>;

export function gateByName(p: CellParams, name: string): GateParams {
  const g = gateList(p).find((e) => e.name === name);
  if (!g) throw new RangeError(`${p.kind} has no gate ${name}`);
  return g.gate;
}

/** The gates' matrices stacked in STACK_ORDER: one product per step instead of one per gate. `U` holds only the
 *  gates that see h_{t−1} directly (`direct` of them). */
export function stackGates(p: CellParams): { U: Float64Array; W: Float64Array; b: Float64Array; direct: number } {
  const gates = STACK_ORDER[p.kind].map((n) => gateByName(p, n));
  const direct = p.kind === 'gru' ? 2 : gates.length;
  const cat = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, a) => n + a.length, 0));
    let o = 0;
    for (const a of parts) { out.set(a, o); o += a.length; }
    return out;
  };
  return { U: cat(gates.slice(0, direct).map((g) => g.U)), W: cat(gates.map((g) => g.W)), b: cat(gates.map((g) => g.b)), direct };
}

/** Runs the cell over all T rows of `inputs` from s_0 = `s0` (default 0). O(T·H·(H + D)) per gate; no per-step
 *  allocation. A nonzero s0 leaves the t = 1 memory decompositions without meaning (they assume c_0 = 0). */
export function forward(params: CellParams, inputs: Float64Array, s0?: Float64Array): CellTrace {
  const H = params.hidden, D = params.inputDim, kind = params.kind;
  if (inputs.length % D !== 0) throw new RangeError(`inputs length ${inputs.length} is not a multiple of ${D}`);
  const T = inputs.length / D;
  const S = stateDim(kind, H);
  const states = new Float64Array((T + 1) * S);
  if (s0) {
    if (s0.length !== S) throw new RangeError(`s0 has length ${s0.length}, expected ${S}`);
    states.set(s0);
  }
  const cache: Record<string, Float64Array> = {};
  for (const name of CACHE_NAMES[kind]) cache[name] = new Float64Array((T + 1) * H);
  const st = stackGates(params);
  const G = STACK_ORDER[kind].length;
  const A = new Float64Array(G * H), P = new Float64Array(G * H), rh = new Float64Array(H);
  if (kind === 'lstm') for (let j = 0; j < H; j++) cache.o[j] = sigmoid(params.o.b[j]);
  if (kind === 'gru-r-out') for (let j = 0; j < H; j++) cache.r[j] = sigmoid(params.r.b[j]);
  for (let t = 1; t <= T; t++) {
    const xo = (t - 1) * D, po = (t - 1) * S, so = t * S, co = t * H;
    // A = pre-activations of every gate in STACK_ORDER (the GRU's candidate still lacks U_h(r∘h)).
    matVec(st.W, G * H, D, inputs, A, xo, 0);
    matVec(st.U, st.direct * H, H, states, P, po, 0);
    for (let k = 0; k < G * H; k++) A[k] += st.b[k] + (k < st.direct * H ? P[k] : 0);
    switch (params.kind) {
      case 'rnn': {
        const dphi = cache.dphi, act = params.activation;
        for (let j = 0; j < H; j++) {
          const v = A[j];
          if (act === 'tanh') { const y = Math.tanh(v); states[so + j] = y; dphi[co + j] = 1 - y * y; }
          else if (act === 'relu') { states[so + j] = v > 0 ? v : 0; dphi[co + j] = v > 0 ? 1 : 0; }
          else { states[so + j] = v; dphi[co + j] = 1; }
        }
        break;
      }
      case 'lstm': {
        const { i, f, o, g, tc } = cache;
        for (let j = 0; j < H; j++) {
          const fj = sigmoid(A[j]), ij = sigmoid(A[H + j]), gj = Math.tanh(A[2 * H + j]), oj = sigmoid(A[3 * H + j]);
          const c = fj * states[po + H + j] + ij * gj;
          const th = Math.tanh(c);
          f[co + j] = fj; i[co + j] = ij; g[co + j] = gj; o[co + j] = oj; tc[co + j] = th;
          states[so + H + j] = c;
          states[so + j] = oj * th;
        }
        break;
      }
      case 'gru': {
        const { z, r, hh } = cache;
        for (let j = 0; j < H; j++) {
          z[co + j] = sigmoid(A[j]);
          r[co + j] = sigmoid(A[H + j]);
          rh[j] = r[co + j] * states[po + j];
        }
        matVec(params.h.U, H, H, rh, P);
        for (let j = 0; j < H; j++) {
          const c = Math.tanh(A[2 * H + j] + P[j]), zj = z[co + j];
          hh[co + j] = c;
          states[so + j] = (1 - zj) * states[po + j] + zj * c;
        }
        break;
      }
      case 'gru-r-out': {
        const { z, r, g } = cache;
        for (let j = 0; j < H; j++) {
          const zj = sigmoid(A[j]), gj = Math.tanh(A[H + j]), rj = sigmoid(A[2 * H + j]);
          z[co + j] = zj; g[co + j] = gj; r[co + j] = rj;
          const c = (1 - zj) * states[po + H + j] + zj * gj;
          states[so + H + j] = c;
          states[so + j] = rj * c;
        }
        break;
      }
    }
  }
  return { params, T, stateDim: S, inputs, states, cache };
}

/** One step s_t = cell(s_{t−1}, x_t) on its own (a fresh array): what finite differences perturb. */
export function cellStep(params: CellParams, prev: Float64Array, x: Float64Array): Float64Array {
  const S = stateDim(params.kind, params.hidden);
  return forward(params, x, prev).states.slice(S, 2 * S);
}
