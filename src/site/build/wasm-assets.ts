// Vite plugin: copies the tfjs wasm binaries into public/wasm so they are served in dev and shipped in dist/
// (the wasm backend fetches them at run time; setWasmPaths points at this folder).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export function wasmAssets(publicDir: string): Plugin {
  const copy = () => {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    const out = join(publicDir, 'wasm');
    mkdirSync(out, { recursive: true });
    for (const f of readdirSync(dist)) if (f.endsWith('.wasm')) copyFileSync(join(dist, f), join(out, f));
  };
  return { name: 'wasm-assets', buildStart: copy, configureServer: copy };
}
