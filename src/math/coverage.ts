// Mode coverage of generated 2-D samples against a target with known modes (ring, grid): the usual toy-GAN
// metrics (Metz et al. 2016, "Unrolled GANs"; Srivastava et al. 2017, "VEEGAN"). A sample is "high quality" when it
// lies within 3σ of some mode centre; a mode is "covered" when it holds at least `minShare` of all samples within
// its 3σ disc. Pure TypeScript. Samples are interleaved [x0, y0, x1, y1, …]; non-finite samples count as misses.
import type { Modes } from './targets.ts';

export interface Coverage {
  /** modes holding ≥ minShare of the samples within 3σ */
  covered: number;
  total: number;
  /** share of samples within 3σ of some mode (high-quality samples) */
  shareWithin3Sigma: number;
  /** per-mode sample counts within 3σ (a sample counts for its nearest mode only) */
  counts: number[];
  minShare: number;
}

/** Default threshold: a quarter of a mode's fair share 1/K (3.1 % for the ring of 8, 1 % for the 5×5 grid), so a
 * mode visited by a handful of stray samples is not counted, but an under-weighted one still is. */
function defaultMinShare(modes: Modes): number {
  return 0.25 / modes.centres.length;
}

export function modeCoverage(samples: ArrayLike<number>, modes: Modes, minShare = defaultMinShare(modes)): Coverage {
  const n = samples.length >> 1;
  const k = modes.centres.length;
  const counts = new Array<number>(k).fill(0);
  const r2 = (3 * modes.sigma) ** 2;
  let within = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i], y = samples[2 * i + 1];
    let best = -1, bestD = Infinity;
    for (let m = 0; m < k; m++) {
      const d = (x - modes.centres[m][0]) ** 2 + (y - modes.centres[m][1]) ** 2;
      if (d < bestD) { bestD = d; best = m; }
    }
    // NaN distances fail this test, so diverged samples are misses
    if (best >= 0 && bestD <= r2) { counts[best]++; within++; }
  }
  const need = minShare * n;
  const covered = n === 0 ? 0 : counts.filter((c) => c > 0 && c >= need).length;
  return { covered, total: k, shareWithin3Sigma: n === 0 ? 0 : within / n, counts, minShare };
}
