// Settings of <fdiv-conjugate>: attribute names, defaults and ranges. Shared by the element (validation before any
// widget code loads), the widget's state, and its standalone page's URL hash.
import { divergenceSettings } from '../core/divergence-settings.ts';
import type { Schema } from '../core/settings.ts';

export const U_RANGE = { min: 0.05, max: 8 } as const;

export const conjugateSchema = {
  ...divergenceSettings('kl'),
  /** the tangent point u₀ */
  u: { kind: 'number', default: 2, min: U_RANGE.min, max: U_RANGE.max },
  /** the slope t of the candidate line; when absent it follows the tangent t₀ = f'(u₀) */
  t: { kind: 'number', default: Number.NaN, min: -50, max: 50 },
} satisfies Schema;
