// `conjugate`: one tangent of f at u, headless. Prints f(u), the slope t = f'(u), f*(t) and the Fenchel–Young gap
// f(u) − (t·u − f*(t)), which is 0 exactly because t is the tangent slope: the numbers behind <fdiv-conjugate>.
import { ALPHA_RANGE, DEFAULT_PARAMS, PARAM_OF, PI_RANGE, getDivergence, paramError } from '../../math/fdiv.ts';
import { DIVERGENCE_IDS, type DivergenceId } from '../../math/types.ts';
import { UsageError, type Experiment } from '../options.ts';

export const conjugate: Experiment = {
  name: 'conjugate',
  summary: "f(u), the tangent slope t = f'(u), f*(t) and the Fenchel–Young gap for one f-divergence",
  options: [
    { name: 'divergence', kind: 'choice', help: 'row of the f-GAN catalogue', default: 'kl', choices: DIVERGENCE_IDS },
    { name: 'u', kind: 'number', help: 'likelihood ratio p/q, > 0', default: 2, min: 1e-9, max: 1e6 },
    {
      name: 'alpha', kind: 'number', help: `α of the α-divergence, |α − 1| ≥ ${ALPHA_RANGE.gap}`,
      default: DEFAULT_PARAMS.alpha, min: ALPHA_RANGE.min, max: ALPHA_RANGE.max,
    },
    { name: 'pi', kind: 'number', help: 'π of weighted Jensen-Shannon', default: DEFAULT_PARAMS.pi, min: PI_RANGE.min, max: PI_RANGE.max },
  ],
  async run(values) {
    const id = values.divergence as DivergenceId;
    const u = values.u as number;
    const alpha = values.alpha as number;
    const pi = values.pi as number;
    // Checked whatever the divergence, so a bad --alpha never passes silently.
    for (const [name, value] of [['alpha', alpha], ['pi', pi]] as const) {
      const err = paramError(name, value);
      if (err) throw new UsageError(`--${err}`);
    }
    const d = getDivergence(id, { alpha, pi });
    const param = PARAM_OF[id];
    const f = d.f.output(u);
    const t = d.f.der(u);
    const conjugateAtTangent = d.conj.output(t);
    return {
      divergence: id,
      name: d.name.en,
      params: param ? { [param]: d.params[param] } : {},
      u,
      f,
      fPrime: t,
      conjugateAtTangent,
      gap: f - (t * u - conjugateAtTangent),
      threshold: d.threshold,
      f1: d.f1,
    };
  },
};
