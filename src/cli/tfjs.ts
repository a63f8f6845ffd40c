// TensorFlow.js for headless experiments in Node, on the wasm backend (several times faster than tfjs's plain-JS cpu
// backend, and offline: the .wasm binaries ship inside @tensorflow/tfjs-backend-wasm) or on cpu. tfjs-node is not
// used: it downloads a native library at install time. PROD mode silences tfjs's "install tfjs-node" banner.
// Node cannot load tfjs-core's gradient registrations as they ship (ES modules with extensionless imports, only
// reachable through a bundler), so a small resolve hook is registered first and tfjs is imported dynamically after.
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';

const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** Resolves tfjs-core's extensionless relative imports (`./gradients/Abs_grad`, `./ops/ops`) inside its dist/ tree
 * to files, as a bundler would; every other specifier passes through unchanged. */
const HOOK = `
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL || '';
  if (specifier.startsWith('.') && parent.includes('/@tensorflow/tfjs-core/dist/') && !/\\.[cm]?js$/.test(specifier)) {
    const url = new URL(specifier, parent);
    const path = fileURLToPath(url);
    if (existsSync(path + '.js')) return next(url.href + '.js', context);
    if (existsSync(path) && statSync(path).isDirectory()) return next(url.href + '/index.js', context);
  }
  return next(specifier, context);
}`;

let hooked = false;

export async function loadTf(backend: NodeBackend): Promise<typeof import('@tensorflow/tfjs-core')> {
  if (!hooked) {
    register('data:text/javascript,' + encodeURIComponent(HOOK));
    hooked = true;
  }
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the tfjs ${backend} backend did not start`);
  await tf.ready();
  return tf;
}
