// Domain types shared by every layer. Pure declarations: no runtime code, no imports.
// Convention (TensorFlow Playground): a scalar function travels with its derivative.

export interface ScalarFn {
  /** value at x */
  output(x: number): number;
  /** first derivative at x */
  der(x: number): number;
}

/** An interval of the real line; lo/hi may be ±Infinity. */
export interface Interval {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

export const DIVERGENCE_IDS = [
  'tv', 'kl', 'reverse-kl', 'pearson', 'neyman', 'hellinger', 'jeffrey', 'js', 'js-weighted', 'gan', 'alpha',
] as const;
export type DivergenceId = (typeof DIVERGENCE_IDS)[number];

/** Shape parameters: alpha for the α-divergence (α > 0, α ≠ 1), pi for weighted Jensen-Shannon (0 < π < 1). */
export interface DivergenceParams {
  alpha: number;
  pi: number;
}

export interface LocalizedText {
  en: string;
  zh: string;
}

/** One row of the f-GAN catalogue (Nowozin et al. 2016, Tables 1–2), in the paper's convention. */
export interface Divergence {
  id: DivergenceId;
  name: LocalizedText;
  params: DivergenceParams;
  /** generator function f(u), u = p/q > 0, and f'(u) */
  f: ScalarFn;
  /** Fenchel conjugate f*(t) (clamped where the closed form leaves the true conjugate) and (f*)'(t) */
  conj: ScalarFn;
  /** output activation g_f(v): ℝ → dom f*, and g_f'(v) */
  activation: ScalarFn;
  /** effective domain of f* */
  domConj: Interval;
  /** range of g_f (lies inside domConj) */
  activationRange: Interval;
  /** f'(1): the critic calls a sample real where g_f(V(x)) > f'(1) */
  threshold: number;
  /** f(1): 0 for every row but GAN (−log 4) */
  f1: number;
  /** KaTeX sources, paper's convention */
  tex: { f: string; conj: string; activation: string; dom: string; threshold: string };
}
