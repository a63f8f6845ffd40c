// State of one <fdiv-conjugate>: the divergence, the tangent point u₀ and the candidate slope t. Everything shown is
// derived from these with the catalogue in src/math; "play" sweeps u₀ so the tangents trace out f's envelope.
import { getDivergence } from '../../src/math/fdiv.ts';
import type { DivergenceId } from '../../src/math/types.ts';
import type { ConjugateSettings as Settings } from '../../src/settings/fdiv-conjugate.ts';

export interface ConjugateMetrics {
  status: 'idle' | 'playing' | 'paused';
  divergence: DivergenceId;
  u: number;
  t: number;
  f: number;
  fPrime: number;
  conjugate: number;
  gap: number;
}

/** The sweep's speed: a full pass across the u range in about four seconds at 60 frames per second. */
const SWEEP_FRAMES = 240;
const SWEEP = { lo: 0.2, hi: 6 } as const;
const T_FROM_U = { lo: 0.2, hi: 6 } as const;

export class ConjugateState {
  divergence = $state<DivergenceId>('kl');
  alpha = $state(0.5);
  pi = $state(0.5);
  u0 = $state(2);
  /** null: t follows the tangent slope f'(u₀) */
  tFree = $state<number | null>(null);
  status = $state<ConjugateMetrics['status']>('idle');
  #direction = 1;

  div = $derived(getDivergence(this.divergence, { alpha: this.alpha, pi: this.pi }));
  t0 = $derived(this.div.f.der(this.u0));
  t = $derived(this.tFree ?? this.t0);
  fu = $derived(this.div.f.output(this.u0));
  conjAtT = $derived(this.div.conj.output(this.t));
  /** Fenchel–Young gap f(u₀) − (t·u₀ − f*(t)) ≥ 0, zero exactly when t = f'(u₀). At the tangent the three terms
   *  cancel to rounding noise (±1e-16), which would read as "−2e−16 ≥ 0": snap that to the exact 0 it stands for. */
  gap = $derived.by(() => {
    const g = this.fu - (this.t * this.u0 - this.conjAtT);
    return Math.abs(g) <= 1e-12 * Math.max(1, Math.abs(this.fu), Math.abs(this.t * this.u0)) ? 0 : g;
  });
  /** where the line of slope t touches f: u = (f*)'(t) */
  touch = $derived(this.div.conj.der(this.t));

  /** Slopes a reader can pick and the conjugate panel's axis: the tangents over most of the u range, widened to
   *  keep the current tangent slope t₀ in view wherever u₀ is (Neyman's t₀ is −399 at u₀ = 0.05), inside dom f*. */
  tRange = $derived.by(() => {
    const { f, domConj } = this.div;
    const [a, b] = [f.der(T_FROM_U.lo), f.der(T_FROM_U.hi)];
    const t0 = Number.isFinite(this.t0) ? this.t0 : a;
    let lo = Math.min(a, b, t0);
    let hi = Math.max(a, b, t0);
    const pad = 0.15 * (hi - lo || 1);
    lo -= pad;
    hi += pad;
    const inset = 1e-3 * (hi - lo);
    lo = Math.max(lo, domConj.lo + (domConj.loOpen ? inset : 0));
    hi = Math.min(hi, domConj.hi - (domConj.hiOpen ? inset : 0));
    return { lo, hi };
  });

  metrics = $derived<ConjugateMetrics>({
    status: this.status, divergence: this.divergence, u: this.u0, t: this.t,
    f: this.fu, fPrime: this.t0, conjugate: this.conjAtT, gap: this.gap,
  });

  constructor(private initial: Settings) {
    this.apply(initial);
  }

  apply(s: Settings): void {
    this.divergence = s.divergence;
    this.alpha = s.alpha;
    this.pi = s.pi;
    this.u0 = s.u;
    this.tFree = Number.isNaN(s.t) ? null : s.t;
  }

  /** The settings as they are now (the theme is the element's, not the figure's, and passes through). */
  settings(): Settings {
    return { ...this.initial, divergence: this.divergence, alpha: this.alpha, pi: this.pi, u: this.u0, t: this.tFree ?? Number.NaN };
  }

  reset(): void {
    this.status = 'idle';
    this.apply(this.initial);
  }

  setInitial(s: Settings): void {
    this.initial = s;
    this.apply(s);
  }

  /** One frame of the sweep: u₀ moves geometrically so small u (where f bends most) gets as much time as large u. */
  advance(frames = 1): void {
    const ratio = Math.pow(SWEEP.hi / SWEEP.lo, 1 / SWEEP_FRAMES);
    this.tFree = null;
    let u = Math.min(SWEEP.hi, Math.max(SWEEP.lo, this.u0));
    for (let i = 0; i < frames; i++) {
      u *= this.#direction > 0 ? ratio : 1 / ratio;
      if (u >= SWEEP.hi || u <= SWEEP.lo) {
        u = Math.min(SWEEP.hi, Math.max(SWEEP.lo, u));
        this.#direction *= -1;
      }
    }
    this.u0 = u;
  }
}
