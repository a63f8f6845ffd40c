// The f-GAN trainer's step alone for `npm run bench`: <fgan-lab>'s default configuration, alternating and single-loss,
// on the backend of ?backend= (cpu or wasm: both run a step synchronously, so a step's time is the time step()
// takes). Per scheme: the kernels one step launches (tf.profile) and the time per step, the two schemes timed in
// turns so that a load that comes and goes falls on both. Exposes window.__trainer once done.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'; // also registers the wasm backend
import { FganTrainer } from '../../../src/models/fgan.ts';
import { TRAINING_MODES, type TrainingMode } from '../../../src/models/fgan-options.ts';

export interface TrainerFigures {
  backend: string;
  schemes: { mode: TrainingMode; kernels: number; msPerStep: number }[];
}

async function main() {
  const params = new URLSearchParams(location.search);
  setWasmPaths(new URL('/wasm/', location.href).href);
  await tf.setBackend(params.get('backend') ?? 'wasm');
  await tf.ready();
  const rounds = Number(params.get('rounds') ?? 7);
  const trainers = TRAINING_MODES.map((mode) => ({ mode, t: new FganTrainer({ mode }), times: [] as number[], kernels: 0 }));
  for (const s of trainers) {
    s.t.step(30);
    s.kernels = (await tf.profile(() => s.t.step(1))).kernels.length;
  }
  // steps per timing: about 300 ms each on this backend
  const probe = performance.now();
  trainers[0].t.step(5);
  const n = Math.max(5, Math.round(300 / ((performance.now() - probe) / 5)));
  for (let r = 0; r < rounds; r++) {
    for (const s of trainers) {
      const start = performance.now();
      s.t.step(n);
      s.times.push((performance.now() - start) / n);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const figures: TrainerFigures = {
    backend: tf.getBackend(),
    schemes: trainers.map((s) => ({ mode: s.mode, kernels: s.kernels, msPerStep: median(s.times) })),
  };
  for (const s of trainers) s.t.dispose();
  (window as unknown as { __trainer: TrainerFigures }).__trainer = figures;
}

void main();
