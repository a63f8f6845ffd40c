// Settings of <fdiv-conjugate>: attribute names, defaults and ranges. Shared by the element (validation before any
// widget code loads), the widget's state, and its standalone page's URL hash.
import { ALPHA_RANGE, PI_RANGE } from '../../src/math/fdiv.ts';
import { DIVERGENCE_IDS } from '../../src/math/types.ts';
import type { Schema } from '../core/settings.ts';

export const U_RANGE = { min: 0.05, max: 8 } as const;

export const conjugateSchema = {
  divergence: { kind: 'choice', default: 'kl', choices: DIVERGENCE_IDS },
  alpha: {
    kind: 'number', default: 0.5, min: ALPHA_RANGE.min, max: ALPHA_RANGE.max,
    exclude: { lo: 1 - ALPHA_RANGE.gap, hi: 1 + ALPHA_RANGE.gap },
  },
  pi: { kind: 'number', default: 0.5, min: PI_RANGE.min, max: PI_RANGE.max },
  /** the tangent point u₀ */
  u: { kind: 'number', default: 2, min: U_RANGE.min, max: U_RANGE.max },
  /** the slope t of the candidate line; when absent it follows the tangent t₀ = f'(u₀) */
  t: { kind: 'number', default: Number.NaN, min: -50, max: 50 },
} satisfies Schema;
