// The four recurrent cells of src/math/rnn-cells.ts again, in TensorFlow.js, on the SAME parameter arrays (copied to
// float32), so that tfjs autodiff can check the analytic Jacobians of src/math/rnn-jacobian-dense.ts
// (https://kexue.fm/archives/7888; Pascanu, Mikolov, Bengio 2013, https://arxiv.org/abs/1211.5063).
// Conventions: row vectors, a batch of B states as a B×S tensor, a_k = x W_kᵀ + h U_kᵀ + b_k, state [h, c] for the
// LSTM and the variant. Every function that returns a tensor is pure (the caller tidies); every async function
// tidies its own work and reads back with `await data()`, so calling it leaves tf.memory().numTensors unchanged.
// A Jacobian is read in one backward pass: the point is tiled into B = (output size) identical rows, row k of the
// batch output keeps only its k-th component, and the gradient of their sum has ∂f_k/∂s in row k (the rows of a
// batch do not interact).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { type CellKind, type CellParams, type RnnActivation, gateList, stateDim } from '../math/rnn-cells.ts';

interface TfGate { W: tf.Tensor2D; U: tf.Tensor2D; b: tf.Tensor1D }

export interface TfCell {
  kind: CellKind;
  activation: RnnActivation;
  hidden: number;
  inputDim: number;
  stateDim: number;
  gates: Readonly<Record<string, TfGate>>;
  /** frees every tensor the cell owns */
  dispose(): void;
}

/** Float32 copies of the cell's parameters (W: H×D, U: H×H, b: H). */
export function makeTfCell(params: CellParams): TfCell {
  const H = params.hidden, D = params.inputDim;
  const gates: Record<string, TfGate> = {};
  for (const { name, gate } of gateList(params)) {
    gates[name] = {
      W: tf.tensor2d(Float32Array.from(gate.W), [H, D]), U: tf.tensor2d(Float32Array.from(gate.U), [H, H]),
      b: tf.tensor1d(Float32Array.from(gate.b)),
    };
  }
  return {
    kind: params.kind, activation: params.kind === 'rnn' ? params.activation : 'tanh', hidden: H, inputDim: D,
    stateDim: stateDim(params.kind, H), gates,
    dispose() { for (const g of Object.values(gates)) { g.W.dispose(); g.U.dispose(); g.b.dispose(); } },
  };
}

/** x Wᵀ + h Uᵀ + b for one gate; x is 1×D or B×D, h is B×H. */
function pre(g: TfGate, x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.add(tf.matMul(x, g.W, false, true), tf.matMul(h, g.U, false, true)), g.b);
}

function split(s: tf.Tensor2D, H: number): [tf.Tensor2D, tf.Tensor2D] {
  const [h, c] = tf.split(s, [H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
  return [h, c];
}

/** s_t = cell(s_{t−1}, x_t) for a batch of states (B×S) and one input (1×D) or one per row (B×D). */
export function tfStep(cell: TfCell, prev: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  const H = cell.hidden, G = cell.gates;
  switch (cell.kind) {
    case 'rnn': {
      const a = pre(G.h, x, prev);
      return cell.activation === 'tanh' ? tf.tanh(a) : cell.activation === 'relu' ? tf.relu(a) : a;
    }
    case 'lstm': {
      const [h, c] = split(prev, H);
      const i = tf.sigmoid(pre(G.i, x, h)), f = tf.sigmoid(pre(G.f, x, h)), o = tf.sigmoid(pre(G.o, x, h));
      const g = tf.tanh(pre(G.g, x, h));
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      return tf.concat([tf.mul(o, tf.tanh(cNew)), cNew], 1) as tf.Tensor2D;
    }
    case 'gru': {
      const z = tf.sigmoid(pre(G.z, x, prev)), r = tf.sigmoid(pre(G.r, x, prev));
      const cand = tf.tanh(pre(G.h, x, tf.mul(r, prev)));
      return tf.add(tf.mul(tf.sub(1, z), prev), tf.mul(z, cand));
    }
    case 'gru-r-out': {
      const [h, c] = split(prev, H);
      const z = tf.sigmoid(pre(G.z, x, h)), r = tf.sigmoid(pre(G.r, x, h)), g = tf.tanh(pre(G.h, x, h));
      const cNew = tf.add(tf.mul(tf.sub(1, z), c), tf.mul(z, g));
      return tf.concat([tf.mul(r, cNew), cNew], 1) as tf.Tensor2D;
    }
  }
}

/**
 * The memory map of the article's decomposition, m_{t−1} ↦ m_t with m = c (lstm, gru-r-out) or h (gru), for a
 * batch of memories (B×H). h_{t−1} as a function of the memory is o_{t−1}∘tanh c (lstm), r_{t−1}∘c (gru-r-out) or
 * h itself (gru), with `outGatePrev` the recorded o_{t−1} or r_{t−1}. Only the gate paths named in `live` see that
 * live h_{t−1}; the others see `hPrev`, the recorded one, so the Jacobian of the map isolates those paths. The direct
 * term (f∘c or (1−z)∘h) always uses the live memory. Gate names: lstm 'f', 'i', 'g'; gru 'z', 'r', 'h' ('h' = the
 * h_{t−1} inside r∘h_{t−1}); gru-r-out 'z', 'h'.
 */
export function tfMemoryStep(cell: TfCell, mem: tf.Tensor2D, hPrev: tf.Tensor2D, outGatePrev: tf.Tensor2D | null,
  x: tf.Tensor2D, live: readonly string[]): tf.Tensor2D {
  const G = cell.gates;
  const liveH = cell.kind === 'lstm' ? tf.mul(outGatePrev ?? tf.scalar(1), tf.tanh(mem))
    : cell.kind === 'gru-r-out' ? tf.mul(outGatePrev ?? tf.scalar(1), mem) : mem;
  const hFor = (gate: string) => (live.includes(gate) ? liveH : hPrev) as tf.Tensor2D;
  switch (cell.kind) {
    case 'lstm': {
      const f = tf.sigmoid(pre(G.f, x, hFor('f'))), i = tf.sigmoid(pre(G.i, x, hFor('i'))), g = tf.tanh(pre(G.g, x, hFor('g')));
      return tf.add(tf.mul(f, mem), tf.mul(i, g));
    }
    case 'gru': {
      const z = tf.sigmoid(pre(G.z, x, hFor('z'))), r = tf.sigmoid(pre(G.r, x, hFor('r')));
      const cand = tf.tanh(pre(G.h, x, tf.mul(r, hFor('h'))));
      return tf.add(tf.mul(tf.sub(1, z), mem), tf.mul(z, cand));
    }
    case 'gru-r-out': {
      const z = tf.sigmoid(pre(G.z, x, hFor('z'))), g = tf.tanh(pre(G.h, x, hFor('h')));
      return tf.add(tf.mul(tf.sub(1, z), mem), tf.mul(z, g));
    }
    case 'rnn':
      throw new TypeError('the simple RNN has no memory decomposition');
  }
}

/** The Jacobian (outDim × at.length, row-major, float64 copy of float32 values) of a row-wise map f at `at`. */
export async function autodiffJacobian(f: (s: tf.Tensor2D) => tf.Tensor2D, at: ArrayLike<number>, outDim: number): Promise<Float64Array> {
  const n = at.length;
  const J = tf.tidy(() => {
    const tiled = tf.tile(tf.tensor2d(Array.from(at), [1, n]), [outDim, 1]) as tf.Tensor2D;
    const eye = tf.eye(outDim);
    return tf.grad((s: tf.Tensor) => tf.sum(tf.mul(f(s as tf.Tensor2D), eye)))(tiled);
  });
  try {
    return Float64Array.from(await J.data());
  } finally {
    J.dispose();
  }
}

/** ∂s_t/∂s_{t−1} (S×S) at s_{t−1} = prev, x_t = x, by tfjs autodiff. */
export function autodiffStepJacobian(cell: TfCell, prev: ArrayLike<number>, x: ArrayLike<number>): Promise<Float64Array> {
  const xs = () => tf.tensor2d(Array.from(x), [1, cell.inputDim]);
  return autodiffJacobian((s) => tfStep(cell, s, xs()), prev, cell.stateDim);
}

/** ∂s_t/∂x_t (S×D) by tfjs autodiff. */
export function autodiffInputJacobian(cell: TfCell, prev: ArrayLike<number>, x: ArrayLike<number>): Promise<Float64Array> {
  const ps = () => tf.tensor2d(Array.from(prev), [1, cell.stateDim]);
  return autodiffJacobian((xb) => tfStep(cell, tf.tile(ps(), [xb.shape[0], 1]) as tf.Tensor2D, xb), x, cell.stateDim);
}

/** ∂m_t/∂m_{t−1} (H×H) of tfMemoryStep at the recorded state `prev` (S) with only the `live` gate paths
 *  differentiated; `outGatePrev` is o_{t−1} (lstm) or r_{t−1} (gru-r-out), ignored for the gru. */
export function autodiffMemoryJacobian(cell: TfCell, prev: ArrayLike<number>, outGatePrev: ArrayLike<number> | null,
  x: ArrayLike<number>, live: readonly string[]): Promise<Float64Array> {
  const H = cell.hidden;
  const p = Array.from(prev);
  const mem = cell.kind === 'gru' ? p.slice(0, H) : p.slice(H, 2 * H);
  return autodiffJacobian((m) => tfMemoryStep(
    cell, m, tf.tensor2d(p.slice(0, H), [1, H]), outGatePrev ? tf.tensor2d(Array.from(outGatePrev), [1, H]) : null,
    tf.tensor2d(Array.from(x), [1, cell.inputDim]), live,
  ), mem, H);
}

/** States s_0..s_T ((T+1)×S, s_0 = 0) of the tfjs cell over the T×D inputs. */
export async function tfRollout(cell: TfCell, inputs: ArrayLike<number>): Promise<Float64Array> {
  const D = cell.inputDim, S = cell.stateDim, T = inputs.length / D;
  const states = tf.tidy(() => {
    const X = tf.tensor2d(Array.from(inputs), [T, D]);
    let s: tf.Tensor2D = tf.zeros([1, S]);
    const all: tf.Tensor2D[] = [s];
    for (let t = 0; t < T; t++) {
      s = tfStep(cell, s, tf.slice(X, [t, 0], [1, D]));
      all.push(s);
    }
    return tf.concat(all, 0);
  });
  try {
    return Float64Array.from(await states.data());
  } finally {
    states.dispose();
  }
}
