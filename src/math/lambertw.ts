// Lambert W, principal branch W0 (w·e^w = x, w ≥ −1), for the Jeffrey conjugate f*(t) = W(e^{1−t}) + 1/W(e^{1−t}) + t − 2.
// Invariants: relative accuracy about 1e-15 on x ∈ [−1/e, ∞); never forms e^w for large w, because Jeffrey needs
// W(e^s) for s far beyond the double range of e^s (t very negative). That case is solved for y = log W in
// y + e^y = s, which is monotone and convex in y, so Halley's iteration converges from any start.

const INV_E = Math.exp(-1);
const MAX_ITER = 60;

/**
 * y = log W0(e^s) for any real s, i.e. the root of y + e^y = s.
 * Exact for every finite s without overflow: for s ≪ 0, y ≈ s; for s ≫ 0, y ≈ log(s − log s).
 */
export function logLambertW0Exp(s: number): number {
  if (Number.isNaN(s)) return NaN;
  if (s === Infinity) return Infinity;
  if (s === -Infinity) return -Infinity;
  // Starting points: W(x) ≈ x for small x; W(e^s) ≈ s − log s for large s; in between the crude guess is
  // within a factor that Halley's cubic convergence wipes out in a handful of steps.
  let y = s < 1 ? s - Math.exp(s) : Math.log(s > 3 ? s - Math.log(s) : 0.5 + 0.5 * s);
  for (let i = 0; i < MAX_ITER; i++) {
    const ey = Math.exp(y);
    const g = y + ey - s;
    const g1 = 1 + ey;
    // Halley written as a Newton step over a correction so that no intermediate exceeds g or e^y.
    const newton = g / g1;
    const step = newton / (1 - (0.5 * newton * ey) / g1);
    y -= step;
    if (Math.abs(step) <= 4e-16 * Math.max(1, Math.abs(y))) break;
  }
  return y;
}

/** W0(e^s) without forming e^s (underflows to 0 only when the answer itself does). */
export function lambertW0Exp(s: number): number {
  return Math.exp(logLambertW0Exp(s));
}

/** Principal branch W0(x) for x ≥ −1/e; NaN below the branch point. */
export function lambertW0(x: number): number {
  if (Number.isNaN(x) || x < -INV_E) return NaN;
  if (x === -INV_E) return -1;
  if (x === 0) return 0;
  if (x === Infinity) return Infinity;
  // Above a few units the log-space form is both safer (no e^w) and as accurate.
  if (x > 3) return Math.exp(logLambertW0Exp(Math.log(x)));
  let w: number;
  if (x < -0.25) {
    // Near the branch point W behaves like −1 + p with p = √(2(ex + 1)); the series keeps Halley away from w = −1.
    const p = Math.sqrt(Math.max(0, 2 * (Math.E * x + 1)));
    w = -1 + p - (p * p) / 3 + (11 / 72) * p * p * p;
  } else {
    w = Math.log1p(x);
  }
  for (let i = 0; i < MAX_ITER; i++) {
    const ew = Math.exp(w);
    const r = w * ew - x;
    if (r === 0) break;
    const w1 = w + 1;
    if (w1 === 0) break;
    const step = r / (ew * w1 - ((w + 2) * r) / (2 * w1));
    if (!Number.isFinite(step)) break;
    w -= step;
    if (Math.abs(step) <= 4e-16 * Math.max(Math.abs(w), 1e-300)) break;
  }
  return w;
}
