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
// Rest_tᵀ applied to the memory's adjoint shares its products with J_tᵀ: in the LSTM, J_tᵀw's h block is
// U_{f,i,g}ᵀ e + U_oᵀ e_o where e = the gate-path adjoint of memoryAdjoint(w), and Rest_tᵀ memoryAdjoint(w) =
// D∘(U_{f,i,g}ᵀ e); the variant likewise with U_{z,h}; in the GRU it is J_tᵀw − (1−z)∘w. So `backward` returns it
// with no product of its own.
//
// Products come one or two vectors at a time: two vectors through one pass over the stacked matrices cost about
// 0.6 of two passes (matVec2 in linalg.ts), and both the backward pass (the readout's adjoints) and the σ₁ solver
// (its blocks of two) have pairs at hand.
import { matTVecAdd, matTVecAdd2, matVec, matVec2 } from './linalg.ts';
import { type CellTrace, STACK_ORDER, gateList, stackGates } from './rnn-cells.ts';

/** Matrix-free products with one trace's step Jacobians. t runs 1..T; state vectors have the cell's length S,
 *  input products length D. Outputs must not alias inputs. Not reentrant: the ops share scratch space. */
export interface JacobianOps {
  /** out = J_t v */
  jvp(t: number, v: Float64Array, out: Float64Array): void;
  /** out0 = J_t v0 and out1 = J_t v1 */
  jvpPair(t: number, v0: Float64Array, v1: Float64Array, out0: Float64Array, out1: Float64Array): void;
  /** out = J_tᵀ w */
  vjp(t: number, w: Float64Array, out: Float64Array): void;
  /** out0 = J_tᵀ w0 and out1 = J_tᵀ w1 */
  vjpPair(t: number, w0: Float64Array, w1: Float64Array, out0: Float64Array, out1: Float64Array): void;
  /** The backward step of one adjoint w0 or two (w1 not null): out_k = J_tᵀ w_k, and where given x_k =
   *  (∂s_t/∂x_t)ᵀ w_k (length D) and, for the gated cells, rest_k = Rest_tᵀ memoryAdjoint(t, w_k) (length H). */
  backward(t: number, w0: Float64Array, w1: Float64Array | null, out0: Float64Array, out1: Float64Array | null,
    x0: Float64Array | null, x1: Float64Array | null, rest0: Float64Array | null, rest1: Float64Array | null): void;
  /** The Gram matrix of J_t's rows that belong to each unit j, the diagonal blocks of J_tJ_tᵀ that the σ₁ solver
   *  starts and preconditions from: one row per unit (out[j]) or, for the cells with a memory, the rows of h_j and
   *  c_j (out[3j..3j+2] = ‖row_h‖², row_h·row_c, ‖row_c‖²). Exact, except the GRU's, which is J_t[j][j]²: its
   *  exact row norms pass U_r through U_h and would cost H³ per step. */
  rowGram(t: number, out: Float64Array): void;
  rowsPerUnit: 1 | 2;
  /** true when J_tJ_tᵀ is block diagonal over the units at every t, so that σ₁(J_t)² is the largest eigenvalue of
   *  the largest rowGram block (and the GRU's rowGram is exact): a simple RNN whose U has orthogonal rows (the
   *  orthogonal and identity inits: J_t = diag(φ')·ρQ), or a gated cell whose recurrent matrices are all diagonal */
  unitsDecouple: boolean;
  /** the gated cells' memory decomposition (see the header); null for the simple RNN */
  memory: MemoryOps | null;
}

export interface MemoryOps {
  /** 'forget' (LSTM: f_t) or 'keep' (GRUs: 1 − z_t) */
  mainName: 'forget' | 'keep';
  /** the diagonal of the main term (length H) */
  main(t: number, out: Float64Array): void;
  /** The adjoint of the memory at step t from the state adjoint w = ∂L/∂s_t: for the LSTM and the variant
   *  ∂L/∂c_t counting c_t's effect through h_t too (w_c + (∂h_t/∂c_t)ᵀ w_h), for the GRU w itself. This is the
   *  vector M_tᵀ acts on when the gradient flows from the memory at t to the memory at t − 1. */
  memoryAdjoint(t: number, w: Float64Array, out: Float64Array): void;
}

/** The per-lane parts of a product: lane 0 always, lane 1 when a pair is asked for. */
type Lanes = 1 | 2;
type Fwd = (t: number, n: Lanes, v0: Float64Array, v1: Float64Array, o0: Float64Array, o1: Float64Array) => void;
type Back = (t: number, n: Lanes, w0: Float64Array, w1: Float64Array, o0: Float64Array, o1: Float64Array,
  x0: Float64Array | null, x1: Float64Array | null, r0: Float64Array | null, r1: Float64Array | null) => void;

/** out_l = A v_l for n lanes, out of one pass over A. */
function mv(A: Float64Array, rows: number, cols: number, n: Lanes, v0: Float64Array, v1: Float64Array, o0: Float64Array,
  o1: Float64Array): void {
  if (n === 2) matVec2(A, rows, cols, v0, v1, o0, o1);
  else matVec(A, rows, cols, v0, o0);
}

/** out_l (+)= Aᵀ y_l (y read from yOff) for n lanes; `add` false clears out first. */
function mtv(A: Float64Array, rows: number, cols: number, n: Lanes, y0: Float64Array, y1: Float64Array, o0: Float64Array,
  o1: Float64Array, add = false, yOff = 0): void {
  if (!add) { o0.fill(0, 0, cols); if (n === 2) o1.fill(0, 0, cols); }
  if (n === 2) matTVecAdd2(A, rows, cols, y0, y1, o0, o1, yOff);
  else matTVecAdd(A, rows, cols, y0, o0, yOff);
}

/** Whether the rows of the H×H matrix U are mutually orthogonal (to rounding: 1e-12 of the largest row norm²). */
function rowsOrthogonal(U: Float64Array, H: number): boolean {
  const sq = unitGateGram(U, 1, H);
  const tol = 1e-12 * Math.max(...sq);
  for (let i = 0; i < H; i++) {
    for (let j = i + 1; j < H; j++) {
      let s = 0;
      for (let k = 0; k < H; k++) s += U[i * H + k] * U[j * H + k];
      if (!(Math.abs(s) <= tol)) return false;
    }
  }
  return true;
}

function isDiagonal(U: Float64Array, H: number): boolean {
  for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) if (i !== j && U[i * H + j] !== 0) return false;
  return true;
}

/** Per unit j, the Gram matrix of the stacked gates' rows of U: gram[(j·G + a)·G + b] = U_a[j]·U_b[j]. */
function unitGateGram(Us: Float64Array, G: number, H: number): Float64Array {
  const gram = new Float64Array(H * G * G);
  for (let j = 0; j < H; j++) {
    for (let a = 0; a < G; a++) {
      for (let b = a; b < G; b++) {
        let s = 0;
        const ra = (a * H + j) * H, rb = (b * H + j) * H;
        for (let k = 0; k < H; k++) s += Us[ra + k] * Us[rb + k];
        gram[(j * G + a) * G + b] = s;
        gram[(j * G + b) * G + a] = s;
      }
    }
  }
  return gram;
}

export function jacobianOps(trace: CellTrace): JacobianOps {
  const p = trace.params, H = p.hidden, D = p.inputDim, S = trace.stateDim;
  const st = trace.states, C = trace.cache;
  const { U: Us, W: Ws } = stackGates(p);
  const G = STACK_ORDER[p.kind].length;
  // Per lane: P stacked products, E stacked adjoints of the pre-activations (STACK_ORDER), q and x per-unit scratch.
  const lane = () => ({ P: new Float64Array(G * H), E: new Float64Array(G * H), q: new Float64Array(H), x: new Float64Array(H) });
  const L = [lane(), lane()];
  // Stand-ins for the absent second lane of a single product: never read.
  const none = new Float64Array(0);
  const { fwd, back, rowGram, memory } = build();
  return {
    jvp: (t, v, out) => fwd(t, 1, v, none, out, none),
    jvpPair: (t, v0, v1, out0, out1) => fwd(t, 2, v0, v1, out0, out1),
    vjp: (t, w, out) => back(t, 1, w, none, out, none, null, null, null, null),
    vjpPair: (t, w0, w1, out0, out1) => back(t, 2, w0, w1, out0, out1, null, null, null, null),
    backward: (t, w0, w1, out0, out1, x0, x1, rest0, rest1) =>
      (w1 && out1 ? back(t, 2, w0, w1, out0, out1, x0, x1, rest0, rest1) : back(t, 1, w0, none, out0, none, x0, null, rest0, null)),
    rowGram,
    rowsPerUnit: S === 2 * H ? 2 : 1,
    unitsDecouple: p.kind === 'rnn' ? rowsOrthogonal(Us, H) : gateList(p).every((g) => isDiagonal(g.gate.U, H)),
    memory,
  };

  function build(): { fwd: Fwd; back: Back; rowGram: (t: number, out: Float64Array) => void; memory: MemoryOps | null } {
    switch (p.kind) {
      case 'rnn': {
        const dphi = C.dphi;
        const rowSq = unitGateGram(Us, 1, H);
        return {
          fwd(t, n, v0, v1, o0, o1) {
            mv(Us, H, H, n, v0, v1, L[0].P, L[1].P);
            for (let l = 0; l < n; l++) { const P = L[l].P, out = l ? o1 : o0; for (let j = 0; j < H; j++) out[j] = dphi[t * H + j] * P[j]; }
          },
          back(t, n, w0, w1, o0, o1, x0, x1) {
            for (let l = 0; l < n; l++) { const E = L[l].E, w = l ? w1 : w0; for (let j = 0; j < H; j++) E[j] = dphi[t * H + j] * w[j]; }
            mtv(Us, H, H, n, L[0].E, L[1].E, o0, o1);
            if (x0) mtv(Ws, H, D, n, L[0].E, L[1].E, x0, x1 ?? none);
          },
          rowGram(t, out) { for (let j = 0; j < H; j++) { const d = dphi[t * H + j]; out[j] = d * d * rowSq[j]; } },
          memory: null,
        };
      }
      case 'lstm': {
        // Stack order f, i, g, o: C's gates, then the output gate.
        const { i: gi, f: gf, o: go, g: gg, tc } = C;
        return twoPart((t, co) => {
          const o = t * H, cp = (t - 1) * S + H, pr = (t - 1) * H;
          for (let j = 0; j < H; j++) {
            const f = gf[o + j], i = gi[o + j], g = gg[o + j], oo = go[o + j], th = tc[o + j], thp = tc[pr + j];
            co.alpha[j] = st[cp + j] * f * (1 - f);
            co.alpha[H + j] = g * i * (1 - i);
            co.alpha[2 * H + j] = i * (1 - g * g);
            co.a[j] = th * oo * (1 - oo);
            co.beta[j] = oo * (1 - th * th);
            co.keep[j] = f;
            co.prev[j] = go[pr + j] * (1 - thp * thp);
          }
        }, 'forget');
      }
      case 'gru': {
        // Stack order z, r (direct on h_{t−1}), then h (on r∘h_{t−1}).
        const { z: gz, r: gr, hh } = C;
        const Uh = p.h.U, Uz = p.z.U;
        // M[j][k] = U_h[j][k]·U_r[k][j]: the reset path's contribution to J_t[j][j] is (M q)_j.
        const M = new Float64Array(H * H);
        for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) M[j * H + k] = Uh[j * H + k] * p.r.U[k * H + j];
        const diagScratch = new Float64Array(H), qScratch = new Float64Array(H);
        return {
          fwd(t, n, v0, v1, o0, o1) {
            const o = t * H, po = (t - 1) * S;
            mv(Us, 2 * H, H, n, v0, v1, L[0].P, L[1].P);
            for (let l = 0; l < n; l++) {
              const { P, q } = L[l], v = l ? v1 : v0;
              for (let j = 0; j < H; j++) { const r = gr[o + j]; q[j] = r * v[j] + st[po + j] * r * (1 - r) * P[H + j]; }
            }
            mv(Uh, H, H, n, L[0].q, L[1].q, L[0].x, L[1].x);
            for (let l = 0; l < n; l++) {
              const { P, x } = L[l], v = l ? v1 : v0, out = l ? o1 : o0;
              for (let j = 0; j < H; j++) {
                const z = gz[o + j], c = hh[o + j];
                out[j] = (1 - z) * v[j] + (c - st[po + j]) * z * (1 - z) * P[j] + z * (1 - c * c) * x[j];
              }
            }
          },
          back(t, n, w0, w1, o0, o1, x0, x1, r0, r1) {
            const o = t * H, po = (t - 1) * S;
            // E = (adjoints of a_z, a_r, a_h); q = U_hᵀ(adjoint of a_h), the adjoint of r∘h_{t−1}.
            for (let l = 0; l < n; l++) {
              const E = L[l].E, w = l ? w1 : w0;
              for (let j = 0; j < H; j++) {
                const z = gz[o + j], c = hh[o + j];
                E[j] = w[j] * (c - st[po + j]) * z * (1 - z);
                E[2 * H + j] = w[j] * z * (1 - c * c);
              }
            }
            mtv(Uh, H, H, n, L[0].E, L[1].E, L[0].q, L[1].q, false, 2 * H);
            for (let l = 0; l < n; l++) {
              const { E, q } = L[l];
              for (let j = 0; j < H; j++) { const r = gr[o + j]; E[H + j] = q[j] * st[po + j] * r * (1 - r); }
            }
            mtv(Us, 2 * H, H, n, L[0].E, L[1].E, o0, o1);
            for (let l = 0; l < n; l++) {
              const out = l ? o1 : o0, w = l ? w1 : w0, q = L[l].q, rest = l ? r1 : r0;
              for (let j = 0; j < H; j++) {
                const keep = (1 - gz[o + j]) * w[j];
                out[j] += keep + gr[o + j] * q[j];
                if (rest) rest[j] = out[j] - keep;
              }
            }
            if (x0) mtv(Ws, 3 * H, D, n, L[0].E, L[1].E, x0, x1 ?? none);
          },
          rowGram(t, out) {
            const o = t * H, po = (t - 1) * S;
            for (let j = 0; j < H; j++) { const r = gr[o + j]; qScratch[j] = st[po + j] * r * (1 - r); }
            matVec(M, H, H, qScratch, diagScratch);
            for (let j = 0; j < H; j++) {
              const z = gz[o + j], c = hh[o + j], jj = j * H + j;
              const d = 1 - z + (c - st[po + j]) * z * (1 - z) * Uz[jj] + z * (1 - c * c) * (gr[o + j] * Uh[jj] + diagScratch[j]);
              out[j] = d * d;
            }
          },
          memory: {
            mainName: 'keep',
            main(t, out) { for (let j = 0; j < H; j++) out[j] = 1 - gz[t * H + j]; },
            memoryAdjoint(_t, w, out) { out.set(w.subarray(0, H)); },
          },
        };
      }
      case 'gru-r-out': {
        // Stack order z, h (C's gates), then r.
        const { z: gz, r: gr, g: gg } = C;
        return twoPart((t, co) => {
          const o = t * H, cc = t * S + H, cp = (t - 1) * S + H, pr = (t - 1) * H;
          for (let j = 0; j < H; j++) {
            const z = gz[o + j], g = gg[o + j], r = gr[o + j];
            co.alpha[j] = (g - st[cp + j]) * z * (1 - z);
            co.alpha[H + j] = z * (1 - g * g);
            co.a[j] = st[cc + j] * r * (1 - r);
            co.beta[j] = r;
            co.keep[j] = 1 - z;
            co.prev[j] = gr[pr + j];
          }
        }, 'keep');
      }
    }
  }

  /**
   * The cells with a memory share one form (header): with C_t = Σ_a diag(α_a) U_a over the stack's gates but the
   * last, and U_out the last gate's matrix,
   *   J_t = [diag(a) U_out + diag(β) C_t, diag(β·k); C_t, diag(k)],   memoryAdjoint(w) = w_c + β∘w_h,
   *   Rest_tᵀ y = D∘(C_tᵀ y) with D = prev (the LSTM's o_{t−1}(1 − tanh²c_{t−1}), the variant's r_{t−1}).
   * C_t is formed once per step (G − 1 scaled copies of U's rows, O(H²)) next to U_out in K = [U_out; C_t], so a
   * product with J_t or J_tᵀ is one pass over K (2H²) instead of one over all G stacked matrices, and the σ₁ solver
   * and the backward pass, which each visit every step once, pay for C_t once per visit.
   */
  function twoPart(coefficients: (t: number, co: TwoPartCoefficients) => void, mainName: 'forget' | 'keep') {
    const Gc = G - 1;
    const co: TwoPartCoefficients = {
      alpha: new Float64Array(Gc * H), a: new Float64Array(H), beta: new Float64Array(H), keep: new Float64Array(H), prev: new Float64Array(H),
    };
    const K = new Float64Array(2 * H * H);
    K.set(Us.subarray(Gc * H * H, G * H * H));
    const Kout = K.subarray(0, H * H), Kc = K.subarray(H * H);
    const gram = unitGateGram(Us, G, H);
    let ready = -1;
    const prepare = (t: number) => {
      if (t === ready) return;
      coefficients(t, co);
      combineRows(K, H * H, Us, co.alpha, Gc, H);
      ready = t;
    };
    // y = [a∘w_h; memoryAdjoint(w)] per lane: Kᵀy is J_tᵀw's h block.
    const Y = [new Float64Array(2 * H), new Float64Array(2 * H)];
    return {
      fwd(t: number, n: Lanes, v0: Float64Array, v1: Float64Array, o0: Float64Array, o1: Float64Array) {
        prepare(t);
        mv(K, 2 * H, H, n, v0, v1, L[0].P, L[1].P);
        for (let l = 0; l < n; l++) {
          const P = L[l].P, v = l ? v1 : v0, out = l ? o1 : o0;
          for (let j = 0; j < H; j++) {
            const dc = P[H + j] + co.keep[j] * v[H + j];
            out[H + j] = dc;
            out[j] = co.a[j] * P[j] + co.beta[j] * dc;
          }
        }
      },
      back(t: number, n: Lanes, w0: Float64Array, w1: Float64Array, o0: Float64Array, o1: Float64Array,
        x0: Float64Array | null, x1: Float64Array | null, r0: Float64Array | null, r1: Float64Array | null) {
        prepare(t);
        for (let l = 0; l < n; l++) {
          const y = Y[l], w = l ? w1 : w0;
          for (let j = 0; j < H; j++) { y[j] = co.a[j] * w[j]; y[H + j] = w[H + j] + co.beta[j] * w[j]; }
        }
        if (r0) {
          // C_tᵀ y_c first: scaled by D it is the rest term; U_outᵀ(a∘w_h) then completes the h block.
          mtv(Kc, H, H, n, Y[0], Y[1], o0, o1, false, H);
          for (let l = 0; l < n; l++) {
            const out = l ? o1 : o0, rest = l ? r1! : r0;
            for (let j = 0; j < H; j++) rest[j] = co.prev[j] * out[j];
          }
          mtv(Kout, H, H, n, Y[0], Y[1], o0, o1, true);
        } else mtv(K, 2 * H, H, n, Y[0], Y[1], o0, o1);
        for (let l = 0; l < n; l++) { const out = l ? o1 : o0, y = Y[l]; for (let j = 0; j < H; j++) out[H + j] = co.keep[j] * y[H + j]; }
        if (x0) {
          // the pre-activation adjoints: α_a∘(memory adjoint) for C's gates, a∘w_h for the last
          for (let l = 0; l < n; l++) {
            const { E } = L[l], y = Y[l];
            for (let x = 0; x < Gc; x++) for (let j = 0; j < H; j++) E[x * H + j] = co.alpha[x * H + j] * y[H + j];
            E.set(y.subarray(0, H), Gc * H);
          }
          mtv(Ws, G * H, D, n, L[0].E, L[1].E, x0, x1 ?? none);
        }
      },
      rowGram(t: number, out: Float64Array) {
        // h_j = [a·U_out[j] + β·C_j, β·k·e_j] and c_j = [C_j, k·e_j] with C_j = Σ_x α_x U_x[j], from the per-unit
        // Gram of the gate rows: writes ‖h_j‖², h_j·c_j, ‖c_j‖².
        prepare(t);
        const { alpha, a, beta, keep } = co;
        for (let j = 0; j < H; j++) {
          const base = j * G * G;
          let cc = 0, cOut = 0;
          for (let x = 0; x < Gc; x++) {
            const ax = alpha[x * H + j];
            cOut += ax * gram[base + x * G + Gc];
            for (let y = 0; y < Gc; y++) cc += ax * alpha[y * H + j] * gram[base + x * G + y];
          }
          const aj = a[j], bj = beta[j], k2 = keep[j] * keep[j], oo = gram[base + Gc * G + Gc];
          out[3 * j] = aj * aj * oo + 2 * aj * bj * cOut + bj * bj * (cc + k2);
          out[3 * j + 1] = aj * cOut + bj * (cc + k2);
          out[3 * j + 2] = cc + k2;
        }
      },
      memory: {
        mainName,
        main(t: number, out: Float64Array) { prepare(t); out.set(co.keep); },
        memoryAdjoint(t: number, w: Float64Array, out: Float64Array) {
          prepare(t);
          for (let j = 0; j < H; j++) out[j] = w[H + j] + co.beta[j] * w[j];
        },
      } satisfies MemoryOps,
    };
  }
}

/** out[off + j·H + k] = Σ_x alpha[x·H + j]·U_x[j][k] over the first G stacked H×H matrices of Us: each row of C_t in
 *  one pass (a loop of its own, so that V8 compiles it as tightly as the products). */
function combineRows(out: Float64Array, off: number, Us: Float64Array, alpha: Float64Array, G: number, H: number): void {
  const HH = H * H;
  for (let j = 0; j < H; j++) {
    const row = off + j * H, src = j * H;
    const a0 = alpha[j], a1 = G > 1 ? alpha[H + j] : 0, a2 = G > 2 ? alpha[2 * H + j] : 0;
    if (G === 3) for (let k = 0; k < H; k++) out[row + k] = a0 * Us[src + k] + a1 * Us[HH + src + k] + a2 * Us[2 * HH + src + k];
    else if (G === 2) for (let k = 0; k < H; k++) out[row + k] = a0 * Us[src + k] + a1 * Us[HH + src + k];
    else for (let k = 0; k < H; k++) out[row + k] = a0 * Us[src + k];
  }
}

/** Per-unit coefficients of a cell with a memory at one step (see twoPart): alpha[x·H + j] for C's gate x. */
interface TwoPartCoefficients { alpha: Float64Array; a: Float64Array; beta: Float64Array; keep: Float64Array; prev: Float64Array }
