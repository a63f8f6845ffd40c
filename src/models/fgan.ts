// The toy 2-D f-GAN trainer (Nowozin et al. 2016, https://arxiv.org/abs/1606.00709; the single loss of https://kexue.fm/archives/6387). The critic V_ω ends in the divergence's output
// activation g_f and maximises F = E_P[g_f(V(x))] − E_Q[f*(g_f(V(G(z))))]; the generator either maximises
// E_Q[g_f(V(G(z)))] ('alternative') or minimises F ('saturating'). Training is 'alternating' (criticSteps critic
// updates, then one generator update) or 'single-loss' (the combined loss of single-loss.ts, whose gradients one
// forward and one backward pass give: combinedGradients).
// Invariants (tfjs hygiene): every step runs inside tf.tidy and reads nothing back; each step keeps its heads' V
// until the losses are folded from them (foldLosses); `snapshot()` reads back once with `await t.data()`;
// `dispose()` frees every tensor the trainer made, so tf.memory().numTensors returns to its value before
// construction. Determinism: all randomness (init, data, noise) comes from JS RNG streams derived from config.seed,
// and snapshots use their own stream keyed by the step, so the same seed gives the same run on the same backend
// however often it is snapshotted.
// Stabilisers, each explained where it is defined: the critic's output layer starts at zero and its output is
// shifted by v₀ = g_f⁻¹(f'(1)) (fdiv-ops.ts `neutral`), the exponential rows soft-clip V (PRE_ACTIVATION_BOUND), and
// TV adds a small output penalty (OUTPUT_PENALTY).
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package does); training needs them
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getDivergence } from '../math/fdiv.ts';
import { fDivergenceGrid } from '../math/quadrature.ts';
import { modeCoverage, type Coverage } from '../math/coverage.ts';
import { cellArea, cellCentre, smoothedPair, targetBandwidth, type Grid2D } from '../math/kde.ts';
import { Rng } from '../math/rng.ts';
import { RunHealth } from '../math/run-health.ts';
import { getTarget, type Bounds, type Target2D } from '../math/targets.ts';
import type { Divergence, DivergenceId } from '../math/types.ts';
import { getFdivOps, type FdivOps } from './fdiv-ops.ts';
import { criticLosses, criticSlope, generatorLosses, objectiveSlope, vFromRaw, type Head } from './fgan-heads.ts';
import { resolveFganConfig, type FganConfig, type FganConfigInput, type LiveSettings } from './fgan-config.ts';
import { FlatOptimizer } from './flat-optimizer.ts';
import { aliasingPad, Mlp, type MlpTrace } from './mlp.ts';

export * from './fgan-config.ts';

export interface SnapshotOptions {
  /** generated samples to return (default 512) */
  samples?: number;
  /** the critic field is sampled on fieldSize × fieldSize cell centres over the target's box (default 40) */
  fieldSize?: number;
  /** batch for the bound F (default 512: it is recomputed for every drawn frame, so it must stay cheap) */
  boundBatch?: number;
  /** noise-grid lines per axis and points per line (defaults 9 and 33); one line when noiseDim is 1 */
  noiseLines?: number;
  noisePoints?: number;
  /** grid for the true divergence, and whether to compute it (defaults 64, true) */
  kdeSize?: number;
  trueDivergence?: boolean;
}

export interface FganSnapshot {
  step: number;
  /** 'diverged': the run broke down (see src/math/run-health.ts) and will not step again; `reason` says how */
  status: 'ok' | 'diverged';
  reason?: string;
  divergence: DivergenceId;
  /** latest critic loss −F on its batch, plus the output penalty for TV (NaN before the first step) */
  criticLoss: number;
  /** latest generator loss (NaN before the first step) */
  generatorLoss: number;
  /** F on a fresh batch: a lower bound on D_f(P‖Q) when the critic is optimal for its class */
  bound: number;
  /** D_f(P‖Q) on a grid from the target density and a KDE of `samples`, both smoothed by the KDE's kernel (see
   * `trueDivergence`; NaN when not computed) */
  trueDivergence: number;
  /** generated samples, interleaved x,y */
  samples: Float32Array;
  /** at each sample, ∇x of the generator's per-sample objective: the direction G would push it */
  gradients: Float32Array;
  /** g_f(V(x)) on cell centres, row-major with y outer; threshold f'(1) separates "real" from "fake" */
  field: { size: number; bounds: Bounds; values: Float32Array; threshold: number };
  /** images under G of the noise grid's lines: lines × points × 2 */
  noiseGrid: { lines: number; points: number; data: Float32Array };
  /** ring and grid targets only */
  coverage: Coverage | null;
}

export class FganTrainer {
  #config: FganConfig;

  get config(): FganConfig {
    return this.#config;
  }
  readonly target: Target2D;
  readonly ops: FdivOps;
  /** the row's ops and its soft clip, for the heads */
  private readonly head: Head;
  readonly generator: Mlp;
  readonly critic: Mlp;
  readonly divergence: Divergence;
  /** Each player's optimiser and its segment there. In single-loss mode, when both players use the same rule, they
   * share one optimiser (the critic segment 0, the generator 1), so the combined step is one update of both. */
  private readonly dOpt: [FlatOptimizer, number];
  private readonly gOpt: [FlatOptimizer, number];
  private readonly jointOpt: FlatOptimizer | null;
  private readonly dataRng: Rng;
  private readonly noiseRng: Rng;
  private dLoss: tf.Scalar | null = null;
  private gLoss: tf.Scalar | null = null;
  /** each step's V since the last fold (see keepCritic): the critic's on [real; fake; pad], a batch each, the
   * generator's on its batch; the fold turns them into losses */
  private recentCritic: tf.Tensor2D[] = [];
  private recentGenerator: tf.Tensor2D[] = [];
  private readonly zeros = new Map<string, tf.Tensor2D>();
  /** max |loss| over both players since the last snapshot, as of the last fold */
  private lossPeak: tf.Scalar | null = null;
  /** a snapshot has read lossPeak: the next fold starts a new one (the tensor stays, so the count is flat) */
  private peakRead = false;
  private steps = 0;
  private diverged: string | null = null;
  private readonly health = new RunHealth();

  constructor(input: FganConfigInput = {}) {
    const c = (this.#config = resolveFganConfig(input));
    this.target = getTarget(c.target, { points: c.points });
    this.ops = getFdivOps(c.divergence, { alpha: c.alpha, pi: c.pi });
    this.head = { ops: this.ops, bound: this.ops.preActivationBound };
    this.divergence = getDivergence(c.divergence, { alpha: c.alpha, pi: c.pi });
    const init = new Rng(c.seed).stream('init');
    this.generator = new Mlp({ ...c.generator, inputDim: c.noiseDim, outputDim: 2 }, init);
    // The critic's output layer starts at zero, so V ≡ v₀ and g_f(V) ≡ f'(1) at step 0: "can't tell P from Q",
    // and F = f'(1) − f*(f'(1)) = f(1): 0, or −log 4 for the GAN row (the soft clip of KL and α moves it < 1e-3).
    // With the usual init its output on the ring (|x| = 2) is already ±3 or so: deep in the flat part of bounded
    // activations (TV's ½tanh), where both players' gradients vanish, and far from v₀ for the others.
    this.critic = new Mlp({ ...c.critic, inputDim: 2, outputDim: 1, outputScale: 0 }, init);
    this.dataRng = new Rng(c.seed).stream('data');
    this.noiseRng = new Rng(c.seed).stream('noise');
    if (c.mode === 'single-loss' && c.criticOptimizer.kind === c.generatorOptimizer.kind) {
      this.jointOpt = new FlatOptimizer([
        { config: c.criticOptimizer, vars: this.critic.variables },
        { config: c.generatorOptimizer, vars: this.generator.variables },
      ]);
      this.dOpt = [this.jointOpt, 0];
      this.gOpt = [this.jointOpt, 1];
    } else {
      this.jointOpt = null;
      this.dOpt = [new FlatOptimizer(c.criticOptimizer, this.critic.variables), 0];
      this.gOpt = [new FlatOptimizer(c.generatorOptimizer, this.generator.variables), 0];
    }
  }

  /** Applies settings that change neither the networks nor the data to the running run: the next steps use them.
   * The optimisers keep their moment estimates, so a new learning rate acts like a step in a schedule. */
  adjust(live: LiveSettings): void {
    // the kept V become losses under the objective they were trained with
    this.foldLosses();
    const next = resolveFganConfig({
      ...this.#config,
      generatorOptimizer: { ...this.#config.generatorOptimizer, lr: live.gLr },
      criticOptimizer: { ...this.#config.criticOptimizer, lr: live.dLr },
      criticSteps: live.criticSteps, lambda: live.lambda, generatorObjective: live.generatorObjective, gradClip: live.gradClip,
    });
    this.gOpt[0].setLearningRate(next.generatorOptimizer.lr, this.gOpt[1]);
    this.dOpt[0].setLearningRate(next.criticOptimizer.lr, this.dOpt[1]);
    this.#config = next;
  }

  /** n generator steps, each after criticSteps critic steps (single-loss: criticSteps − 1 critic-only steps and one
   * combined step). Synchronous; a no-op once a snapshot has found the run diverged. */
  step(n = 1): void {
    if (this.diverged) return;
    for (let i = 0; i < n; i++) {
      tf.tidy(() => {
        const c = this.config;
        for (let k = 1; k < c.criticSteps; k++) {
          const real = this.sampleReal(this.dataRng, c.batchSize);
          this.criticStep(real, this.generator.apply(this.sampleNoise(this.noiseRng, c.batchSize)));
        }
        const real = this.sampleReal(this.dataRng, c.batchSize);
        const z = this.sampleNoise(this.noiseRng, c.batchSize);
        if (c.mode === 'single-loss') this.combinedStep(real, z);
        else {
          // The last critic step and the generator step share one noise batch, and so one forward pass of G (its
          // weights do not change in between), as the naive loop and most GAN code do; the generator's step then
          // sees the critic just updated.
          const g = this.generator.forward(z);
          this.criticStep(real, g.out);
          this.generatorStep(g);
        }
      });
      this.steps++;
    }
  }

  // ---- losses -------------------------------------------------------------------------------------------------

  /** V(x): the critic network's output shifted by v₀ = g_f⁻¹(f'(1)) (so that a zero output means "p = q"), then
   * the divergence's soft clip; shape [batch, 1]. */
  private v(x: tf.Tensor2D): tf.Tensor2D {
    return this.vFromRaw(this.critic.apply(x));
  }

  private vFromRaw<T extends tf.Tensor>(raw: T): T {
    return vFromRaw(this.head, raw);
  }

  // The two heads below are the elementwise end of each player's loss, differentiated by hand (fgan-heads.ts).
  // test/unit/fgan-heads.test.ts checks both against autodiff of the losses for every row and both objectives.

  // A step needs only the heads' slopes; the losses (for the readouts and the run-health check) come from the V each
  // step kept, folded many steps at once (foldLosses): on the default JS row that is 13 kernels a step fewer.

  /** dL_D/d(raw) from the critic's raw output on [real; fake; pad], the first n rows real and the last `pad` rows
   * padding (aliasingPad), whose gradient is zero; and V, from which criticLosses gives L_D = −F on the two batches
   * plus the output penalty where the row has one (see OUTPUT_PENALTY). */
  criticHead(raw: tf.Tensor2D, n: number, pad = 0): { v: tf.Tensor2D; grad: tf.Tensor2D; loss: () => tf.Scalar } {
    const { v, grad } = criticSlope(this.head, raw, n, pad, (rows) => this.zeroRows(rows, 1));
    return { v, grad, loss: () => tf.reshape(criticLosses(this.ops, [v], n, pad), []) as tf.Scalar };
  }

  /** [rows, cols] of zeros, made once per shape and kept: padding costs no fill kernel per step. */
  private zeroRows(rows: number, cols: number): tf.Tensor2D {
    const key = `${rows}x${cols}`;
    let t = this.zeros.get(key);
    if (!t) this.zeros.set(key, (t = tf.keep(tf.zeros([rows, cols]))));
    return t;
  }

  /** [real; fake], plus aliasingPad's zero rows when the stacked batch needs them; and how many. */
  private stacked(real: tf.Tensor2D, fake: tf.Tensor2D): { x: tf.Tensor2D; pad: number } {
    const pad = aliasingPad(real.shape[0] + fake.shape[0]);
    return { x: tf.concat(pad ? [real, fake, this.zeroRows(pad, 2)] : [real, fake], 0), pad };
  }

  /** `scale`·dL_G/d(raw) from the critic's raw output on n generated samples, L_G = −(1/n)·Σ objective(V); and V,
   * from which generatorLosses gives L_G. */
  generatorHead(raw: tf.Tensor2D, scale = 1): { v: tf.Tensor2D; grad: tf.Tensor2D; loss: () => tf.Scalar } {
    const n = raw.shape[0];
    const { v, slope } = this.objectiveSlope(raw);
    return { v, grad: tf.mul(slope, -scale / n) as tf.Tensor2D, loss: () => tf.reshape(generatorLosses(this.ops, this.config.generatorObjective, [v]), []) as tf.Scalar };
  }

  private objectiveSlope(raw: tf.Tensor2D): { v: tf.Tensor2D; slope: tf.Tensor2D } {
    return objectiveSlope(this.head, this.config.generatorObjective, raw);
  }

  // ---- updates (called inside step's tidy) ---------------------------------------------------------------------

  // Every update backpropagates by hand: through the elementwise head (shift, soft clip, g_f, f*) with the
  // catalogue's closed-form slopes, then through the networks (Mlp.backward). No update records an autodiff tape.

  private criticStep(real: tf.Tensor2D, fake: tf.Tensor2D): void {
    const { x, pad } = this.stacked(real, fake);
    const { out, trace } = this.critic.forward(x);
    const { v, grad } = this.criticHead(out, real.shape[0], pad);
    this.update(this.dOpt, this.critic.backward(trace, grad, { params: true, input: false }).grads);
    this.keepCritic(v);
  }

  /** The generator's step from G's forward pass on its noise batch: through the critic as it is now. */
  private generatorStep(g: { out: tf.Tensor2D; trace: MlpTrace }): void {
    const d = this.critic.forward(g.out);
    const { v, grad } = this.generatorHead(d.out);
    const { dInput } = this.critic.backward(d.trace, grad, { params: false, input: true });
    this.update(this.gOpt, this.generator.backward(g.trace, dInput!, { params: true, input: false }).grads);
    this.keepGenerator(v);
  }

  /** ∇x of the generator's per-sample objective at x: the direction each generated sample is pushed. */
  private objectiveGradient(x: tf.Tensor2D): tf.Tensor2D {
    const d = this.critic.forward(x);
    return this.critic.backward(d.trace, this.objectiveSlope(d.out).slope, { params: false, input: true }).dInput!;
  }

  /** The gradients of the single loss L = L_D(ω; sg(G_θ(z))) + λ·(L_G(θ, ω) − L_G(sg(θ), ω)) (single-loss.ts) on
   * this batch, from ONE forward pass of the critic over [real; G(z)] and ONE backward pass: the critic's parameter
   * gradient is ∇ω L_D on the whole stacked batch, and the generated rows' input gradient, λ·∇x L_G, flows on through
   * G to θ (Mlp.backwardTwoLosses). Each player gets exactly its gradient in the identity: ∇ω L_D and λ·∇θ L_G.
   * Also each head's V and its loss on demand. Public so that it can be checked against autodiff of the single
   * loss; call inside tf.tidy. */
  combinedGradients(real: tf.Tensor2D, z: tf.Tensor2D): {
    critic: tf.NamedTensorMap; generator: tf.NamedTensorMap;
    criticHead: { v: tf.Tensor2D; loss: () => tf.Scalar }; generatorHead: { v: tf.Tensor2D; loss: () => tf.Scalar };
  } {
    const n = real.shape[0];
    const g = this.generator.forward(z);
    const { x, pad } = this.stacked(real, g.out);
    const { out, trace } = this.critic.forward(x);
    const d = this.criticHead(out, n, pad);
    const gen = this.generatorHead(tf.slice(out, [n, 0], [g.out.shape[0], 1]), this.config.lambda);
    const { grads, dInput } = this.critic.backwardTwoLosses(trace, d.grad, gen.grad, n);
    const generator = this.generator.backward(g.trace, dInput, { params: true, input: false }).grads;
    return { critic: grads, generator, criticHead: d, generatorHead: gen };
  }

  private combinedStep(real: tf.Tensor2D, z: tf.Tensor2D): void {
    const { critic, generator, criticHead, generatorHead } = this.combinedGradients(real, z);
    // Each player's share goes to its own segment of the optimiser, with its own rate. With SGD at equal rates that
    // is one optimiser step on L. Under Adam a constant λ cancels up to ε: Adam divides each gradient by a running
    // estimate of its own size, so the step ratio is set by the two learning rates instead.
    const [c, g] = [this.clipped(critic), this.clipped(generator)];
    if (this.jointOpt) this.jointOpt.apply({ ...c, ...g });
    else {
      this.dOpt[0].apply(c);
      this.gOpt[0].apply(g);
    }
    this.keepCritic(criticHead.v);
    this.keepGenerator(generatorHead.v);
  }

  /** One player's update: optional global-norm clip, then its optimiser's step on its segment. */
  private update([opt, segment]: [FlatOptimizer, number], grads: tf.NamedTensorMap): void {
    opt.apply(this.clipped(grads), segment);
  }

  /** A player's gradients scaled to global norm at most config.gradClip (as they are when it is 0). */
  private clipped(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    const clip = this.config.gradClip;
    if (!(clip > 0)) return grads;
    const names = Object.keys(grads);
    const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
    const scale = tf.minimum(1, tf.div(clip, tf.add(norm, 1e-12)));
    return Object.fromEntries(names.map((k) => [k, tf.mul(grads[k], scale)]));
  }

  /** Keeps the V of a step's head (called inside step's tidy; the head made it there, so keeping it costs no kernel)
   * until the next fold. A breaking run's losses can hover just under the health check's limit and cross it only now
   * and then (KL with the critic on SGD at lr 1: a few hundred, with single steps past 1e3): the largest |loss| since
   * the last snapshot lets the check see every step, not only the one a snapshot happens to land on. */
  private keepCritic(v: tf.Tensor2D): void {
    this.recentCritic.push(tf.keep(v));
    if (this.recentCritic.length + this.recentGenerator.length >= FOLD_EVERY) this.foldLosses();
  }

  private keepGenerator(v: tf.Tensor2D): void {
    this.recentGenerator.push(tf.keep(v));
    if (this.recentCritic.length + this.recentGenerator.length >= FOLD_EVERY) this.foldLosses();
  }

  /** Every kept step's loss at once (a few kernels for up to FOLD_EVERY steps, where each step's own would cost a
   * dozen): the latest of each player's for the readouts, and the largest |loss| folded into the peak. */
  private foldLosses(): void {
    const critic = this.recentCritic, generator = this.recentGenerator;
    if (critic.length === 0 && generator.length === 0) return;
    let dLast: tf.Scalar | null = null, gLast: tf.Scalar | null = null, peak: tf.Scalar | null = null;
    tf.tidy(() => {
      const losses: tf.Tensor1D[] = [];
      if (critic.length) {
        // every critic batch is a real and a generated batch of batchSize rows, plus the padding
        const n = this.config.batchSize;
        const l = criticLosses(this.ops, critic, n, critic[0].shape[0] - 2 * n);
        losses.push(l);
        dLast = tf.keep(tf.reshape(tf.slice(l, critic.length - 1, 1), []) as tf.Scalar);
      }
      if (generator.length) {
        const l = generatorLosses(this.ops, this.config.generatorObjective, generator);
        losses.push(l);
        gLast = tf.keep(tf.reshape(tf.slice(l, generator.length - 1, 1), []) as tf.Scalar);
      }
      const m = tf.max(tf.abs(tf.concat(losses))) as tf.Scalar;
      peak = tf.keep(this.lossPeak && !this.peakRead ? tf.maximum(this.lossPeak, m) : m) as tf.Scalar;
    });
    if (dLast) { this.dLoss?.dispose(); this.dLoss = dLast; }
    if (gLast) { this.gLoss?.dispose(); this.gLoss = gLast; }
    this.lossPeak?.dispose();
    this.lossPeak = peak;
    this.peakRead = false;
    for (const v of critic) v.dispose();
    for (const v of generator) v.dispose();
    this.recentCritic = [];
    this.recentGenerator = [];
  }

  // ---- data ---------------------------------------------------------------------------------------------------

  private sampleReal(rng: Rng, n: number): tf.Tensor2D {
    // a fresh buffer each time: the cpu backend may keep the array we hand it as the tensor's storage
    return tf.tensor2d(this.target.sample(rng, n), [n, 2]);
  }

  private sampleNoise(rng: Rng, n: number): tf.Tensor2D {
    const d = this.config.noiseDim;
    const z = new Float32Array(n * d);
    if (this.config.noise === 'gaussian') for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    else for (let i = 0; i < z.length; i++) z[i] = 2 * rng.uniform() - 1;
    return tf.tensor2d(z, [n, d]);
  }

  /** Lines of a grid in noise space: lines of constant z₂ then of constant z₁ (one line for 1-D noise), spanning
   * the uniform box [−1, 1] or ±2 standard deviations. */
  private noiseGridInput(lines: number, points: number): { tensor: tf.Tensor2D; lines: number } {
    const r = this.config.noise === 'uniform' ? 1 : 2;
    const at = (i: number, m: number): number => (m === 1 ? 0 : -r + (2 * r * i) / (m - 1));
    if (this.config.noiseDim === 1) {
      return { tensor: tf.tensor2d(Float32Array.from({ length: points }, (_, j) => at(j, points)), [points, 1]), lines: 1 };
    }
    const z = new Float32Array(2 * lines * points * 2);
    let k = 0;
    for (let axis = 0; axis < 2; axis++) {
      for (let l = 0; l < lines; l++) {
        for (let j = 0; j < points; j++) {
          z[k + axis] = at(j, points);
          z[k + 1 - axis] = at(l, lines);
          k += 2;
        }
      }
    }
    return { tensor: tf.tensor2d(z, [2 * lines * points, 2]), lines: 2 * lines };
  }

  // ---- snapshot -----------------------------------------------------------------------------------------------

  async snapshot(opts: SnapshotOptions = {}): Promise<FganSnapshot> {
    this.foldLosses();
    const nS = opts.samples ?? 512, size = opts.fieldSize ?? 40, nB = opts.boundBatch ?? 512;
    const nLines = opts.noiseLines ?? 9, nPoints = opts.noisePoints ?? 33;
    const rng = new Rng(this.config.seed).stream(`snapshot:${this.steps}`);
    const box = this.target.bounds;
    const fieldGrid: Grid2D = { ...box, n: size };
    let gridLines = 0;
    const parts: [string, number][] = [];
    const flat = tf.tidy(() => {
      const nan = tf.scalar(NaN);
      // One pass of each network over everything it sees here (a snapshot's kernels are the worker's time too): G
      // over the drawn samples' noise, the bound's noise and the noise grid; the critic over the field's cell
      // centres and the bound's real and generated batches. The noise is drawn in the same order as before.
      const zS = this.sampleNoise(rng, nS);
      const real = this.sampleReal(rng, nB);
      const zB = this.sampleNoise(rng, nB);
      const ng = this.noiseGridInput(nLines, nPoints);
      gridLines = ng.lines;
      const [fakeS, fakeB, noiseGrid] = tf.split(this.generator.apply(tf.concat([zS, zB, ng.tensor])), [nS, nB, ng.tensor.shape[0]]);
      const objGrad = this.objectiveGradient(fakeS as tf.Tensor2D);
      const cells = new Float32Array(2 * size * size);
      for (let iy = 0; iy < size; iy++) {
        for (let ix = 0; ix < size; ix++) {
          cells[2 * (iy * size + ix)] = cellCentre(fieldGrid, ix, 'x');
          cells[2 * (iy * size + ix) + 1] = cellCentre(fieldGrid, iy, 'y');
        }
      }
      const [vField, vReal, vFake] = tf.split(this.v(tf.concat([tf.tensor2d(cells, [size * size, 2]), real, fakeB]) as tf.Tensor2D), [size * size, nB, nB]);
      const field = this.ops.activation(vField);
      const bound = tf.sub(tf.mean(this.ops.activation(vReal)), tf.mean(this.ops.conjOfActivation(vFake)));
      const tensors: [string, tf.Tensor][] = [
        ['dLoss', this.dLoss ?? nan], ['gLoss', this.gLoss ?? nan], ['lossPeak', this.lossPeak ?? nan], ['bound', bound],
        ['dWeights', this.critic.absSum()], ['gWeights', this.generator.absSum()],
        ['samples', fakeS], ['gradients', objGrad], ['field', field], ['noiseGrid', noiseGrid],
      ];
      for (const [name, t] of tensors) parts.push([name, t.size]);
      return tf.concat(tensors.map(([, t]) => tf.reshape(t, [-1])));
    });
    const data = (await flat.data()) as Float32Array;
    flat.dispose();
    const peakSeen = !this.peakRead;
    this.peakRead = true;
    const out: Record<string, Float32Array> = {};
    let o = 0;
    for (const [name, len] of parts) { out[name] = data.slice(o, o + len); o += len; }
    const scalar = (k: string): number => out[k][0];

    // weights first (a NaN weight makes every later number NaN), then the run-health verdicts on the losses
    const weights = [['critic weights', scalar('dWeights')], ['generator weights', scalar('gWeights')]] as const;
    const badWeights = weights.find(([, x]) => !Number.isFinite(x));
    const samples = out.samples;
    const finite = samples.every(Number.isFinite);
    if (!this.diverged) {
      this.diverged = badWeights
        ? `the ${badWeights[0]} are ${badWeights[1]} at step ${this.steps}: the numbers left the floating-point range`
        : this.health.check({
          step: this.steps, criticLoss: scalar('dLoss'), generatorLoss: scalar('gLoss'), bound: scalar('bound'),
          lossPeak: peakSeen ? scalar('lossPeak') : Number.NaN, inBox: finite ? shareInBox(samples, box) : 0,
        });
    }
    const trueDivergence = (opts.trueDivergence ?? true) && finite && !this.diverged
      ? this.trueDivergence(samples, opts.kdeSize ?? 96) : NaN;
    return {
      step: this.steps,
      status: this.diverged ? 'diverged' : 'ok',
      ...(this.diverged ? { reason: this.diverged } : {}),
      divergence: this.config.divergence,
      criticLoss: scalar('dLoss'), generatorLoss: scalar('gLoss'), bound: scalar('bound'), trueDivergence,
      samples, gradients: out.gradients,
      field: { size, bounds: { ...box }, values: out.field, threshold: this.ops.threshold },
      noiseGrid: { lines: gridLines, points: nPoints, data: out.noiseGrid },
      coverage: this.target.modes ? modeCoverage(samples, this.target.modes) : null,
    };
  }

  /** D_f(P ∗ K_h ‖ Q ∗ K_h) on an n×n grid over the target's box: the target's exact density smoothed by the same
   * Gaussian kernel as the KDE of the samples, so the KDE's blur does not count as divergence. h is on the target's
   * own scale (targetBandwidth in kde.ts); the grid is fine enough to resolve it. Independent of the critic. */
  trueDivergence(samples: ArrayLike<number>, n = 96): number {
    const g: Grid2D = { ...this.target.bounds, n };
    const { p, q } = smoothedPair(this.target.components, samples, g, targetBandwidth(this.target.components));
    return fDivergenceGrid(this.divergence, p, q, cellArea(g));
  }

  get stepCount(): number {
    return this.steps;
  }

  dispose(): void {
    for (const v of this.recentCritic) v.dispose();
    for (const v of this.recentGenerator) v.dispose();
    this.recentCritic = [];
    this.recentGenerator = [];
    this.dLoss?.dispose();
    this.gLoss?.dispose();
    this.lossPeak?.dispose();
    this.dLoss = this.gLoss = this.lossPeak = null;
    for (const t of this.zeros.values()) t.dispose();
    this.zeros.clear();
    this.gOpt[0].dispose();
    if (this.dOpt[0] !== this.gOpt[0]) this.dOpt[0].dispose();
    this.generator.dispose();
    this.critic.dispose();
  }
}

/** Heads' V kept (both players together) before they are folded into losses: a fold costs about 20 kernels. */
const FOLD_EVERY = 64;

/** Share of interleaved x,y samples inside the box. */
function shareInBox(samples: Float32Array, b: Bounds): number {
  let n = 0;
  for (let i = 0; i < samples.length; i += 2) {
    const x = samples[i], y = samples[i + 1];
    if (x >= b.xMin && x <= b.xMax && y >= b.yMin && y <= b.yMax) n++;
  }
  return samples.length ? n / (samples.length / 2) : 1;
}
