// Settings of <fdiv-conjugate> and of the `conjugate` experiment: the divergence, the tangent point u₀ and the slope
// t of the candidate line. The CLI accepts any u > 0 that the catalogue can evaluate; the widget's axis stops at 8.
import { commonSettings } from './common.ts';
import { divergenceSettings } from './divergence.ts';
import type { NumberSpec, Values } from './schema.ts';

export const U_RANGE = { min: 0.05, max: 8 } as const;

export const fdivConjugateSchema = {
  ...divergenceSettings('kl'),
  u: {
    kind: 'number', default: 2, min: U_RANGE.min, max: U_RANGE.max, cli: { min: 1e-9, max: 1e6 },
    label: { en: 'tangent point u₀ = p/q', zh: '切点 u₀ = p/q' },
  } satisfies NumberSpec,
  t: {
    kind: 'number', default: Number.NaN, min: -50, max: 50, cli: false,
    label: { en: 'slope t of the candidate line', zh: '候选直线的斜率 t' },
    doc: 'clipped to dom f*; absent: follows the tangent slope f′(u₀)',
  } satisfies NumberSpec,
  ...commonSettings(),
} as const;

export type ConjugateSettings = Values<typeof fdivConjugateSchema>;
