// `conjugate`: one tangent of f at u, headless. Prints f(u), the slope t = f'(u), f*(t) and the Fenchel–Young gap
// f(u) − (t·u − f*(t)), which is 0 exactly because t is the tangent slope: the numbers behind <fdiv-conjugate>.
// Its flags are <fdiv-conjugate>'s attributes (src/settings/fdiv-conjugate.ts); alpha and pi are range-checked
// there whichever divergence is chosen, so a bad --alpha never passes silently.
import { PARAM_OF, getDivergence } from '../../math/fdiv.ts';
import { fdivConjugateSchema } from '../../settings/fdiv-conjugate.ts';
import { experiment } from '../options.ts';

export const conjugate = experiment({
  name: 'conjugate',
  summary: "f(u), the tangent slope t = f'(u), f*(t) and the Fenchel–Young gap for one f-divergence",
  schema: fdivConjugateSchema,
  async run({ divergence: id, u, alpha, pi }) {
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
});
