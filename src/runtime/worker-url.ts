// Where the tfjs .wasm binaries live, and how to start a worker across origins (the worker script's own URL comes
// from the layer above: src/worker-url.ts). Wasm folder: public/wasm is served at <site root>/wasm/. In the build this module is bundled into a
// chunk one folder below the site root (dist/assets/ or dist/embed/), so '../wasm/' from import.meta.url is right
// on any page and any origin; in dev, import.meta.url is /@fs/… so we use the server root instead.
// Cross-origin: a page on origin A cannot `new Worker(url on B)`, so then we start a same-origin blob: module whose
// only line imports the real worker from B (B must send CORS headers, as it must for the embed module anyway).
export function defaultWasmPath(): string {
  const rel = import.meta.env.DEV ? '/wasm/' : '../wasm/';
  return new URL(/* @vite-ignore */ rel, import.meta.url).href;
}

export interface SpawnedWorker {
  worker: Worker;
  /** True when the blob: wrapper was used (worker script on another origin). */
  wrapped: boolean;
  /** Release the blob URL, if any (call once the worker has answered or failed). */
  release(): void;
}

export function spawnModuleWorker(url: string, name = 'explorables-tfjs'): SpawnedWorker {
  const abs = new URL(url, location.href);
  if (abs.origin === location.origin) return { worker: new Worker(abs, { type: 'module', name }), wrapped: false, release() {} };
  const blob = new Blob([`import ${JSON.stringify(abs.href)};\n`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(blob);
  let released = false;
  return {
    worker: new Worker(blobUrl, { type: 'module', name }),
    wrapped: true,
    release() {
      if (!released) URL.revokeObjectURL(blobUrl);
      released = true;
    },
  };
}
