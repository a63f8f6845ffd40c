// Backpropagation through time written out by hand for the fused cells of rnn-train.ts, so that a training step of
// a T = 100 sequence costs about 30 kernels per time step instead of the 60–70 that autodiff records (its gradients
// add reshapes, casts and identities at every op), and so that ∂L/∂h_t, the gradient profile the widget draws, is
// simply the vector the backward loop carries. The weight gradients are one matMul each over all time steps at
// the end (Σ_t h_{t−1}ᵀ δ_t = H_prevᵀ Δ). Checked against tfjs autodiff of `unroll` in test/unit/rnn-train.test.ts.
// Cells and their backward steps (δ = ∂L/∂pre-activation, s(1 − s) the sigmoid's derivative):
//   rnn   h = φ(a + h₋Wh):                      δ = dh∘φ'(·); dh₋ = δWhᵀ
//   lstm  [i f o | g] = [σ | tanh](a + h₋Wh), c = f∘c₋ + i∘g, h = o∘tanh c:
//         dc += dh∘o∘(1 − tanh²c); δ = [dc∘g, dc∘c₋, dh∘tanh c]∘s(1 − s) | dc∘i∘(1 − g²); dc₋ = dc∘f; dh₋ = δWhᵀ
//   gru   [z r] = σ(a_zr + h₋U_zr), ĥ = tanh(a_h + (r∘h₋)U_h), h = h₋ + z∘(ĥ − h₋):
//         δ_h = dh∘z∘(1 − ĥ²); d(r∘h₋) = δ_hU_hᵀ; δ_zr = [dh∘(ĥ − h₋), d(r∘h₋)∘h₋]∘s(1 − s);
//         dh₋ = dh∘(1 − z) + d(r∘h₋)∘r + δ_zrU_zrᵀ
//   gru-r-out [z r | g] = [σ | tanh](a + h₋Wh), c = c₋ + z∘(g − c₋), h = r∘c:
//         dc += dh∘r; δ = [dc∘(g − c₋), dh∘c]∘s(1 − s) | dc∘z∘(1 − g²); dc₋ = dc∘(1 − z); dh₋ = δWhᵀ
// Every function returns tensors for the caller's tf.tidy; nothing here keeps a tensor.
import * as tf from '@tensorflow/tfjs-core';
import type { CellKind } from '../math/rnn-cells.ts';

export interface BpttResult {
  loss: tf.Scalar;
  /** gradients by parameter name: Wx, Wh, b, Wy, by */
  grads: Record<string, tf.Tensor>;
  /** ‖∂L/∂h_t‖ over the batch, t = 1..T */
  profile: tf.Tensor1D;
}

/** The readout's loss and its gradient with respect to the output: cross-entropy over K symbols, or squared error. */
function head(task: 'memory' | 'adding', out: tf.Tensor2D, y: tf.Tensor1D): { loss: tf.Scalar; dOut: tf.Tensor2D } {
  const B = out.shape[0];
  if (task === 'memory') {
    const labels = tf.oneHot(tf.cast(y, 'int32'), out.shape[1]);
    const logp = tf.logSoftmax(out);
    return {
      loss: tf.neg(tf.div(tf.sum(tf.mul(labels, logp)), B)) as tf.Scalar,
      dOut: tf.div(tf.sub(tf.exp(logp), labels), B) as tf.Tensor2D,
    };
  }
  const err = tf.sub(tf.reshape(out, [-1]), y);
  return { loss: tf.mean(tf.square(err)) as tf.Scalar, dOut: tf.reshape(tf.mul(err, 2 / B), [B, 1]) as tf.Tensor2D };
}

const dSigmoid = (s: tf.Tensor, d: tf.Tensor) => tf.mul(d, tf.mul(s, tf.sub(1, s)));
const dTanh = (y: tf.Tensor, d: tf.Tensor) => tf.mul(d, tf.sub(1, tf.square(y)));

/** Loss, gradients and profile of one batch (time-major xs, T×B×D) for one cell. */
export function bptt(kind: CellKind, activation: string, H: number, v: Record<string, tf.Tensor>, xs: tf.Tensor3D,
  y: tf.Tensor1D, task: 'memory' | 'adding'): BpttResult {
  const [T, B, D] = xs.shape;
  const Wh = v.Wh as tf.Tensor2D, GH = Wh.shape[1];
  const X = tf.reshape(xs, [T * B, D]) as tf.Tensor2D;
  const steps = tf.unstack(tf.reshape(tf.add(tf.matMul(X, v.Wx as tf.Tensor2D), v.b), [T, B, GH])) as tf.Tensor2D[];
  const [Uzr, Uh] = kind === 'gru' ? tf.split(Wh, [2 * H, H], 1) as tf.Tensor2D[] : [Wh, Wh];

  // forward, keeping what the backward needs: the input to each recurrent product and the activations
  const zero = tf.zeros([B, H]) as tf.Tensor2D;
  let h = zero, c = zero;
  const hPrev: tf.Tensor2D[] = [], cPrev: tf.Tensor2D[] = [], acts: tf.Tensor2D[][] = [], recIn: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    hPrev.push(h);
    cPrev.push(c);
    switch (kind) {
      case 'rnn': {
        const pre = tf.add(steps[t], tf.matMul(h, Wh)) as tf.Tensor2D;
        h = activation === 'tanh' ? tf.tanh(pre) : activation === 'relu' ? tf.relu(pre) : pre;
        acts.push([activation === 'relu' ? pre : h]);
        break;
      }
      case 'lstm': {
        const [ifoPre, gPre] = tf.split(tf.add(steps[t], tf.matMul(h, Wh)), [3 * H, H], 1);
        const ifo = tf.sigmoid(ifoPre), g = tf.tanh(gPre);
        const [i, f, o] = tf.split(ifo, 3, 1);
        c = tf.add(tf.mul(f, c), tf.mul(i, g));
        const tc = tf.tanh(c);
        h = tf.mul(o, tc);
        acts.push([ifo, g, i, f, o, tc] as tf.Tensor2D[]);
        break;
      }
      case 'gru': {
        const [aZr, aH] = tf.split(steps[t], [2 * H, H], 1);
        const zr = tf.sigmoid(tf.add(aZr, tf.matMul(h, Uzr)));
        const [z, r] = tf.split(zr, 2, 1);
        const rh = tf.mul(r, h);
        const cand = tf.tanh(tf.add(aH, tf.matMul(rh, Uh)));
        recIn.push(rh as tf.Tensor2D);
        h = tf.add(h, tf.mul(z, tf.sub(cand, h)));
        acts.push([zr, z, r, cand] as tf.Tensor2D[]);
        break;
      }
      case 'gru-r-out': {
        const [zrPre, gPre] = tf.split(tf.add(steps[t], tf.matMul(h, Wh)), [2 * H, H], 1);
        const zr = tf.sigmoid(zrPre), g = tf.tanh(gPre);
        const [z, r] = tf.split(zr, 2, 1);
        c = tf.add(c, tf.mul(z, tf.sub(g, c)));
        h = tf.mul(r, c);
        acts.push([zr, g, z, r, c] as tf.Tensor2D[]);
        break;
      }
    }
  }

  const out = tf.add(tf.matMul(h, v.Wy as tf.Tensor2D), v.by) as tf.Tensor2D;
  const { loss, dOut } = head(task, out, y);
  let dh: tf.Tensor2D = tf.matMul(dOut, v.Wy as tf.Tensor2D, false, true);
  let dc: tf.Tensor2D = zero;
  const dhs: tf.Tensor2D[] = new Array(T);
  const deltas: tf.Tensor2D[] = new Array(T);
  const deltasZr: tf.Tensor2D[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    dhs[t] = dh;
    const a = acts[t];
    switch (kind) {
      case 'rnn': {
        const d = activation === 'tanh' ? dTanh(a[0], dh) : activation === 'relu' ? tf.mul(dh, tf.step(a[0])) : dh;
        deltas[t] = d as tf.Tensor2D;
        dh = tf.matMul(d, Wh, false, true);
        break;
      }
      case 'lstm': {
        const [ifo, g, i, f, o, tc] = a;
        dc = tf.add(dc, tf.mul(dh, tf.mul(o, tf.sub(1, tf.square(tc)))));
        const dIfo = dSigmoid(ifo, tf.concat([tf.mul(dc, g), tf.mul(dc, cPrev[t]), tf.mul(dh, tc)], 1));
        const d = tf.concat([dIfo, dTanh(g, tf.mul(dc, i))], 1) as tf.Tensor2D;
        deltas[t] = d;
        dc = tf.mul(dc, f);
        dh = tf.matMul(d, Wh, false, true);
        break;
      }
      case 'gru': {
        const [zr, z, r, cand] = a;
        const hp = hPrev[t];
        const dH = dTanh(cand, tf.mul(dh, z)) as tf.Tensor2D;
        const dRh = tf.matMul(dH, Uh, false, true);
        const dZr = dSigmoid(zr, tf.concat([tf.mul(dh, tf.sub(cand, hp)), tf.mul(dRh, hp)], 1)) as tf.Tensor2D;
        deltas[t] = dH;
        deltasZr[t] = dZr;
        dh = tf.add(tf.add(tf.mul(dh, tf.sub(1, z)), tf.mul(dRh, r)), tf.matMul(dZr, Uzr, false, true));
        break;
      }
      case 'gru-r-out': {
        const [zr, g, z, r, cNow] = a;
        dc = tf.add(dc, tf.mul(dh, r));
        const dZr = dSigmoid(zr, tf.concat([tf.mul(dc, tf.sub(g, cPrev[t])), tf.mul(dh, cNow)], 1));
        const d = tf.concat([dZr, dTanh(g, tf.mul(dc, z))], 1) as tf.Tensor2D;
        deltas[t] = d;
        dc = tf.mul(dc, tf.sub(1, z));
        dh = tf.matMul(d, Wh, false, true);
        break;
      }
    }
  }

  // weight gradients: one product over all time steps each
  const stackRows = (ts: tf.Tensor2D[]) => tf.reshape(tf.stack(ts), [T * B, -1]) as tf.Tensor2D;
  const Hp = stackRows(hPrev);
  let dWh: tf.Tensor, dPre: tf.Tensor2D;
  if (kind === 'gru') {
    const dZr = stackRows(deltasZr), dH = stackRows(deltas);
    dWh = tf.concat([tf.matMul(Hp, dZr, true, false), tf.matMul(stackRows(recIn), dH, true, false)], 1);
    dPre = tf.concat([dZr, dH], 1) as tf.Tensor2D;
  } else {
    dPre = stackRows(deltas);
    dWh = tf.matMul(Hp, dPre, true, false);
  }
  const profile = tf.sqrt(tf.sum(tf.square(tf.stack(dhs)), [1, 2])) as tf.Tensor1D;
  return {
    loss, profile,
    grads: {
      Wx: tf.matMul(X, dPre, true, false), Wh: dWh, b: tf.sum(dPre, 0),
      Wy: tf.matMul(h, dOut, true, false), by: tf.sum(dOut, 0),
    },
  };
}
