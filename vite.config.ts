// One Vite build makes the static site (every HTML page under src/site) and the embed module
// dist/embed/explorables.js. base './' keeps every URL relative, so dist/ works from any folder and the embed
// module finds its lazily loaded chunks next to itself, whatever page imports it.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig } from 'vite';
import { writeStandalonePages } from './src/site/build/catalog-html.ts';
import { katexHtml } from './src/site/build/katex-html.ts';
import { partials } from './src/site/build/partials.ts';
import { wasmAssets } from './src/site/build/wasm-assets.ts';

const root = resolve(import.meta.dirname, 'src/site');
const publicDir = resolve(import.meta.dirname, 'public');

// one standalone page per widget of the catalogue, written before the pages are listed
writeStandalonePages(root);

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'build' || name === 'partials' ? [] : htmlPages(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

const input: Record<string, string> = Object.fromEntries(
  htmlPages(root).map((p) => [relative(root, p).replace(/\.html$/, ''), p]),
);
input['explorables'] = resolve(import.meta.dirname, 'widgets/explorables.ts');

export default defineConfig({
  root,
  base: './',
  publicDir,
  plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }), partials(root), katexHtml(), wasmAssets(publicDir)],
  server: { fs: { allow: [import.meta.dirname] } },
  worker: { format: 'es' },
  // tfjs is imported only inside the worker; pre-bundle it up front so the dev server never reloads on first use.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu',
    ],
  },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input,
      // The embed entry keeps a stable, documented name; everything else is content-hashed.
      output: { entryFileNames: (chunk) => (chunk.name === 'explorables' ? 'embed/explorables.js' : 'assets/[name]-[hash].js') },
      preserveEntrySignatures: 'exports-only',
    },
  },
});
