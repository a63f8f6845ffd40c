// Main-thread naive GAN loop for the benchmark; exposes window.__baseline = { steps, backend } as it runs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'; // also registers the wasm backend
import { createRng } from '../../../src/math/rng.ts';
import { getTarget } from '../../../src/math/targets.ts';

const BATCH = 256;
const WIDTH = 32;

function mlp(sizes: number[]): tf.Variable[] {
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    vars.push(tf.variable(tf.randomNormal([sizes[i], sizes[i + 1]], 0, Math.sqrt(2 / sizes[i]))));
    vars.push(tf.variable(tf.zeros([sizes[i + 1]])));
  }
  return vars;
}

function apply(vars: tf.Variable[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (let i = 0; i < vars.length; i += 2) {
    h = tf.add(tf.matMul(h as tf.Tensor2D, vars[i] as tf.Tensor2D), vars[i + 1]);
    if (i + 2 < vars.length) h = tf.leakyRelu(h, 0.2);
  }
  return h;
}

async function main() {
  const backend = new URLSearchParams(location.search).get('backend') ?? 'cpu';
  setWasmPaths(new URL('/wasm/', location.href).href);
  await tf.setBackend(backend);
  await tf.ready();
  const target = getTarget('ring');
  const rng = createRng(1);
  const g = mlp([2, WIDTH, WIDTH, 2]);
  const d = mlp([2, WIDTH, WIDTH, 1]);
  const gOpt = tf.train.adam(1e-3, 0.5);
  const dOpt = tf.train.adam(1e-3, 0.5);
  const state = { steps: 0, backend: tf.getBackend(), frames: 0 };
  (window as unknown as { __baseline: typeof state }).__baseline = state;
  const ctx = (document.getElementById('view') as HTMLCanvasElement).getContext('2d')!;

  const step = () => {
    const real = tf.tensor2d(target.sample(rng, BATCH), [BATCH, 2]);
    const z = tf.randomNormal([BATCH, 2]);
    // GAN loss (the `gan` row): critic maximises E_P[log σ(V)] + E_Q[log(1 − σ(V))]
    const dLoss = dOpt.minimize(() => tf.tidy(() => {
      const vr = apply(d, real);
      const vf = apply(d, apply(g, z));
      return tf.add(tf.mean(tf.softplus(tf.neg(vr))), tf.mean(tf.softplus(vf))) as tf.Scalar;
    }), true, d)!;
    const gLoss = gOpt.minimize(() => tf.tidy(() => tf.mean(tf.softplus(tf.neg(apply(d, apply(g, z))))) as tf.Scalar), true, g)!;
    // GAN Lab reads its losses back every step: a blocking read that waits for the backend to finish.
    dLoss.dataSync();
    gLoss.dataSync();
    tf.dispose([real, z, dLoss, gLoss]);
    state.steps++;
  };

  const frame = () => {
    const start = performance.now();
    while (performance.now() - start < 14) step();
    const samples = tf.tidy(() => apply(g, tf.randomNormal([512, 2])));
    const xy = samples.dataSync();
    samples.dispose();
    ctx.clearRect(0, 0, 400, 400);
    ctx.fillStyle = '#8e44ad';
    for (let i = 0; i < xy.length; i += 2) ctx.fillRect(200 + xy[i] * 60, 200 - xy[i + 1] * 60, 2, 2);
    state.frames++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

void main();
