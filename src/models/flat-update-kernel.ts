// A whole optimiser update as ONE tfjs kernel, for the backends whose tensor memory JavaScript can read and write
// directly: cpu (Float32Arrays) and wasm (views of the module's heap). Written as tf ops, Adam over a
// flat vector is 26 kernels per network (concatenate the gradients, 12 elementwise ops, split, and a reshape and a
// subtraction per variable); at the toy GAN's size each launch costs more than its arithmetic (about 3 µs on wasm
// against a few ns per element for 1,200 elements), so this is a third of a training step's launches. The loop
// rounds every intermediate to float32 in the order the op chain computes it (Math.fround after each +, ×, ÷, √,
// all correctly rounded in float64 first), so it returns the chain's numbers to the bit; the op chain stays in
// flat-optimizer.ts for WebGL, where a kernel cannot be JavaScript. Same idea as the fused optimiser kernels of
// PyTorch (torch.optim's `fused=True`) and of apex (https://github.com/NVIDIA/apex).
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKind } from './fgan-config.ts';

export const FLAT_UPDATE = 'FlatOptimizerUpdate';

/** Adam's and RMSprop's constants, shared with the op chain (flat-optimizer.ts). Adam's β1 = 0.5 is the usual GAN
 * setting (Radford et al. 2015, https://arxiv.org/abs/1511.06434); 0.9 carries stale momentum around the min-max
 * cycle. */
export const ADAM = { beta1: 0.5, beta2: 0.999, epsilon: 1e-7 } as const;
export const RMSPROP = { decay: 0.9, epsilon: 1e-7 } as const;

/** One variable's part of an update: where it sits in the flat moment vectors, and its segment's step factors. */
export interface FlatUpdateVariable {
  offset: number;
  /** Adam: lr / (1 − β1^t); RMSprop and SGD: lr */
  scale: number;
  /** Adam: 1 − β2^t (unused otherwise) */
  c2: number;
}

/** Updates one variable's values and its slice of the moment vectors, writing to `out` and `slotsOut`. */
function updateVariable(kind: OptimizerKind, x: FlatUpdateVariable, v: Float32Array, g: Float32Array,
  out: Float32Array, slots: Float32Array[], slotsOut: Float32Array[]): void {
  const f = Math.fround;
  const scale = f(x.scale);
  const n = v.length, o = x.offset;
  if (kind === 'sgd') {
    for (let i = 0; i < n; i++) out[i] = v[i] - f(g[i] * scale);
    return;
  }
  if (kind === 'rmsprop') {
    const [ms] = slots, [msOut] = slotsOut;
    const decay = f(RMSPROP.decay), rest = f(1 - RMSPROP.decay), eps = f(RMSPROP.epsilon);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const m1 = f(f(ms[o + i] * decay) + f(f(gi * gi) * rest));
      msOut[o + i] = m1;
      out[i] = v[i] - f(f(gi / f(Math.sqrt(f(m1 + eps)))) * scale);
    }
    return;
  }
  const [m, s] = slots, [mOut, sOut] = slotsOut;
  const b1 = f(ADAM.beta1), r1 = f(1 - ADAM.beta1), b2 = f(ADAM.beta2), r2 = f(1 - ADAM.beta2), eps = f(ADAM.epsilon);
  const c2 = f(x.c2);
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const m1 = f(f(m[o + i] * b1) + f(gi * r1));
    const s1 = f(f(s[o + i] * b2) + f(f(gi * gi) * r2));
    mOut[o + i] = m1;
    sOut[o + i] = s1;
    out[i] = v[i] - f(f(m1 / f(f(Math.sqrt(f(s1 / c2))) + eps)) * scale);
  }
}

interface Attrs {
  kind: OptimizerKind;
  variables: FlatUpdateVariable[];
}

/** How a backend's tensors are read and made: `view` is called only after every output exists, because making an
 * output can grow the wasm heap, which detaches the views taken before. */
interface Memory {
  make(shape: number[]): tf.TensorInfo;
  view(t: tf.TensorInfo): Float32Array;
}

function run(inputs: tf.NamedTensorInfoMap, attrs: Attrs, memory: Memory): tf.TensorInfo[] {
  const { kind, variables } = attrs;
  const slotCount = kind === 'adam' ? 2 : kind === 'rmsprop' ? 1 : 0;
  const input = (name: string): tf.TensorInfo => {
    const t = inputs[name];
    if (!t) throw new Error(`${FLAT_UPDATE}: no input ${name}`);
    return t;
  };
  const slotsIn = Array.from({ length: slotCount }, (_, j) => input(`slot${j}`));
  const valuesIn = variables.map((_, i) => input(`v${i}`));
  const outputs = [...valuesIn, ...slotsIn].map((t) => memory.make(t.shape));
  const out = outputs.map((t) => memory.view(t));
  const slots = slotsIn.map((t) => memory.view(t));
  const slotsOut = out.slice(variables.length);
  // a lone segment's update leaves the other segments' moments as they were
  slotsOut.forEach((s, j) => s.set(slots[j]));
  variables.forEach((x, i) =>
    updateVariable(kind, x, memory.view(valuesIn[i]), memory.view(input(`g${i}`)), out[i], slots, slotsOut));
  return outputs;
}

interface CpuBackend { makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo; readSync(id: tf.DataId): unknown }
interface WasmBackend { makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): unknown }

const memories: Record<string, (backend: unknown) => Memory> = {
  cpu: (backend) => {
    const b = backend as CpuBackend;
    return {
      make: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((n, d) => n * d, 1))),
      view: (t) => b.readSync(t.dataId) as Float32Array,
    };
  },
  wasm: (backend) => {
    const b = backend as WasmBackend;
    return { make: (shape) => b.makeOutput(shape, 'float32'), view: (t) => b.typedArrayFromHeap(t) as Float32Array };
  },
};

for (const [backendName, memory] of Object.entries(memories)) {
  // a second copy of this module (tests, hot reload) finds the kernel already there
  if (tf.getKernel(FLAT_UPDATE, backendName)) continue;
  tf.registerKernel({
    kernelName: FLAT_UPDATE,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => run(inputs, attrs as unknown as Attrs, memory(backend)),
  });
}

/** Whether the active backend has the one-kernel update. */
export function hasFlatUpdateKernel(): boolean {
  return tf.getKernel(FLAT_UPDATE, tf.getBackend()) !== undefined;
}

/** Runs the one-kernel update: new values for `vars` (in order) and for the moment vectors `slots`. */
export function flatUpdate(kind: OptimizerKind, vars: tf.Tensor[], grads: tf.Tensor[], slots: tf.Tensor[],
  variables: FlatUpdateVariable[]): tf.Tensor[] {
  const inputs: tf.NamedTensorMap = {};
  vars.forEach((v, i) => { inputs[`v${i}`] = v; inputs[`g${i}`] = grads[i]; });
  slots.forEach((s, j) => { inputs[`slot${j}`] = s; });
  const attrs = { kind, variables } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(FLAT_UPDATE, inputs, attrs) as tf.Tensor[];
}
