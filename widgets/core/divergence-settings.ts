// The divergence settings every f-divergence widget shares: which row of the catalogue, and its shape parameters
// α and π with the catalogue's own ranges. Spread into a widget's schema with its own default divergence.
import { ALPHA_RANGE, PI_RANGE } from '../../src/math/fdiv.ts';
import { DIVERGENCE_IDS } from '../../src/math/types.ts';
import type { Schema } from './settings.ts';

export function divergenceSettings(defaultId: (typeof DIVERGENCE_IDS)[number]) {
  return {
    divergence: { kind: 'choice', default: defaultId, choices: DIVERGENCE_IDS },
    alpha: {
      kind: 'number', default: 0.5, min: ALPHA_RANGE.min, max: ALPHA_RANGE.max,
      exclude: { lo: 1 - ALPHA_RANGE.gap, hi: 1 + ALPHA_RANGE.gap },
    },
    pi: { kind: 'number', default: 0.5, min: PI_RANGE.min, max: PI_RANGE.max },
  } as const satisfies Schema;
}
