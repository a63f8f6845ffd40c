// The divergence settings every f-divergence widget shares: which row of the catalogue, and its shape parameters
// α and π with the catalogue's own ranges. Spread into a schema with that widget's default divergence.
import { ALPHA_RANGE, PI_RANGE } from '../math/fdiv.ts';
import { DIVERGENCE_IDS, type DivergenceId } from '../math/types.ts';
import type { ChoiceSpec, NumberSpec } from './schema.ts';

export function divergenceSettings(defaultId: DivergenceId) {
  return {
    divergence: {
      kind: 'choice', default: defaultId, choices: DIVERGENCE_IDS,
      label: { en: 'f-divergence', zh: 'f 散度' },
      doc: 'row of the f-GAN catalogue (Nowozin et al. 2016, Table 1)',
    } satisfies ChoiceSpec<DivergenceId>,
    alpha: {
      kind: 'number', default: 0.5, min: ALPHA_RANGE.min, max: ALPHA_RANGE.max,
      exclude: { lo: 1 - ALPHA_RANGE.gap, hi: 1 + ALPHA_RANGE.gap },
      label: { en: 'α', zh: 'α' }, when: { key: 'divergence', is: ['alpha'] },
      doc: 'α of the α-divergence (read only when divergence is alpha)',
    } satisfies NumberSpec,
    pi: {
      kind: 'number', default: 0.5, min: PI_RANGE.min, max: PI_RANGE.max,
      label: { en: 'π (weight of P)', zh: 'π（P 的权重）' }, when: { key: 'divergence', is: ['js-weighted'] },
      doc: 'π of weighted Jensen–Shannon (read only when divergence is js-weighted)',
    } satisfies NumberSpec,
  };
}
