// The 1-D f-GAN of the paper's Gaussian-mixture experiment (Nowozin, Cseke, Tomioka 2016, §4 and Table 3,
// https://arxiv.org/abs/1606.00709; REFERENCE §1): the generator G(z) = μ + σz, z ∼ N(0, 1), has two parameters
// (μ and log σ); the critic V is a small MLP whose output goes through the divergence's g_f, with the 2-D lab's
// objective and stabilisers (fgan.ts: zero-initialised output layer, shift by v₀ = g_f⁻¹(f'(1)), soft clip of V,
// TV's output penalty). The critic maximises F = E_P[g_f(V)] − E_Q[f*(g_f(V))].
// The generator's default objective here is 'saturating' (minimise F itself, as the paper's single-step
// Algorithm 1 does), not the 2-D lab's 'alternative' (maximise E_Q[g_f(V)]): at the optimal critic T* = f'(p/q) the
// saturating step follows −∇θ D_f(P‖Q_θ) exactly, whereas the alternative one follows −∇θ E_P[G(p/q_θ)] with
// G'(u) = f'(u)/u², another divergence with another minimiser (for KL it is reverse KL: μ ≈ 1.58 instead of 1.01;
// for reverse KL, Neyman χ²; for Pearson χ², KL; all three measured). Both are offered.
// Invariants (as in fgan.ts): each step runs in tf.tidy and reads nothing back; `snapshot()` reads back once with
// `await data()`; the (μ, σ) path is kept as small tensors between snapshots and read back by them; `dispose()`
// frees every tensor the trainer made. All randomness comes from JS streams derived from config.seed. The defaults
// and what they were tuned for are in gaussian-fit-config.ts.
import * as tf from '@tensorflow/tfjs-core';
import { getDivergence } from '../math/fdiv.ts';
import {
  fitGaussian, mixtureLogDensity, mixtureMean, mixtureStd, normalLogPdf, sampleMixture, type GaussianFit,
} from '../math/gaussian-fit.ts';
import { linspace } from '../math/optimize.ts';
import { Rng } from '../math/rng.ts';
import type { Divergence, DivergenceId } from '../math/types.ts';
import { getFdivOps, type FdivOps } from './fdiv-ops.ts';
import { criticLosses, criticSlope, generatorLosses, objectiveSlope, vFromRaw, type Head } from './fgan-heads.ts';
import { FlatOptimizer } from './flat-optimizer.ts';
import {
  DEFAULT_STEPS, resolveGaussianFitConfig, type GaussianFitConfig, type GaussianFitConfigInput,
} from './gaussian-fit-config.ts';
import { Mlp } from './mlp.ts';

export * from './gaussian-fit-config.ts';

export interface GaussianFitSnapshotOptions {
  /** points of the x grid for the critic curve (default 161) */
  gridSize?: number;
  /** the grid's range (default: the mixture's mean ± 4 standard deviations) */
  range?: [number, number];
  /** batch for the bound F (default 2048: cheap enough for every frame, but noisy, and for rows whose g_f(V) has a
   * long tail under P, such as reverse KL and Jeffrey, its typical value lies above the mean; 65536 settles it) */
  boundBatch?: number;
}

export interface GaussianFitSnapshot {
  step: number;
  status: 'ok' | 'diverged';
  reason?: string;
  divergence: DivergenceId;
  mu: number;
  sigma: number;
  /** the exponential average of (μ, σ) over the last ~`averaging` steps (the raw values when averaging is 0) */
  muAvg: number;
  sigmaAvg: number;
  /** F on fresh batches: a lower bound on D_f(P‖N(μ, σ²)) when the critic is optimal for its class */
  bound: number;
  /** latest losses on their batches (NaN before the first step) */
  criticLoss: number;
  generatorLoss: number;
  /** on x: the critic's g_f(V(x)), the optimal critic f'(p/q) for the current (μ, σ) (±∞ where p/q over- or
   * underflows), and the threshold f'(1) */
  curve: { x: Float64Array; critic: Float32Array; optimal: Float64Array; threshold: number };
  /** (μ, σ) pairs from the start, interleaved, every `pathEvery` steps (and the current one last) */
  path: Float64Array;
}

/** Jeffrey's optimal critic is T* = log u + 1 − 1/u (u = p/q, g_f the identity): where the Gaussian puts mass that
 * the mixture does not (its left tail beyond the narrow mode) T* falls like −1/u, to −30 and below within q's 2.5σ,
 * and the 2-D lab's soft clip at ±10 flattens exactly the part of V that pushes the Gaussian out of there: with it the
 * fit ends at (Δμ, Δσ) ≈ (−0.06…−0.09, +0.07…+0.08) on seeds 1–3, with ±40 at (−0.04…−0.06, +0.05). f*(t) grows only
 * like −log(−t) on that side, and like e^t (as KL) only where p ≫ q, where T* ≈ log u stays small; so ±40
 * (e^40 ≪ float32's 3e38) costs no stability. What bias remains comes from the same tail: there the critic's
 * gradient p − q·(f*)'(T) ≈ p − q/|T| is weak, so T lags behind T*; more critic steps shrink it, at their cost. */
const JEFFREY_BOUND = 40;

export class GaussianFitTrainer {
  readonly config: GaussianFitConfig;
  readonly ops: FdivOps;
  readonly divergence: Divergence;
  readonly critic: Mlp;
  readonly mu: tf.Variable;
  readonly logSigma: tf.Variable;
  /** bias-uncorrected exponential average of [μ, σ] */
  private readonly avg: tf.Variable;
  private readonly gOpt: FlatOptimizer;
  private readonly dOpt: FlatOptimizer;
  private readonly dataRng: Rng;
  private readonly noiseRng: Rng;
  /** the critic sees (x − centre)/scale: the mixture's mean and standard deviation, so its tanh units start useful */
  private readonly centre: number;
  private readonly scale: number;
  /** the row's ops and its soft clip (Jeffrey's wider here), for the heads */
  private readonly head: Head;
  /** V of the latest critic batch [real; generated] and of the latest generator batch, from which snapshot() computes
   * the losses shown: a step computes only the heads' slopes */
  private criticV: tf.Tensor2D | null = null;
  private generatorV: tf.Tensor2D | null = null;
  private pending: tf.Tensor[] = [];
  private path: number[];
  private steps = 0;
  private diverged: string | null = null;

  constructor(input: GaussianFitConfigInput = {}) {
    const c = (this.config = resolveGaussianFitConfig(input));
    const params = { alpha: c.alpha, pi: c.pi };
    this.ops = getFdivOps(c.divergence, params);
    this.divergence = getDivergence(c.divergence, params);
    this.head = {
      ops: this.ops,
      bound: c.preActivationBound !== undefined ? c.preActivationBound
        : c.divergence === 'jeffrey' ? JEFFREY_BOUND : this.ops.preActivationBound,
    };
    this.centre = mixtureMean(c.mixture);
    this.scale = mixtureStd(c.mixture);
    const root = new Rng(c.seed);
    // zero output layer: V ≡ v₀, "can't tell", F = 0 at step 0 (see fgan.ts)
    this.critic = new Mlp({ ...c.critic, inputDim: 1, outputDim: 1, outputScale: 0 }, root.stream('init'));
    if (c.critic.depth > 0) this.spreadFirstLayer(root.stream('spread'));
    this.dataRng = root.stream('data');
    this.noiseRng = root.stream('noise');
    // tf.variable copies its initial value: build each inside a tidy so that the temporary is freed
    this.mu = tf.tidy(() => tf.variable(tf.scalar(c.init.mu), true));
    this.logSigma = tf.tidy(() => tf.variable(tf.scalar(Math.log(c.init.sigma)), true));
    this.avg = tf.tidy(() => tf.variable(tf.zeros([2]), false));
    this.path = [c.init.mu, c.init.sigma];
    // the schedule sets the step size before each update (generatorStep)
    this.gOpt = new FlatOptimizer(c.generatorOptimizer, [this.mu, this.logSigma]);
    this.dOpt = new FlatOptimizer(c.criticOptimizer, this.critic.variables);
  }

  /** In 1-D each first-layer unit is a smoothed step. Glorot's init makes every step about 2.3 standard deviations
   * of P wide and puts all of them at P's mean (zero biases): far blunter than the features the critic must learn,
   * such as f'(p/q)'s peak on the narrow mode (Pearson χ²) or its steep fall where q has mass and p has none
   * (Jeffrey), which the critic then fits too slowly to keep up with the generator. So the weights are scaled by
   * g = clamp(std_P/s_min, 1, 10), making a step about as wide as the narrowest component, and the steps are placed
   * uniformly over ±2.5 std_P (b_j = −w_j·t_j). Measured on the paper's mixture (defaults, seeds 1–3): the worst
   * |Δμ|, |Δσ| over the five divergences of Table 3 is 0.060 with this and 0.103 without (Jeffrey's σ, Pearson's μ). */
  private spreadFirstLayer(rng: Rng): void {
    const { mixture, critic } = this.config;
    const sMin = Math.min(...mixture.components.map((k) => k.sd));
    const gain = Math.min(10, Math.max(1, this.scale / sMin));
    const at = Float32Array.from({ length: critic.width }, () => rng.uniform(-2.5, 2.5));
    const w0 = this.critic.weights[0], b0 = this.critic.biases[0];
    tf.tidy(() => {
      const w = tf.mul(w0, gain);
      w0.assign(w);
      b0.assign(tf.neg(tf.mul(tf.reshape(w, [critic.width]), tf.tensor1d(at))));
    });
  }

  get stepCount(): number {
    return this.steps;
  }

  /** n generator updates, each after criticSteps critic updates. Synchronous; a no-op once diverged. */
  step(n = 1): void {
    if (this.diverged) return;
    const c = this.config;
    for (let i = 0; i < n; i++) {
      tf.tidy(() => {
        for (let k = 0; k < c.criticSteps; k++) this.criticStep();
        this.generatorStep();
        this.steps++;
        const theta = tf.stack([this.mu, tf.exp(this.logSigma)]);
        if (c.averaging > 0) {
          const beta = 1 - 1 / Math.max(1, c.averaging);
          this.avg.assign(tf.add(tf.mul(this.avg, beta), tf.mul(theta, 1 - beta)));
        }
        if (this.steps % c.pathEvery === 0) this.pending.push(tf.keep(tf.reshape(theta, [1, 2])));
      });
      // merge the kept path points on the device now and then, so that a long run between snapshots holds a few
      // tensors, not one per recorded step
      if (this.pending.length >= 64) {
        const merged = tf.tidy(() => tf.concat(this.pending, 0));
        for (const t of this.pending) t.dispose();
        this.pending = [merged];
      }
    }
  }

  // ---- the critic's pieces (the heads are fgan-heads.ts, shared with fgan.ts) --------------------------------------

  private normalise(x: tf.Tensor2D): tf.Tensor2D {
    return tf.div(tf.sub(x, this.centre), this.scale);
  }

  /** F = E_P[g_f(V)] − E_Q[f*(g_f(V))] on a [real; generated] batch's V, the first nReal rows real. */
  private boundOfV(v: tf.Tensor1D, nReal: number): tf.Scalar {
    const [vReal, vFake] = tf.split(v, [nReal, v.shape[0] - nReal]);
    return tf.sub(tf.mean(this.ops.activation(vReal)), tf.mean(this.ops.conjOfActivation(vFake))) as tf.Scalar;
  }

  // ---- updates (inside step's tidy) ---------------------------------------------------------------------------------

  private sampleReal(rng: Rng, n: number): tf.Tensor2D {
    return tf.tensor2d(sampleMixture(this.config.mixture, rng, n), [n, 1]);
  }

  private sampleNoise(rng: Rng, n: number): tf.Tensor2D {
    return tf.tensor2d(rng.fillNormal(new Float32Array(n)), [n, 1]);
  }

  private generate(z: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.mul(z, tf.exp(this.logSigma)), this.mu);
  }

  /** Hand-written backprop through the head (fgan-heads.ts) and the MLP, as in fgan.ts. */
  private criticStep(): void {
    const n = this.config.batchSize;
    const real = this.sampleReal(this.dataRng, n);
    const fake = this.generate(this.sampleNoise(this.noiseRng, n));
    const { out, trace } = this.critic.forward(this.normalise(tf.concat([real, fake], 0)));
    const { v, grad } = criticSlope(this.head, out, n);
    this.dOpt.apply(this.critic.backward(trace, grad, { params: true, input: false }).grads);
    this.keepV('critic', v);
  }

  private generatorStep(): void {
    const g = this.generatorGradient(this.sampleNoise(this.noiseRng, this.config.batchSize));
    const { lr } = this.config.generatorOptimizer, decay = this.config.generatorLrDecay;
    this.gOpt.setLearningRate(decay > 0 ? Math.max(lr / 10, lr / (1 + this.steps / decay)) : lr);
    this.gOpt.apply({ [this.mu.name]: g.mu, [this.logSigma.name]: g.logSigma });
    this.keepV('generator', g.v);
  }

  /** The generator's gradient in (μ, log σ) on the noise batch z, backpropagated by hand through the head (the
   * objective's closed-form slope) and the critic: x = μ + σz gives ∂x/∂μ = 1 and ∂x/∂(log σ) = σz, so each is a
   * sum over the batch; and V, from which the loss shown is computed. What a step applies; public so that it can be
   * checked against autodiff. Call inside tf.tidy. */
  generatorGradient(z: tf.Tensor2D): { v: tf.Tensor2D; mu: tf.Scalar; logSigma: tf.Scalar } {
    const sigma = tf.exp(this.logSigma);
    const x = tf.add(tf.mul(z, sigma), this.mu) as tf.Tensor2D;
    const d = this.critic.forward(this.normalise(x));
    const { v, slope } = objectiveSlope(this.head, this.config.generatorObjective, d.out);
    // L_G = −mean(objective(V))
    const grad = tf.mul(slope, -1 / z.shape[0]) as tf.Tensor2D;
    const dIn = this.critic.backward(d.trace, grad, { params: false, input: true }).dInput!;
    const dx = tf.div(dIn, this.scale); // the critic reads (x − centre)/scale
    return { v, mu: tf.sum(dx), logSigma: tf.mul(tf.sum(tf.mul(dx, z)), sigma) as tf.Scalar };
  }

  /** Keeps a step's V (made inside its tidy, so keeping it costs no kernel) in place of the previous one. */
  private keepV(which: 'critic' | 'generator', v: tf.Tensor2D): void {
    const kept = tf.keep(v);
    if (which === 'critic') { this.criticV?.dispose(); this.criticV = kept; } else { this.generatorV?.dispose(); this.generatorV = kept; }
  }

  // ---- snapshot -----------------------------------------------------------------------------------------------------

  async snapshot(opts: GaussianFitSnapshotOptions = {}): Promise<GaussianFitSnapshot> {
    const nGrid = opts.gridSize ?? 161, nB = opts.boundBatch ?? 2048;
    const [lo, hi] = opts.range ?? [this.centre - 4 * this.scale, this.centre + 4 * this.scale];
    const xs = Float64Array.from(linspace(lo, hi, nGrid));
    const rng = new Rng(this.config.seed).stream(`snapshot:${this.steps}`);
    const parts: [string, number][] = [];
    const flat = tf.tidy(() => {
      const nan = tf.scalar(NaN);
      const real = this.sampleReal(rng, nB);
      const fake = this.generate(this.sampleNoise(rng, nB));
      const raw = tf.squeeze(this.critic.apply(this.normalise(tf.concat([real, fake], 0))), [1]) as tf.Tensor1D;
      const bound = this.boundOfV(vFromRaw(this.head, raw), nB);
      const grid = tf.tensor2d(Float32Array.from(xs), [nGrid, 1]);
      const curve = this.ops.activation(vFromRaw(this.head, tf.squeeze(this.critic.apply(this.normalise(grid)), [1]) as tf.Tensor1D));
      const path = this.pending.length > 0 ? tf.concat(this.pending, 0) : tf.zeros([0, 2]);
      const tensors: [string, tf.Tensor][] = [
        ['theta', tf.stack([this.mu, tf.exp(this.logSigma)])], ['avg', this.avg], ['bound', bound],
        ['dLoss', this.criticV ? criticLosses(this.ops, [this.criticV], this.config.batchSize) : nan],
        ['gLoss', this.generatorV ? generatorLosses(this.ops, this.config.generatorObjective, [this.generatorV]) : nan],
        ['weights', this.critic.absSum()],
        ['curve', curve], ['path', path],
      ];
      for (const [name, t] of tensors) parts.push([name, t.size]);
      return tf.concat(tensors.map(([, t]) => tf.reshape(t, [-1])));
    });
    const data = (await flat.data()) as Float32Array;
    flat.dispose();
    for (const t of this.pending) t.dispose();
    this.pending = [];
    const out: Record<string, Float32Array> = {};
    let o = 0;
    for (const [name, len] of parts) { out[name] = data.slice(o, o + len); o += len; }
    for (const v of out.path) this.path.push(v);

    const [mu, sigma] = out.theta;
    const c = this.config;
    // bias correction of the average started at 0: divide by 1 − β^t
    const beta = 1 - 1 / Math.max(1, c.averaging);
    const w = c.averaging > 0 && this.steps > 0 ? 1 - beta ** this.steps : 0;
    const [muAvg, sigmaAvg] = w > 0 ? [out.avg[0] / w, out.avg[1] / w] : [mu, sigma];
    const checks: [string, number][] = [
      ['μ', mu], ['σ', sigma], ['bound F', out.bound[0]], ['critic weights', out.weights[0]],
      ...(this.criticV ? [['critic loss', out.dLoss[0]], ['generator loss', out.gLoss[0]]] as [string, number][] : []),
    ];
    const bad = checks.find(([, x]) => !Number.isFinite(x));
    if (bad && !this.diverged) this.diverged = `${bad[0]} is ${bad[1]} at step ${this.steps}`;
    const optimal = xs.map((x) => this.divergence.f.der(Math.exp(mixtureLogDensity(c.mixture, x) - normalLogPdf(x, mu, sigma))));
    // the current point is the last one recorded when the step count is a multiple of pathEvery (0 included)
    const path = this.steps % c.pathEvery === 0 ? this.path.slice() : [...this.path, mu, sigma];
    return {
      step: this.steps,
      status: this.diverged ? 'diverged' : 'ok',
      ...(this.diverged ? { reason: this.diverged } : {}),
      divergence: c.divergence,
      mu, sigma, muAvg, sigmaAvg,
      bound: out.bound[0], criticLoss: out.dLoss[0], generatorLoss: out.gLoss[0],
      curve: { x: xs, critic: out.curve, optimal, threshold: this.ops.threshold },
      path: Float64Array.from(path),
    };
  }

  dispose(): void {
    this.criticV?.dispose();
    this.generatorV?.dispose();
    this.criticV = this.generatorV = null;
    for (const t of this.pending) t.dispose();
    this.pending = [];
    this.gOpt.dispose();
    this.dOpt.dispose();
    this.critic.dispose();
    this.mu.dispose();
    this.logSigma.dispose();
    this.avg.dispose();
  }
}

export interface GaussianFitRun {
  divergence: DivergenceId;
  steps: number;
  seed: number;
  /** direct minimisation by quadrature (src/math/gaussian-fit.ts), and the other local minima it found */
  exact: GaussianFit;
  localMinima: GaussianFit[];
  /** the adversarial fit: the averaged (μ, σ), the last raw ones, and the bound F at the end */
  trained: { mu: number; sigma: number; muLast: number; sigmaLast: number; bound: number; status: 'ok' | 'diverged' };
  /** wall time of the training alone */
  millis: number;
}

/** Trains for `steps` steps and compares with the exact fit: what `gaussian-fit --divergence ID --json` prints. */
export async function runGaussianFit(input: GaussianFitConfigInput = {}, steps = DEFAULT_STEPS): Promise<GaussianFitRun> {
  const t0 = performance.now();
  const trainer = new GaussianFitTrainer(input);
  try {
    trainer.step(steps);
    const millis = performance.now() - t0;
    // a large batch for F: with 2048 samples its typical value can exceed D_f (reverse KL: 0.30 against 0.25),
    // because g_f(V) under P has a long negative tail that a small batch mostly misses
    const s = await trainer.snapshot({ gridSize: 2, boundBatch: 1 << 16 });
    const { divergence, seed, mixture } = trainer.config;
    const fit = fitGaussian(trainer.divergence, mixture);
    const trained = { mu: s.muAvg, sigma: s.sigmaAvg, muLast: s.mu, sigmaLast: s.sigma, bound: s.bound, status: s.status };
    return { divergence, steps, seed, exact: fit.best, localMinima: fit.minima.slice(1), trained, millis };
  } finally {
    trainer.dispose();
  }
}
