// Exact step Jacobians of the cells in rnn-cells.ts as matrix-free products: J_t v and J_tᵀ w in O(H²) per gate,
// which is what the recurrences over T steps use (rnn-jacobian-dense.ts builds the same matrices densely, from the
// same formulas written out independently, for the tests and for showing one step). Derivations:
// https://kexue.fm/archives/7888 and Pascanu, Mikolov, Bengio 2013, https://arxiv.org/abs/1211.5063.
//
// J_t = ∂s_t/∂s_{t−1} (diag(a)M scales M's rows by a; a_k are the gates' pre-activations):
//   rnn   diag(φ'(a_h)) U_h
//   lstm  C = diag(c_{t−1}f(1−f)) U_f + diag(g·i(1−i)) U_i + diag(i(1−g²)) U_g            (= ∂c_t/∂h_{t−1})
//         [∂h/∂h ∂h/∂c; ∂c/∂h ∂c/∂c] = [diag(tanh c_t·o(1−o)) U_o + diag(β) C, diag(β f); C, diag f],
//         β = o(1−tanh²c_t)
//   gru   diag(1−z) + diag((ĥ−h_{t−1})z(1−z)) U_z + diag(z(1−ĥ²)) U_h (diag r + diag(h_{t−1}r(1−r)) U_r)
//   gru-r-out  C = diag((g−c_{t−1})z(1−z)) U_z + diag(z(1−g²)) U_h;
//         [∂h/∂h ∂h/∂c; ∂c/∂h ∂c/∂c] = [diag(c_t r(1−r)) U_r + diag(r) C, diag(r(1−z)); C, diag(1−z)]
//
// The memory decomposition M_t = diag(main_t) + Rest_t follows the article. LSTM: c_t as a function of c_{t−1}
// alone, with h_{t−1} = o_{t−1}∘tanh c_{t−1} and o_{t−1} held fixed, so with D = diag(o_{t−1}(1−tanh²c_{t−1}))
//   ∂c_t/∂c_{t−1} = diag f + diag(c_{t−1}f(1−f)) U_f D + diag(g·i(1−i)) U_i D + diag(i(1−g²)) U_g D
// (the forget term, then the paths through the forget gate, the input gate and the candidate). GRU: main = 1 − z,
// Rest = J − diag(1−z) (update gate, candidate, reset gate). The variant: c_t as a function of c_{t−1} with
// h_{t−1} = r_{t−1}∘c_{t−1}, D = diag r_{t−1}, main = 1 − z and no reset-gate term.
import { matTVecAdd, matVec } from './linalg.ts';
import { type CellTrace, STACK_ORDER, stackGates } from './rnn-cells.ts';

/** Matrix-free products with one trace's step Jacobians. t runs 1..T; state vectors have the cell's length S,
 *  input products length D. `out` must not alias the input vector. Not reentrant: the ops share scratch space. */
export interface JacobianOps {
  /** out = J_t v */
  jvp(t: number, v: Float64Array, out: Float64Array): void;
  /** out = J_tᵀ w */
  vjp(t: number, w: Float64Array, out: Float64Array): void;
  /** out = (∂s_t/∂x_t)ᵀ w, length D */
  inputVjp(t: number, w: Float64Array, out: Float64Array): void;
  /** the gated cells' memory decomposition (see the header); null for the simple RNN */
  memory: MemoryOps | null;
}

export interface MemoryOps {
  /** 'forget' (LSTM: f_t) or 'keep' (GRUs: 1 − z_t) */
  mainName: 'forget' | 'keep';
  /** the diagonal of the main term (length H) */
  main(t: number, out: Float64Array): void;
  /** out = Rest_t v (H → H) */
  restJvp(t: number, v: Float64Array, out: Float64Array): void;
  /** out = Rest_tᵀ w */
  restVjp(t: number, w: Float64Array, out: Float64Array): void;
  /** The adjoint of the memory at step t from the state adjoint w = ∂L/∂s_t: for the LSTM and the variant
   *  ∂L/∂c_t counting c_t's effect through h_t too (w_c + (∂h_t/∂c_t)ᵀ w_h), for the GRU w itself. This is the
   *  vector M_tᵀ acts on when the gradient flows from the memory at t to the memory at t − 1. */
  memoryAdjoint(t: number, w: Float64Array, out: Float64Array): void;
}

export function jacobianOps(trace: CellTrace): JacobianOps {
  const p = trace.params, H = p.hidden, D = p.inputDim, S = trace.stateDim;
  const st = trace.states, C = trace.cache;
  const { U: Us, W: Ws } = stackGates(p);
  const G = STACK_ORDER[p.kind].length;
  // P: stacked products; E: stacked adjoints of the pre-activations (STACK_ORDER); q, x: per-unit scratch.
  const P = new Float64Array(G * H), E = new Float64Array(G * H), q = new Float64Array(H), x = new Float64Array(H);
  const transposed = (M: Float64Array, rows: number, cols: number, y: Float64Array, out: Float64Array, yOff = 0) => {
    out.fill(0, 0, cols);
    matTVecAdd(M, rows, cols, y, out, yOff, 0);
  };
  switch (p.kind) {
    case 'rnn': {
      const dphi = C.dphi;
      const scaled = (t: number, w: Float64Array) => { for (let j = 0; j < H; j++) E[j] = dphi[t * H + j] * w[j]; };
      return {
        jvp(t, v, out) { matVec(Us, H, H, v, P); for (let j = 0; j < H; j++) out[j] = dphi[t * H + j] * P[j]; },
        vjp(t, w, out) { scaled(t, w); transposed(Us, H, H, E, out); },
        inputVjp(t, w, out) { scaled(t, w); transposed(Ws, H, D, E, out); },
        memory: null,
      };
    }
    case 'lstm': {
      // Stack order f, i, g, o.
      const { i: gi, f: gf, o: go, g: gg, tc } = C;
      /** E[0..3H) = (α_f, α_i, α_g) ∘ y: the gate paths into c_t, for the adjoint y of c_t. */
      const cPathAdjoint = (t: number, y: Float64Array) => {
        const o = t * H, cp = (t - 1) * S + H;
        for (let j = 0; j < H; j++) {
          const f = gf[o + j], i = gi[o + j], g = gg[o + j], yj = y[j];
          E[j] = yj * st[cp + j] * f * (1 - f);
          E[H + j] = yj * g * i * (1 - i);
          E[2 * H + j] = yj * i * (1 - g * g);
        }
      };
      /** out = α_f∘P_f + α_i∘P_i + α_g∘P_g from the stacked products in P. */
      const cPath = (t: number, out: Float64Array, outOff: number) => {
        const o = t * H, cp = (t - 1) * S + H;
        for (let j = 0; j < H; j++) {
          const f = gf[o + j], i = gi[o + j], g = gg[o + j];
          out[outOff + j] = st[cp + j] * f * (1 - f) * P[j] + g * i * (1 - i) * P[H + j] + i * (1 - g * g) * P[2 * H + j];
        }
      };
      const adjoints = (t: number, w: Float64Array) => {
        const o = t * H;
        for (let j = 0; j < H; j++) {
          const oo = go[o + j], th = tc[o + j];
          q[j] = w[H + j] + oo * (1 - th * th) * w[j];
          E[3 * H + j] = w[j] * th * oo * (1 - oo);
        }
        cPathAdjoint(t, q);
      };
      return {
        jvp(t, v, out) {
          const o = t * H;
          matVec(Us, 4 * H, H, v, P);
          cPath(t, out, H);
          for (let j = 0; j < H; j++) {
            const oo = go[o + j], th = tc[o + j];
            const dc = out[H + j] + gf[o + j] * v[H + j];
            out[H + j] = dc;
            out[j] = th * oo * (1 - oo) * P[3 * H + j] + oo * (1 - th * th) * dc;
          }
        },
        vjp(t, w, out) {
          adjoints(t, w);
          transposed(Us, 4 * H, H, E, out);
          for (let j = 0; j < H; j++) out[H + j] = gf[t * H + j] * q[j];
        },
        inputVjp(t, w, out) { adjoints(t, w); transposed(Ws, 4 * H, D, E, out); },
        memory: {
          mainName: 'forget',
          main(t, out) { for (let j = 0; j < H; j++) out[j] = gf[t * H + j]; },
          restJvp(t, v, out) {
            const pr = (t - 1) * H;
            for (let j = 0; j < H; j++) { const th = tc[pr + j]; x[j] = go[pr + j] * (1 - th * th) * v[j]; }
            matVec(Us, 3 * H, H, x, P);
            cPath(t, out, 0);
          },
          restVjp(t, w, out) {
            cPathAdjoint(t, w);
            transposed(Us, 3 * H, H, E, out);
            const pr = (t - 1) * H;
            for (let j = 0; j < H; j++) { const th = tc[pr + j]; out[j] *= go[pr + j] * (1 - th * th); }
          },
          memoryAdjoint(t, w, out) {
            const o = t * H;
            for (let j = 0; j < H; j++) { const th = tc[o + j]; out[j] = w[H + j] + go[o + j] * (1 - th * th) * w[j]; }
          },
        },
      };
    }
    case 'gru': {
      // Stack order z, r (direct on h_{t−1}), then h (on r∘h_{t−1}).
      const { z: gz, r: gr, hh } = C;
      const Uh = p.h.U;
      const jvp = (t: number, v: Float64Array, out: Float64Array) => {
        const o = t * H, po = (t - 1) * S;
        matVec(Us, 2 * H, H, v, P);
        for (let j = 0; j < H; j++) { const r = gr[o + j]; q[j] = r * v[j] + st[po + j] * r * (1 - r) * P[H + j]; }
        matVec(Uh, H, H, q, x);
        for (let j = 0; j < H; j++) {
          const z = gz[o + j], c = hh[o + j];
          out[j] = (1 - z) * v[j] + (c - st[po + j]) * z * (1 - z) * P[j] + z * (1 - c * c) * x[j];
        }
      };
      // E = (adjoints of a_z, a_r, a_h); q = U_hᵀ(adjoint of a_h), the adjoint of r∘h_{t−1}.
      const adjoints = (t: number, w: Float64Array) => {
        const o = t * H, po = (t - 1) * S;
        for (let j = 0; j < H; j++) {
          const z = gz[o + j], c = hh[o + j];
          E[j] = w[j] * (c - st[po + j]) * z * (1 - z);
          E[2 * H + j] = w[j] * z * (1 - c * c);
        }
        transposed(Uh, H, H, E, q, 2 * H);
        for (let j = 0; j < H; j++) { const r = gr[o + j]; E[H + j] = q[j] * st[po + j] * r * (1 - r); }
      };
      const vjp = (t: number, w: Float64Array, out: Float64Array) => {
        adjoints(t, w);
        transposed(Us, 2 * H, H, E, out);
        const o = t * H;
        for (let j = 0; j < H; j++) out[j] += (1 - gz[o + j]) * w[j] + gr[o + j] * q[j];
      };
      return {
        jvp, vjp,
        inputVjp(t, w, out) { adjoints(t, w); transposed(Ws, 3 * H, D, E, out); },
        memory: {
          mainName: 'keep',
          main(t, out) { for (let j = 0; j < H; j++) out[j] = 1 - gz[t * H + j]; },
          restJvp(t, v, out) { jvp(t, v, out); for (let j = 0; j < H; j++) out[j] -= (1 - gz[t * H + j]) * v[j]; },
          restVjp(t, w, out) { vjp(t, w, out); for (let j = 0; j < H; j++) out[j] -= (1 - gz[t * H + j]) * w[j]; },
          memoryAdjoint(_t, w, out) { out.set(w.subarray(0, H)); },
        },
      };
    }
    case 'gru-r-out': {
      // Stack order z, h, r, all direct on h_{t−1}.
      const { z: gz, r: gr, g: gg } = C;
      const cPathAdjoint = (t: number, y: Float64Array) => {
        const o = t * H, cp = (t - 1) * S + H;
        for (let j = 0; j < H; j++) {
          const z = gz[o + j], g = gg[o + j];
          E[j] = y[j] * (g - st[cp + j]) * z * (1 - z);
          E[H + j] = y[j] * z * (1 - g * g);
        }
      };
      const cPath = (t: number, out: Float64Array, outOff: number) => {
        const o = t * H, cp = (t - 1) * S + H;
        for (let j = 0; j < H; j++) {
          const z = gz[o + j], g = gg[o + j];
          out[outOff + j] = (g - st[cp + j]) * z * (1 - z) * P[j] + z * (1 - g * g) * P[H + j];
        }
      };
      const adjoints = (t: number, w: Float64Array) => {
        const o = t * H, co = t * S + H;
        for (let j = 0; j < H; j++) {
          const r = gr[o + j];
          q[j] = w[H + j] + r * w[j];
          E[2 * H + j] = w[j] * st[co + j] * r * (1 - r);
        }
        cPathAdjoint(t, q);
      };
      return {
        jvp(t, v, out) {
          const o = t * H, co = t * S + H;
          matVec(Us, 3 * H, H, v, P);
          cPath(t, out, H);
          for (let j = 0; j < H; j++) {
            const r = gr[o + j];
            const dc = out[H + j] + (1 - gz[o + j]) * v[H + j];
            out[H + j] = dc;
            out[j] = st[co + j] * r * (1 - r) * P[2 * H + j] + r * dc;
          }
        },
        vjp(t, w, out) {
          adjoints(t, w);
          transposed(Us, 3 * H, H, E, out);
          for (let j = 0; j < H; j++) out[H + j] = (1 - gz[t * H + j]) * q[j];
        },
        inputVjp(t, w, out) { adjoints(t, w); transposed(Ws, 3 * H, D, E, out); },
        memory: {
          mainName: 'keep',
          main(t, out) { for (let j = 0; j < H; j++) out[j] = 1 - gz[t * H + j]; },
          restJvp(t, v, out) {
            const pr = (t - 1) * H;
            for (let j = 0; j < H; j++) x[j] = gr[pr + j] * v[j];
            matVec(Us, 2 * H, H, x, P);
            cPath(t, out, 0);
          },
          restVjp(t, w, out) {
            cPathAdjoint(t, w);
            transposed(Us, 2 * H, H, E, out);
            const pr = (t - 1) * H;
            for (let j = 0; j < H; j++) out[j] *= gr[pr + j];
          },
          memoryAdjoint(t, w, out) {
            const o = t * H;
            for (let j = 0; j < H; j++) out[j] = w[H + j] + gr[o + j] * w[j];
          },
        },
      };
    }
  }
}
