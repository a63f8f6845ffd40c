// Trains several recurrent cells side by side on one task (src/math/rnn-train-data.ts), for the training mode of
// <rnn-gradients> (https://kexue.fm/archives/7888). Each cell starts from the SAME parameters the analysis views show
// (initCell of src/math/rnn-cells.ts, with the task's input size), so the reader trains what they were looking at;
// the readout W_y (H×K) is drawn N(0, 1/H) from the seed.
// Speed: a step is T small time steps, so the cost is kernel launches, not arithmetic. The gates of a cell are fused
// into one H×GH recurrent matrix (one matMul per time step), the input projection of all T steps is one matMul
// before the loop, and the backward pass is written out (rnn-bptt.ts), which also hands over ∂L/∂h_t for the
// gradient profile. `unroll` is the same forward pass for autodiff: the held-out evaluation and the tests use it
// (with zero probes p_t added to h_t, the gradient with respect to p_t is ∂L/∂h_t).
// Hygiene: step() runs inside tf.tidy and keeps only the small per-step results (loss, profile) as tensors until
// read() reads them all back with one await per tensor kind; dispose() frees every variable.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { type CellId, type CellInitSettings, type CellParams, gateList, initCell } from '../math/rnn-cells.ts';
import { ADDING_TOLERANCE, type Batch, type TrainTask, makeBatch, taskShape } from '../math/rnn-train-data.ts';
import { Rng } from '../math/rng.ts';
import { bptt } from './rnn-bptt.ts';

export interface TrainConfig extends Omit<CellInitSettings, 'inputDim'> {
  cells: CellId[];
  task: TrainTask;
  T: number;
  batch: number;
  lr: number;
  /** held-out batch size for the accuracy */
  evalBatch: number;
  /** standard deviation of the memory task's noise */
  noise: number;
}

/** bound on each cell's global gradient norm in training */
export const TRAIN_CLIP = 1;

interface CellModel {
  id: CellId;
  params: CellParams;
  vars: tf.Variable[];
  names: string[];
  opt: tf.Optimizer;
}

/** Fused parameters of one cell: Wx (D×GH), Wh (H×GH), b (GH), gates side by side in GATE_NAMES order, then the
 * readout Wy (H×K), by (K). Values in float32 of the float64 init. */
export function fusedParams(p: CellParams, K: number, rng: Rng): { name: string; shape: number[]; values: Float32Array }[] {
  const H = p.hidden, D = p.inputDim, gates = gateList(p), G = gates.length;
  const Wx = new Float32Array(D * G * H), Wh = new Float32Array(H * G * H), b = new Float32Array(G * H);
  gates.forEach(({ gate }, k) => {
    for (let j = 0; j < H; j++) {
      for (let d = 0; d < D; d++) Wx[d * G * H + k * H + j] = gate.W[j * D + d];
      for (let i = 0; i < H; i++) Wh[i * G * H + k * H + j] = gate.U[j * H + i];
      b[k * H + j] = gate.b[j];
    }
  });
  const Wy = Float32Array.from(rng.fillNormal(new Float64Array(H * K), 0, 1 / Math.sqrt(H)));
  return [
    { name: 'Wx', shape: [D, G * H], values: Wx }, { name: 'Wh', shape: [H, G * H], values: Wh },
    { name: 'b', shape: [G * H], values: b }, { name: 'Wy', shape: [H, K], values: Wy }, { name: 'by', shape: [K], values: new Float32Array(K) },
  ];
}

/** Final hidden state h_T (B×H) of a cell over time-major inputs, with h_t + probes[t] when probes are given. */
export function unroll(kind: CellParams['kind'], activation: string, H: number, v: Record<string, tf.Tensor>,
  xs: tf.Tensor3D, probes?: tf.Tensor2D[]): tf.Tensor2D {
  const [T, B, D] = xs.shape;
  const GH = v.Wh.shape[1] as number;
  // all T input projections at once, then one slice per step
  const xp = tf.reshape(tf.add(tf.matMul(tf.reshape(xs, [T * B, D]), v.Wx as tf.Tensor2D), v.b), [T, B, GH]) as tf.Tensor3D;
  const steps = tf.unstack(xp) as tf.Tensor2D[];
  const Wh = v.Wh as tf.Tensor2D;
  let h: tf.Tensor2D = tf.zeros([B, H]);
  let c: tf.Tensor2D = tf.zeros([B, H]);
  for (let t = 0; t < T; t++) {
    const a = steps[t];
    switch (kind) {
      case 'rnn': {
        const pre = tf.add(a, tf.matMul(h, Wh)) as tf.Tensor2D;
        h = activation === 'tanh' ? tf.tanh(pre) : activation === 'relu' ? tf.relu(pre) : pre;
        break;
      }
      case 'lstm': {
        const pre = tf.add(a, tf.matMul(h, Wh));
        const [ifo, gPre] = tf.split(pre, [3 * H, H], 1);
        const [i, f, o] = tf.split(tf.sigmoid(ifo), 3, 1);
        c = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(gPre)));
        h = tf.mul(o, tf.tanh(c));
        break;
      }
      case 'gru': {
        const [aZr, aH] = tf.split(a, [2 * H, H], 1);
        const [uZr, uH] = tf.split(Wh, [2 * H, H], 1);
        const [z, r] = tf.split(tf.sigmoid(tf.add(aZr, tf.matMul(h, uZr))), 2, 1);
        const cand = tf.tanh(tf.add(aH, tf.matMul(tf.mul(r, h), uH)));
        h = tf.add(h, tf.mul(z, tf.sub(cand, h)));
        break;
      }
      case 'gru-r-out': {
        const pre = tf.add(a, tf.matMul(h, Wh));
        const [zr, gPre] = tf.split(pre, [2 * H, H], 1);
        const [z, r] = tf.split(tf.sigmoid(zr), 2, 1);
        c = tf.add(c, tf.mul(z, tf.sub(tf.tanh(gPre), c)));
        h = tf.mul(r, c);
        break;
      }
    }
    if (probes) h = tf.add(h, probes[t]);
  }
  return h;
}

/** Mean loss and per-example correctness of the readout on h_T. */
export function lossAndCorrect(task: TrainTask, out: tf.Tensor2D, y: tf.Tensor1D): { loss: tf.Scalar; correct: tf.Tensor1D } {
  if (task === 'memory') {
    const labels = tf.oneHot(tf.cast(y, 'int32'), out.shape[1]);
    const loss = tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(out)), 1))) as tf.Scalar;
    return { loss, correct: tf.cast(tf.equal(tf.argMax(out, 1), tf.cast(y, 'int32')), 'float32') as tf.Tensor1D };
  }
  const err = tf.sub(tf.reshape(out, [-1]), y);
  return { loss: tf.mean(tf.square(err)) as tf.Scalar, correct: tf.cast(tf.less(tf.abs(err), ADDING_TOLERANCE), 'float32') as tf.Tensor1D };
}

export class RnnTrainer {
  readonly cells: CellModel[];
  stepCount = 0;
  #dataRng: Rng;
  #held: Batch;
  #pending: { step: number; loss: tf.Tensor; profile: tf.Tensor }[] = [];

  constructor(readonly config: TrainConfig) {
    const { inputDim, outputDim } = taskShape(config.task);
    const readoutRng = new Rng(config.seed).stream('rnn-train-readout');
    this.cells = config.cells.map((id) => {
      const params = initCell(id, { ...config, inputDim });
      const fused = fusedParams(params, outputDim, readoutRng.stream(id));
      // tf.variable keeps its initial tensor alive beside itself: dispose it once the variable holds the values
      const vars = fused.map((f) => {
        const init = tf.tensor(f.values, f.shape);
        const v = tf.variable(init, true, `${id}/${f.name}/${Math.random()}`);
        init.dispose();
        return v;
      });
      return { id, params, vars, names: fused.map((f) => f.name), opt: tf.train.adam(config.lr) };
    });
    this.#dataRng = new Rng(config.seed).stream('rnn-train-data');
    this.#held = makeBatch(config.task, config.T, config.evalBatch, new Rng(config.seed).stream('rnn-train-held-out'), config.noise);
  }

  #named(cell: CellModel, values: readonly tf.Tensor[]): Record<string, tf.Tensor> {
    return Object.fromEntries(cell.names.map((n, i) => [n, values[i]]));
  }

  #forward(cell: CellModel, v: Record<string, tf.Tensor>, xs: tf.Tensor3D, probes?: tf.Tensor2D[]): tf.Tensor2D {
    const act = cell.params.kind === 'rnn' ? cell.params.activation : 'tanh';
    const h = unroll(cell.params.kind, act, cell.params.hidden, v, xs, probes);
    return tf.add(tf.matMul(h, v.Wy as tf.Tensor2D), v.by);
  }

  /** One optimiser step of every cell on one fresh batch. */
  step(): void {
    const { T, batch: B, task } = this.config;
    const data = makeBatch(task, T, B, this.#dataRng, this.config.noise);
    const H = this.config.hidden;
    tf.tidy(() => {
      const xs = tf.tensor3d(data.x, [T, B, data.D]);
      const y = tf.tensor1d(data.y);
      for (const cell of this.cells) {
        const act = cell.params.kind === 'rnn' ? cell.params.activation : 'tanh';
        const { loss, grads, profile } = bptt(cell.params.kind, act, H, this.#named(cell, cell.vars), xs, y, task);
        // clip the gradient's global norm (Pascanu et al. 2013): without it a rare spike undid a learnt LSTM
        const norm = tf.sqrt(tf.addN(cell.names.map((n) => tf.sum(tf.square(grads[n])))));
        const scale = tf.minimum(1, tf.div(TRAIN_CLIP, tf.maximum(norm, 1e-12)));
        const map: Record<string, tf.Tensor> = {};
        cell.vars.forEach((v, i) => (map[v.name] = tf.mul(grads[cell.names[i]], scale)));
        cell.opt.applyGradients(map);
        this.#pending.push({ step: this.stepCount + 1, loss: tf.keep(loss), profile: tf.keep(profile) });
      }
    });
    this.stepCount++;
  }

  /** Held-out accuracy and loss of every cell (one batch of evalBatch examples, fixed by the seed). */
  async evaluate(): Promise<{ accuracy: number[]; loss: number[] }> {
    const h = this.#held;
    const out = tf.tidy(() => {
      const xs = tf.tensor3d(h.x, [h.T, h.B, h.D]);
      const y = tf.tensor1d(h.y);
      return this.cells.map((cell) => {
        const { loss, correct } = lossAndCorrect(this.config.task, this.#forward(cell, this.#named(cell, cell.vars), xs), y);
        return tf.stack([tf.mean(correct), loss]);
      });
    });
    const stacked = tf.stack(out);
    try {
      const all = await stacked.data();
      return { accuracy: this.cells.map((_, i) => all[2 * i]), loss: this.cells.map((_, i) => all[2 * i + 1]) };
    } finally {
      stacked.dispose();
      tf.dispose(out);
    }
  }

  /** Everything recorded since the last call, read back with one await; the pending tensors are freed. */
  async drain(): Promise<{ steps: number[]; losses: Float32Array[]; profiles: Float32Array[] }> {
    const pending = this.#pending;
    this.#pending = [];
    const n = this.cells.length, T = this.config.T;
    if (!pending.length) return { steps: [], losses: this.cells.map(() => new Float32Array()), profiles: this.cells.map(() => new Float32Array()) };
    const packed = tf.tidy(() => tf.concat(pending.map((p) => tf.concat([tf.reshape(p.loss, [1]), p.profile]))));
    try {
      const data = (await packed.data()) as Float32Array;
      const rows = pending.length / n;
      const losses = this.cells.map(() => new Float32Array(rows));
      const profiles = this.cells.map(() => new Float32Array(rows * T));
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < n; c++) {
          const o = (r * n + c) * (T + 1);
          losses[c][r] = data[o];
          profiles[c].set(data.subarray(o + 1, o + 1 + T), r * T);
        }
      }
      const steps = Array.from({ length: rows }, (_, r) => pending[r * n].step);
      return { steps, losses, profiles };
    } finally {
      packed.dispose();
      for (const p of pending) { p.loss.dispose(); p.profile.dispose(); }
    }
  }

  dispose(): void {
    for (const p of this.#pending) { p.loss.dispose(); p.profile.dispose(); }
    this.#pending = [];
    for (const cell of this.cells) {
      tf.dispose(cell.vars);
      cell.opt.dispose();
    }
  }
}
