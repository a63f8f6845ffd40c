// Small dense linear algebra for the RNN explainer: float64, row-major Float64Array matrices, no allocation in the
// products (callers pass `out`), so a recurrence over T steps can reuse a handful of scratch buffers.
// Invariants: an r×c matrix A stores A[i][j] at A[i*c + j]; `out` never aliases an input of a product; the
// Lanczos and Davidson estimates of a largest singular value or eigenvalue are Ritz values, so they never exceed
// the true one and reach it once the search space holds its vector.
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

/** out0 = A x0 and out1 = A x1 in one pass over A (offsets as in matVec). Each element of A loaded once feeds both
 *  products: about 1.7 times the throughput of two matVec calls in V8, which matters wherever two vectors meet the
 *  same matrix (two adjoints in the backward pass, two search vectors of the σ₁ solver). The leftover rows
 *  (r mod 4) are in a function of their own: with that loop inline, V8 compiled the main loop to half the speed. */
export function matVec2(A: Float64Array, r: number, c: number, x0: Float64Array, x1: Float64Array, out0: Float64Array,
  out1: Float64Array, xOff = 0, outOff = 0): void {
  let i = 0;
  for (; i + 3 < r; i += 4) {
    const a0 = i * c, a1 = a0 + c, a2 = a1 + c, a3 = a2 + c;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (let j = 0; j < c; j++) {
      const u = x0[xOff + j], v = x1[xOff + j];
      const b0 = A[a0 + j], b1 = A[a1 + j], b2 = A[a2 + j], b3 = A[a3 + j];
      s0 += b0 * u; s1 += b1 * u; s2 += b2 * u; s3 += b3 * u;
      t0 += b0 * v; t1 += b1 * v; t2 += b2 * v; t3 += b3 * v;
    }
    const o = outOff + i;
    out0[o] = s0; out0[o + 1] = s1; out0[o + 2] = s2; out0[o + 3] = s3;
    out1[o] = t0; out1[o + 1] = t1; out1[o + 2] = t2; out1[o + 3] = t3;
  }
  if (i < r) matVec2Rows(A, i, r, c, x0, x1, out0, out1, xOff, outOff);
}

function matVec2Rows(A: Float64Array, i: number, r: number, c: number, x0: Float64Array, x1: Float64Array,
  out0: Float64Array, out1: Float64Array, xOff: number, outOff: number): void {
  for (; i < r; i++) {
    const row = i * c;
    let s = 0, t = 0;
    for (let j = 0; j < c; j++) { const b = A[row + j]; s += b * x0[xOff + j]; t += b * x1[xOff + j]; }
    out0[outOff + i] = s;
    out1[outOff + i] = t;
  }
}

/** out0 += Aᵀ y0 and out1 += Aᵀ y1 in one pass over A (offsets as in matTVecAdd; leftover rows as in matVec2). */
export function matTVecAdd2(A: Float64Array, r: number, c: number, y0: Float64Array, y1: Float64Array,
  out0: Float64Array, out1: Float64Array, yOff = 0, outOff = 0): void {
  let i = 0;
  for (; i + 3 < r; i += 4) {
    const k = yOff + i;
    const p0 = y0[k], p1 = y0[k + 1], p2 = y0[k + 2], p3 = y0[k + 3];
    const q0 = y1[k], q1 = y1[k + 1], q2 = y1[k + 2], q3 = y1[k + 3];
    const a0 = i * c, a1 = a0 + c, a2 = a1 + c, a3 = a2 + c;
    for (let j = 0; j < c; j++) {
      const b0 = A[a0 + j], b1 = A[a1 + j], b2 = A[a2 + j], b3 = A[a3 + j];
      out0[outOff + j] += p0 * b0 + p1 * b1 + p2 * b2 + p3 * b3;
      out1[outOff + j] += q0 * b0 + q1 * b1 + q2 * b2 + q3 * b3;
    }
  }
  if (i < r) matTVecAdd2Rows(A, i, r, c, y0, y1, out0, out1, yOff, outOff);
}

function matTVecAdd2Rows(A: Float64Array, i: number, r: number, c: number, y0: Float64Array, y1: Float64Array,
  out0: Float64Array, out1: Float64Array, yOff: number, outOff: number): void {
  for (; i < r; i++) {
    const p = y0[yOff + i], q = y1[yOff + i], row = i * c;
    for (let j = 0; j < c; j++) { const b = A[row + j]; out0[outOff + j] += p * b; out1[outOff + j] += q * b; }
  }
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

/** Eigenvalue number `index` in ascending order (default the largest, k − 1) of the symmetric tridiagonal matrix with
 *  diagonal d[0..k) and off-diagonal e[0..k−1), by bisection on Sturm counts to relTol of the spectrum's scale
 *  (default 1e-15: exact). */
export function tridiagEigenvalue(d: Float64Array, e: Float64Array, k: number, index = k - 1, relTol = 1e-15): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < k; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < k - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
  }
  const scale = Math.max(Math.abs(lo), Math.abs(hi), 1e-300);
  // count(x) = number of eigenvalues < x; eigenvalue `index` is where the count reaches index + 1.
  const below = (x: number): number => {
    let c = 0, q = 1;
    for (let i = 0; i < k; i++) {
      q = d[i] - x - (i > 0 ? (e[i - 1] * e[i - 1]) / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) c++;
    }
    return c;
  };
  for (let it = 0; it < 100 && hi - lo > relTol * scale; it++) {
    const mid = 0.5 * (lo + hi);
    if (below(mid) >= index + 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The top two eigenpairs of a small symmetric n×n matrix A (row-major, overwritten): Householder reduction to a
 * tridiagonal T = QᵀAQ, its two largest eigenvalues by bisection to 1e-9, their eigenvectors by inverse iteration on
 * T with partial pivoting (LAPACK's dstein does the same), the second made orthogonal to the first (they may be
 * close), the eigenvalues then as Rayleigh quotients of those vectors (exact to rounding where the bisection was
 * not: the error is quadratic in the vector's), and the vectors mapped back by the reflectors. O(n³) with a small
 * constant: a few µs for n ≤ 20, where cyclic Jacobi for all eigenpairs costs tens. values[0] ≥ values[1]; the unit
 * eigenvectors go to vectors[0..n) and vectors[n..2n). For n = 1 only the first pair is written.
 */
export function topTwoEigenpairs(A: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  const w = eigenWork(n);
  const { d, e, R } = w;
  // Reflector k (unit v, zero outside k+1..n−1, stored in row k of R; an all-zero row is no reflection) zeroes column
  // k below the subdiagonal: B ← HBH on the trailing block with H = I − 2vvᵀ, done as B − 2(vqᵀ + qvᵀ),
  // q = Bv − (vᵀBv)v.
  R.fill(0, 0, n * n);
  for (let k = 0; k + 2 < n; k++) {
    let tail = 0;
    for (let i = k + 2; i < n; i++) tail += A[i * n + k] * A[i * n + k];
    const x0 = A[(k + 1) * n + k];
    if (tail === 0) { e[k] = x0; continue; }
    const nx = Math.sqrt(x0 * x0 + tail), alpha = x0 >= 0 ? -nx : nx, v = k * n;
    R[v + k + 1] = x0 - alpha;
    for (let i = k + 2; i < n; i++) R[v + i] = A[i * n + k];
    const vn = Math.sqrt(R[v + k + 1] * R[v + k + 1] + tail);
    for (let i = k + 1; i < n; i++) R[v + i] /= vn;
    const q = w.q;
    let K = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += A[i * n + j] * R[v + j];
      q[i] = s;
      K += R[v + i] * s;
    }
    for (let i = k + 1; i < n; i++) q[i] -= K * R[v + i];
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) A[i * n + j] -= 2 * (R[v + i] * q[j] + q[i] * R[v + j]);
    e[k] = alpha;
  }
  for (let i = 0; i < n; i++) d[i] = A[i * n + i];
  if (n >= 2) e[n - 2] = A[(n - 1) * n + n - 2];
  const pairs = Math.min(2, n);
  for (let which = 0; which < pairs; which++) {
    const z = which * n;
    // the second is kept orthogonal to the first (both still in T's coordinates; the reflectors come below), which
    // also makes it the other vector of a repeated eigenvalue
    tridiagInverseIteration(d, e, n, tridiagEigenvalue(d, e, n, n - 1 - which, 1e-9), vectors, z, w, which === 1);
    let rq = 0;
    for (let i = 0; i < n; i++) rq += d[i] * vectors[z + i] * vectors[z + i] + (i < n - 1 ? 2 * e[i] * vectors[z + i] * vectors[z + i + 1] : 0);
    values[which] = rq;
  }
  for (let which = 0; which < pairs; which++) {
    const z = which * n;
    for (let k = n - 3; k >= 0; k--) {
      const v = k * n;
      let s = 0;
      for (let i = k + 1; i < n; i++) s += R[v + i] * vectors[z + i];
      if (s !== 0) for (let i = k + 1; i < n; i++) vectors[z + i] -= 2 * s * R[v + i];
    }
  }
}

/** Scratch for topTwoEigenpairs, kept per size so the solver allocates nothing in its loop. */
interface EigenWork { d: Float64Array; e: Float64Array; q: Float64Array; R: Float64Array; dl: Float64Array; dd: Float64Array; du: Float64Array; du2: Float64Array; piv: Uint8Array }
const eigenWorks: EigenWork[] = [];
function eigenWork(n: number): EigenWork {
  return (eigenWorks[n] ??= {
    d: new Float64Array(n), e: new Float64Array(n), q: new Float64Array(n), R: new Float64Array(n * n),
    dl: new Float64Array(n), dd: new Float64Array(n), du: new Float64Array(n), du2: new Float64Array(n), piv: new Uint8Array(n),
  });
}

/** A unit eigenvector of the tridiagonal (d, e) for (an approximation of) its eigenvalue λ, into z[off..off+n): two
 *  steps of inverse iteration on T − λI, LU with partial pivoting. Pivots are kept at least 1e-12 of the scale in
 *  size: λ is only known to ~1e-9 of it, so smaller ones amplify nothing useful and could overflow. With
 *  `orthogonalToFirst`, each step also removes the component along z[0..n). */
function tridiagInverseIteration(d: Float64Array, e: Float64Array, n: number, lambda: number, z: Float64Array, off: number, w: EigenWork,
  orthogonalToFirst = false): void {
  if (n === 1) { z[off] = 1; return; }
  const { dl, dd, du, du2, piv } = w;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
  const tiny = 1e-12 * (scale || 1);
  const guard = (x: number) => (Math.abs(x) >= tiny ? x : x < 0 ? -tiny : tiny);
  for (let i = 0; i < n; i++) dd[i] = d[i] - lambda;
  for (let i = 0; i < n - 1; i++) { dl[i] = e[i]; du[i] = e[i]; }
  // LU of the shifted matrix, rows swapped where the subdiagonal is the larger (LAPACK dgttrf): U has the diagonal
  // dd, the superdiagonals du and du2; L's multipliers overwrite dl.
  for (let i = 0; i < n - 1; i++) {
    du2[i] = 0;
    if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
      piv[i] = 0;
      dd[i] = guard(dd[i]);
      const f = dl[i] / dd[i];
      dl[i] = f;
      dd[i + 1] -= f * du[i];
    } else {
      piv[i] = 1;
      const f = dd[i] / dl[i];
      dd[i] = dl[i];
      dl[i] = f;
      const t = du[i];
      du[i] = dd[i + 1];
      dd[i + 1] = t - f * dd[i + 1];
      if (i < n - 2) { du2[i] = du[i + 1]; du[i + 1] = -f * du[i + 1]; }
    }
  }
  for (let i = 0; i < n; i++) dd[i] = guard(dd[i]);
  for (let i = 0; i < n; i++) z[off + i] = 1 + 0.1 * Math.sin(i + 1); // any start not orthogonal to the answer
  for (let pass = 0; pass < 2; pass++) {
    if (orthogonalToFirst) {
      let c = 0;
      for (let i = 0; i < n; i++) c += z[i] * z[off + i];
      for (let i = 0; i < n; i++) z[off + i] -= c * z[i];
    }
    for (let i = 0; i < n - 1; i++) {
      if (piv[i]) { const t = z[off + i]; z[off + i] = z[off + i + 1]; z[off + i + 1] = t - dl[i] * z[off + i + 1]; }
      else z[off + i + 1] -= dl[i] * z[off + i];
    }
    z[off + n - 1] /= dd[n - 1];
    z[off + n - 2] = (z[off + n - 2] - du[n - 2] * z[off + n - 1]) / dd[n - 2];
    for (let i = n - 3; i >= 0; i--) z[off + i] = (z[off + i] - du[i] * z[off + i + 1] - du2[i] * z[off + i + 2]) / dd[i];
    if (orthogonalToFirst) {
      let c = 0;
      for (let i = 0; i < n; i++) c += z[i] * z[off + i];
      for (let i = 0; i < n; i++) z[off + i] -= c * z[i];
    }
    let zn = 0;
    for (let i = 0; i < n; i++) zn += z[off + i] * z[off + i];
    zn = Math.sqrt(zn);
    if (!(zn > 0) || !Number.isFinite(zn)) { z.fill(NaN, off, off + n); return; }
    for (let i = 0; i < n; i++) z[off + i] /= zn;
  }
}

/** y0 = A x0 and, unless x1 is null, y1 = A x1: a symmetric operator applied to one or two vectors at once. */
export type PairAction = (x0: Float64Array, x1: Float64Array | null, y0: Float64Array, y1: Float64Array | null) => void;

/** out = an approximation of (θI − A)⁻¹ r, for the Ritz value θ (Davidson's correction equation). */
export type Preconditioner = (theta: number, r: Float64Array, out: Float64Array) => void;

export interface TopEigenOptions {
  /** stop once the top Ritz pair (θ, u) has ‖Au − θu‖² ≤ tol·θ² (default 1e-5) */
  tol?: number;
  /** expansions of the search space after the two start vectors, each by two vectors (default 8) */
  maxIterations?: number;
}

/**
 * The largest eigenvalue of a symmetric positive semidefinite n×n operator A, by block Davidson with blocks of two
 * (Davidson 1975, https://doi.org/10.1016/0021-9991(75)90065-0; the block form: Crouzeix, Philippe & Sadkane 1994,
 * https://doi.org/10.1137/0915004). The search space starts from two given vectors; each iteration takes the top two
 * Ritz pairs (θ_i, u_i) of A on it, their residuals r_i = Au_i − θ_iu_i, and adds the preconditioned residuals
 * (θ_iI − P)⁻¹r_i. With P a good approximation of A (its block diagonal, say) this resolves a flat top of the
 * spectrum in a few iterations where Lanczos, which only multiplies by A, needs many. Blocks of two let the
 * products go in pairs (PairAction) and keep two near-equal eigenvalues from stalling each other.
 * The estimate is a Ritz value: it never exceeds λ_max and only grows with the space. NaN if A's products are not
 * finite. Cost per iteration: two products with A, plus O(k·n) for k basis vectors and O(k³) for the projected
 * problem (k ≤ 2 + 2·maxIterations, topTwoEigenpairs).
 */
export class TopEigenDavidson {
  readonly n: number;
  /** the top Ritz vector (unit) of the last solve */
  readonly vector: Float64Array;
  private readonly tol: number;
  private readonly maxIterations: number;
  private readonly capacity: number;
  private readonly V: Float64Array[];
  private readonly AV: Float64Array[];
  private readonly G: Float64Array;
  private readonly work: Float64Array;
  private readonly values: Float64Array;
  private readonly vectors: Float64Array;
  private readonly r0: Float64Array;
  private readonly r1: Float64Array;
  private readonly u1: Float64Array;
  private readonly c0: Float64Array;
  private readonly c1: Float64Array;
  private k = 0;

  constructor(n: number, opts: TopEigenOptions = {}) {
    this.n = n;
    this.tol = opts.tol ?? 1e-5;
    this.maxIterations = opts.maxIterations ?? 8;
    this.capacity = Math.min(n, 2 + 2 * this.maxIterations);
    const m = this.capacity;
    this.V = Array.from({ length: m }, () => new Float64Array(n));
    this.AV = Array.from({ length: m }, () => new Float64Array(n));
    this.G = new Float64Array(m * m);
    this.work = new Float64Array(m * m);
    this.values = new Float64Array(2);
    this.vectors = new Float64Array(2 * m);
    this.vector = new Float64Array(n);
    this.r0 = new Float64Array(n);
    this.r1 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.c0 = new Float64Array(n);
    this.c1 = new Float64Array(n);
  }

  /** λ_max estimate from the search space span{start0, start1} and its expansions, and the products with A it took.
   *  The starts are read, not kept; either may be zero or parallel to the other. */
  solve(apply: PairAction, start0: Float64Array, start1: Float64Array, precondition: Preconditioner): { value: number; products: number } {
    this.k = 0;
    let products = this.expand(apply, start0, start1);
    if (this.k === 0) { this.vector.fill(0); return { value: 0, products }; }
    let theta = 0;
    for (let it = 0; ; it++) {
      this.ritz();
      theta = this.values[0];
      if (!Number.isFinite(theta)) return { value: NaN, products };
      const res = norm2(this.r0);
      if (theta <= 0 || res * res <= this.tol * theta * theta || it >= this.maxIterations || this.k >= this.capacity) break;
      // Corrections for the top two Ritz pairs.
      const second = this.k >= 2;
      precondition(theta, this.r0, this.c0);
      if (second) precondition(this.values[1], this.r1, this.c1);
      const added = this.expand(apply, this.c0, second ? this.c1 : null);
      if (added === 0) break;
      products += added;
    }
    return { value: theta, products };
  }

  /** Orthonormalises x0 (and x1) against the basis, appends those that are not (nearly) in its span, applies A to
   *  them in one call and extends the projected matrix. Returns the number of vectors added. */
  private expand(apply: PairAction, x0: Float64Array, x1: Float64Array | null): number {
    const first = this.k;
    this.append(x0);
    if (x1) this.append(x1);
    const added = this.k - first;
    if (added === 2) apply(this.V[first], this.V[first + 1], this.AV[first], this.AV[first + 1]);
    else if (added === 1) apply(this.V[first], null, this.AV[first], null);
    // Vᵀ(AV) is symmetric up to rounding: one product per entry, mirrored.
    const m = this.capacity;
    for (let i = first; i < this.k; i++) {
      const Av = this.AV[i];
      for (let j = 0; j <= i; j++) {
        const g = dot(this.V[j], Av, this.n);
        this.G[i * m + j] = g;
        this.G[j * m + i] = g;
      }
    }
    return added;
  }

  /** Appends x orthonormalised against the basis, unless it (nearly) lies in its span or the basis is full. Classical
   *  Gram–Schmidt, repeated once when the first pass cancelled most of x (Kahan's "twice is enough" test, Parlett,
   *  The Symmetric Eigenvalue Problem, §6.9). */
  private append(x: Float64Array): void {
    if (this.k >= this.capacity) return;
    const n = this.n, v = this.V[this.k];
    v.set(x);
    const before = norm2(v, n);
    let after = before;
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < this.k; l++) {
        const b = this.V[l], c = dot(b, v, n);
        for (let i = 0; i < n; i++) v[i] -= c * b[i];
      }
      const prev = after;
      after = norm2(v, n);
      if (after > 0.7 * prev) break;
    }
    if (!(after > 1e-10 * before)) return;
    for (let i = 0; i < n; i++) v[i] /= after;
    this.k++;
  }

  /** The top two Ritz pairs on the current basis: values[0] with u0 in `vector` and r0 = Au0 − θ0u0, and (with two
   *  or more basis vectors) values[1] with r1. */
  private ritz(): void {
    const { k, n, capacity: m, work, values, vectors } = this;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) work[i * k + j] = this.G[i * m + j];
    topTwoEigenpairs(work, k, values, vectors);
    for (let which = 0; which < Math.min(2, k); which++) {
      const u = which ? this.u1 : this.vector, r = which ? this.r1 : this.r0, theta = values[which];
      u.fill(0);
      r.fill(0);
      for (let l = 0; l < k; l++) {
        const y = vectors[which * k + l], V = this.V[l], AV = this.AV[l];
        for (let i = 0; i < n; i++) { u[i] += y * V[i]; r[i] += y * AV[i]; }
      }
      for (let i = 0; i < n; i++) r[i] -= theta * u[i];
    }
  }
}

/** Largest singular value of a dense r×c matrix by Golub–Kahan–Lanczos bidiagonalisation (Golub & Kahan 1965,
 *  https://doi.org/10.1137/0702016) from a fixed pseudo-random start, with full reorthogonalisation, until the Ritz
 *  value stops growing (by at most tol relative over a step, after 8 steps) or the Krylov space fills (then exact).
 *  k steps build U_k, V_{k+1} and the bidiagonal B_k with A V_k = U_k B_k; the estimate is
 *  √λ_max(B_kB_kᵀ + β_k² e_k e_kᵀ), a Ritz value of AAᵀ on span U_k. */
export function spectralNorm(A: Float64Array, r: number, c: number, tol = 1e-14): number {
  const maxSteps = Math.min(r, c, 120), minSteps = Math.min(maxSteps, 8);
  const rng = new Rng('spectral-norm');
  const randomUnit = (out: Float64Array) => {
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-1, 1);
    const g = norm2(out);
    for (let i = 0; i < out.length; i++) out[i] /= g;
  };
  const V = Array.from({ length: maxSteps + 1 }, () => new Float64Array(c));
  const U = Array.from({ length: maxSteps }, () => new Float64Array(r));
  const alpha = new Float64Array(maxSteps), beta = new Float64Array(maxSteps);
  const dd = new Float64Array(maxSteps), ee = new Float64Array(maxSteps);
  randomUnit(V[0]);
  let sigma = 0;
  for (let j = 0; j < maxSteps; j++) {
    const u = U[j];
    matVec(A, r, c, V[j], u);
    if (j > 0) axpy(-beta[j - 1], U[j - 1], u);
    for (let pass = 0; pass < 2; pass++) for (let l = 0; l < j; l++) axpy(-dot(U[l], u), U[l], u);
    const a = norm2(u);
    if (!Number.isFinite(a)) return NaN;
    if (a === 0) break; // A maps V_j's span into U_{j−1}'s: the Ritz values so far are exact
    for (let i = 0; i < r; i++) u[i] /= a;
    alpha[j] = a;
    const w = V[j + 1];
    matTVec(A, r, c, u, w);
    axpy(-a, V[j], w);
    for (let pass = 0; pass < 2; pass++) for (let l = 0; l <= j; l++) axpy(-dot(V[l], w), V[l], w);
    let b = norm2(w), exhausted = false;
    if (b <= 1e-12 * Math.max(a, sigma)) {
      // V_j's span is invariant under AᵀA, so its Ritz values are exact singular values but maybe not the top one.
      // Continue from a fresh direction instead, unless V_j already spans everything.
      randomUnit(w);
      for (let pass = 0; pass < 2; pass++) for (let l = 0; l <= j; l++) axpy(-dot(V[l], w), V[l], w);
      const n = norm2(w);
      exhausted = !(n > 1e-8);
      for (let i = 0; i < c; i++) w[i] = exhausted ? 0 : w[i] / n;
      b = 0;
    } else for (let i = 0; i < c; i++) w[i] /= b;
    beta[j] = b;
    const k = j + 1;
    for (let i = 0; i < k; i++) { dd[i] = alpha[i] * alpha[i] + beta[i] * beta[i]; if (i < k - 1) ee[i] = alpha[i + 1] * beta[i]; }
    const next = Math.sqrt(Math.max(0, tridiagEigenvalue(dd, ee, k)));
    const grew = next - sigma;
    sigma = next;
    if (exhausted || (k >= minSteps && grew <= tol * sigma)) break;
  }
  return sigma;
}
