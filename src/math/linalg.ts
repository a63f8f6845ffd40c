// Small dense linear algebra for the RNN explainer: float64, row-major Float64Array matrices, no allocation in the
// products (callers pass `out`), so a recurrence over T steps can reuse a handful of scratch buffers.
// Invariants: an r×c matrix A stores A[i][j] at A[i*c + j]; `out` never aliases an input of a product; the
// Lanczos estimate of the largest singular value is a Ritz value, so it never exceeds the true σ₁ and reaches it
// once the Krylov space is invariant.
// Random orthogonal matrices are Haar-distributed: Gram–Schmidt (QR) of a Gaussian matrix with R's diagonal made
// positive (Mezzadri 2007, https://arxiv.org/abs/math-ph/0609050).
import { Rng } from './rng.ts';

/** out[outOff + i] = (A x)_i with x read from xOff, A r×c. Four rows at a time: each x_j loaded once feeds four
 *  independent running sums, which is about twice as fast in V8 as one row with one sum, and these products are
 *  the inner loop of every recurrence here. */
export function matVec(A: Float64Array, r: number, c: number, x: Float64Array, out: Float64Array, xOff = 0,
  outOff = 0): Float64Array {
  let i = 0;
  for (; i + 3 < r; i += 4) {
    const a0 = i * c, a1 = a0 + c, a2 = a1 + c, a3 = a2 + c;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < c; j++) {
      const xj = x[xOff + j];
      s0 += A[a0 + j] * xj; s1 += A[a1 + j] * xj; s2 += A[a2 + j] * xj; s3 += A[a3 + j] * xj;
    }
    out[outOff + i] = s0; out[outOff + i + 1] = s1; out[outOff + i + 2] = s2; out[outOff + i + 3] = s3;
  }
  for (; i < r; i++) {
    const row = i * c;
    let s = 0;
    for (let j = 0; j < c; j++) s += A[row + j] * x[xOff + j];
    out[outOff + i] = s;
  }
  return out;
}

/** out = Aᵀ y, A r×c. */
export function matTVec(A: Float64Array, r: number, c: number, y: Float64Array, out: Float64Array): Float64Array {
  out.fill(0, 0, c);
  return matTVecAdd(A, r, c, y, out);
}

/** out[outOff + j] += (Aᵀ y)_j with y read from yOff, A r×c. Walks A by rows, four at a time, so each pass over out
 *  does four rows' work and the access stays contiguous. */
export function matTVecAdd(A: Float64Array, r: number, c: number, y: Float64Array, out: Float64Array, yOff = 0,
  outOff = 0): Float64Array {
  let i = 0;
  for (; i + 3 < r; i += 4) {
    const y0 = y[yOff + i], y1 = y[yOff + i + 1], y2 = y[yOff + i + 2], y3 = y[yOff + i + 3];
    const a0 = i * c, a1 = a0 + c, a2 = a1 + c, a3 = a2 + c;
    for (let j = 0; j < c; j++) out[outOff + j] += y0 * A[a0 + j] + y1 * A[a1 + j] + y2 * A[a2 + j] + y3 * A[a3 + j];
  }
  for (; i < r; i++) {
    const yi = y[yOff + i], row = i * c;
    for (let j = 0; j < c; j++) out[outOff + j] += yi * A[row + j];
  }
  return out;
}

/** C = A B with A n×k, B k×m (a new n×m matrix). */
export function matMul(A: Float64Array, B: Float64Array, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l];
      if (a === 0) continue;
      const bRow = l * m, cRow = i * m;
      for (let j = 0; j < m; j++) C[cRow + j] += a * B[bRow + j];
    }
  }
  return C;
}

export function transpose(A: Float64Array, r: number, c: number): Float64Array {
  const T = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j];
  return T;
}

/** scale · I (n×n). */
export function identity(n: number, scale = 1): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = scale;
  return I;
}

/** diag(d) as a dense n×n matrix. */
export function diagMatrix(d: ArrayLike<number>): Float64Array {
  const n = d.length;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) D[i * n + i] = d[i];
  return D;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm of a vector, or the Frobenius norm of a matrix. */
export function norm2(a: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** a += s·b, elementwise over the common length. */
export function axpy(s: number, b: ArrayLike<number>, a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] += s * b[i];
  return a;
}

export function gaussianMatrix(r: number, c: number, std: number, rng: Rng): Float64Array {
  const A = new Float64Array(r * c);
  for (let i = 0; i < A.length; i++) A[i] = std * rng.normal();
  return A;
}

/** A Haar-random n×n orthogonal matrix: modified Gram–Schmidt on the rows of a Gaussian matrix, each row normalised
 *  with a positive sign (the same as making R's diagonal positive in Gᵀ = QR, and the transpose of a Haar matrix
 *  is Haar). Rows rather than columns keep every inner loop contiguous. */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const Q = gaussianMatrix(n, n, 1, rng);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // One modified Gram–Schmidt pass: its loss of orthogonality is about ε·cond(G), and a Gaussian matrix is well
    // conditioned (cond ~ n), so ‖QQᵀ − I‖ stays near 1e-13 for the sizes used here.
    for (let k = 0; k < i; k++) {
      const rk = k * n;
      let p = 0;
      for (let j = 0; j < n; j++) p += Q[rk + j] * Q[ri + j];
      for (let j = 0; j < n; j++) Q[ri + j] -= p * Q[rk + j];
    }
    let len = 0;
    for (let j = 0; j < n; j++) len += Q[ri + j] * Q[ri + j];
    len = Math.sqrt(len);
    for (let j = 0; j < n; j++) Q[ri + j] /= len;
  }
  return Q;
}

/** A linear map given by its action: out = M x, x of length `cols`, out of length `rows` (or the reverse for Mᵀ). */
export type LinearAction = (x: Float64Array, out: Float64Array) => void;

/** Largest eigenvalue of the symmetric tridiagonal matrix with diagonal d[0..k) and off-diagonal e[0..k−1), by
 *  bisection on Sturm counts (exact to ~1e-15 relative: 100 halvings of the Gershgorin interval). */
export function tridiagMaxEigenvalue(d: Float64Array, e: Float64Array, k: number): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < k; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < k - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
  }
  // count(x) = number of eigenvalues < x; the largest is where the count reaches k.
  const below = (x: number): number => {
    let c = 0, q = 1;
    for (let i = 0; i < k; i++) {
      q = d[i] - x - (i > 0 ? (e[i - 1] * e[i - 1]) / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) c++;
    }
    return c;
  };
  for (let it = 0; it < 100 && hi - lo > 1e-15 * Math.max(Math.abs(lo), Math.abs(hi), 1e-300); it++) {
    const mid = 0.5 * (lo + hi);
    if (below(mid) >= k) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** An eigenvector (unit) of the tridiagonal (d, e) for the eigenvalue λ, by two steps of inverse iteration;
 *  c and y are work space of length ≥ k. */
function tridiagEigenvector(d: Float64Array, e: Float64Array, k: number, lambda: number, out: Float64Array,
  c: Float64Array, y: Float64Array): void {
  const shift = lambda * (1 + 1e-10) + 1e-300;
  out.fill(1, 0, k);
  for (let pass = 0; pass < 2; pass++) {
    // Thomas algorithm for (T − shift I) x = out; the shift sits just above λ, so no pivot vanishes in practice.
    let denom = d[0] - shift;
    c[0] = k > 1 ? e[0] / denom : 0;
    y[0] = out[0] / denom;
    for (let i = 1; i < k; i++) {
      denom = d[i] - shift - e[i - 1] * c[i - 1];
      if (denom === 0) denom = 1e-300;
      c[i] = i < k - 1 ? e[i] / denom : 0;
      y[i] = (out[i] - e[i - 1] * y[i - 1]) / denom;
    }
    out[k - 1] = y[k - 1];
    for (let i = k - 2; i >= 0; i--) out[i] = y[i] - c[i] * out[i + 1];
    const n = norm2(out, k);
    for (let i = 0; i < k; i++) out[i] /= n;
  }
}

export interface LanczosOptions {
  /** stop once the estimate grows by less than tol × estimate in one step (default 1e-3) */
  tol?: number;
  /** Lanczos steps at least (default 2) and at most (default 8); each costs one product with M and one with Mᵀ */
  minSteps?: number;
  maxSteps?: number;
  /** weight of a fresh random direction mixed into the warm start (default 0.1): a warm start near a singular
   *  vector of the next map that is not its top one (U orthogonal makes every step share singular vectors) would
   *  otherwise take many steps to leave it */
  perturb?: number;
}

/**
 * Tracks σ₁ of a sequence of slowly changing maps M_1, M_2, … (rows × cols) by Golub–Kahan–Lanczos
 * bidiagonalisation (Golub & Kahan 1965, https://doi.org/10.1137/0702016), restarted at each map from
 * the previous map's top right Ritz vector plus a little noise. k steps build U_k, V_{k+1} and the bidiagonal B_k
 * with M V_k = U_k B_k; the estimate is √λ_max(B_kB_kᵀ + β_k² e_k e_kᵀ), a Ritz value of MMᵀ on span U_k, so it
 * never exceeds σ₁ and is exact once the Krylov space is invariant. Full reorthogonalisation keeps the bases
 * orthonormal (k is small). Cost per step: one product with M and one with Mᵀ, plus O(k·(rows + cols)).
 */
export class SingularTracker {
  readonly rows: number;
  readonly cols: number;
  /** the warm start: the last top right Ritz vector (unit), or zeros before the first call */
  readonly v: Float64Array;
  private readonly opts: Required<LanczosOptions>;
  private readonly rng: Rng;
  private readonly V: Float64Array[];
  private readonly U: Float64Array[];
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly dd: Float64Array;
  private readonly ee: Float64Array;
  private readonly y: Float64Array;
  private readonly work1: Float64Array;
  private readonly work2: Float64Array;

  /** `rng` draws the restart noise; without one a fixed-seed generator keeps the results deterministic. */
  constructor(rows: number, cols: number, opts: LanczosOptions = {}, rng: Rng = new Rng('singular-tracker')) {
    this.rows = rows;
    this.cols = cols;
    const maxSteps = Math.max(1, Math.min(opts.maxSteps ?? 8, rows, cols));
    this.opts = { tol: opts.tol ?? 1e-3, minSteps: Math.min(opts.minSteps ?? 2, maxSteps), maxSteps, perturb: opts.perturb ?? 0.1 };
    this.rng = rng;
    this.v = new Float64Array(cols);
    this.V = Array.from({ length: maxSteps + 1 }, () => new Float64Array(cols));
    this.U = Array.from({ length: maxSteps }, () => new Float64Array(rows));
    this.alpha = new Float64Array(maxSteps);
    this.beta = new Float64Array(maxSteps);
    this.dd = new Float64Array(maxSteps);
    this.ee = new Float64Array(maxSteps);
    this.y = new Float64Array(maxSteps);
    this.work1 = new Float64Array(maxSteps);
    this.work2 = new Float64Array(maxSteps);
  }

  /** σ₁ estimate of the map (NaN if it overflows, 0 for the zero map) and the Lanczos steps it took. */
  estimate(apply: LinearAction, applyT: LinearAction): { sigma: number; steps: number } {
    const { V, U, alpha, beta, dd, ee, y } = this;
    const { tol, minSteps, maxSteps, perturb } = this.opts;
    const v1 = V[0];
    this.start(v1, perturb);
    let sigma = 0, k = 0;
    for (let j = 0; j < maxSteps; j++) {
      const u = U[j];
      apply(V[j], u);
      if (j > 0) axpy(-beta[j - 1], U[j - 1], u);
      for (let pass = 0; pass < 2; pass++) for (let l = 0; l < j; l++) axpy(-dot(U[l], u), U[l], u);
      const a = norm2(u);
      if (!Number.isFinite(a)) return { sigma: NaN, steps: j + 1 };
      if (a === 0) break; // M maps V_j's span into U_{j−1}'s: the Ritz values so far are exact
      for (let i = 0; i < u.length; i++) u[i] /= a;
      alpha[j] = a;
      const w = V[j + 1];
      applyT(u, w);
      axpy(-a, V[j], w);
      for (let pass = 0; pass < 2; pass++) for (let l = 0; l <= j; l++) axpy(-dot(V[l], w), V[l], w);
      let b = norm2(w), exhausted = false;
      if (b <= 1e-12 * Math.max(a, sigma)) {
        // V_j's span is invariant under MᵀM, so its Ritz values are exact singular values but maybe not the top
        // one (a warm start that is a singular vector of this map too). Continue from a fresh direction instead,
        // unless V_j already spans everything.
        this.randomUnit(w);
        for (let pass = 0; pass < 2; pass++) for (let l = 0; l <= j; l++) axpy(-dot(V[l], w), V[l], w);
        const n = norm2(w);
        exhausted = !(n > 1e-8);
        for (let i = 0; i < w.length; i++) w[i] = exhausted ? 0 : w[i] / n;
        b = 0;
      } else for (let i = 0; i < w.length; i++) w[i] /= b;
      beta[j] = b;
      k = j + 1;
      for (let i = 0; i < k; i++) { dd[i] = alpha[i] * alpha[i] + beta[i] * beta[i]; if (i < k - 1) ee[i] = alpha[i + 1] * beta[i]; }
      const next = Math.sqrt(Math.max(0, tridiagMaxEigenvalue(dd, ee, k)));
      const grew = next - sigma;
      sigma = next;
      if (exhausted || (k >= minSteps && grew <= tol * sigma)) break;
    }
    if (k === 0) return { sigma: 0, steps: 1 };
    // Warm start for the next map: the right Ritz vector Mᵀ U_k y ∝ V_k B_kᵀ y + β_k y_k v_{k+1}.
    tridiagEigenvector(dd, ee, k, sigma * sigma, y, this.work1, this.work2);
    const out = this.v;
    out.fill(0);
    for (let i = 0; i < k; i++) axpy(alpha[i] * y[i] + (i > 0 ? beta[i - 1] * y[i - 1] : 0), V[i], out);
    if (beta[k - 1] > 0) axpy(beta[k - 1] * y[k - 1], V[k], out);
    const n = norm2(out);
    if (n > 0 && Number.isFinite(n)) for (let i = 0; i < out.length; i++) out[i] /= n;
    else out.fill(0);
    return { sigma, steps: k };
  }

  /** v1 = the warm vector plus `perturb` × a random unit vector (only the random one before the first call). */
  private start(v1: Float64Array, perturb: number): void {
    const n = v1.length;
    const warm = norm2(this.v) > 0;
    this.randomUnit(v1);
    if (warm) for (let i = 0; i < n; i++) v1[i] = this.v[i] + perturb * v1[i];
    const m = norm2(v1);
    for (let i = 0; i < n; i++) v1[i] /= m;
  }

  /** A unit vector with uniform entries in [−1, 1) (any spread-out direction will do, and this is four times
   *  cheaper than a Gaussian one). */
  private randomUnit(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.rng.uniform(-1, 1);
    const g = norm2(out);
    for (let i = 0; i < out.length; i++) out[i] /= g;
  }
}

/** Largest singular value of a dense r×c matrix by Lanczos run to convergence (exact once the Krylov space fills). */
export function spectralNorm(A: Float64Array, r: number, c: number, tol = 1e-14): number {
  const steps = Math.min(r, c, 120);
  // Ritz values only grow with the Krylov space, and they grow fast at the top, so a tiny step means convergence.
  const tracker = new SingularTracker(r, c, { tol, minSteps: Math.min(steps, 8), maxSteps: steps });
  return tracker.estimate((x, out) => matVec(A, r, c, x, out), (y, out) => matTVec(A, r, c, y, out)).sigma;
}
