// The URL of the bundled worker (src/worker.ts). Vite's `?worker&url` import builds the worker as its own ES chunk
// (dist/assets/worker-[hash].js) and yields its URL: in the build an absolute URL computed from this chunk's
// import.meta.url, in dev a root-relative path (/@fs/…/worker.ts?worker_file&type=module) that is resolved against
// import.meta.url, i.e. the dev server.
import workerAssetUrl from './worker.ts?worker&url';

export function workerUrl(): string {
  return new URL(workerAssetUrl, import.meta.url).href;
}
