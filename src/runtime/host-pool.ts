// Widgets on one page share workers: one per backend choice, started on first use and terminated when the last
// widget using it lets go. Four GAN labs on a page then hold one WebGL context between them, not four, and tfjs
// starts once. A worker that failed to start is not kept, so the next acquire tries again.
import type { BackendChoice } from './protocol.ts';
import { WorkerHost, type StartOptions } from './worker-host.ts';

interface Entry {
  host: Promise<WorkerHost>;
  users: number;
}

const pool = new Map<string, Entry>();

export interface Lease {
  host: WorkerHost;
  release(): void;
}

export async function acquireHost(backend: BackendChoice, options: Omit<StartOptions, 'backend'> = {}): Promise<Lease> {
  const key = JSON.stringify([backend, options.failBackends ?? []]);
  let entry = pool.get(key);
  if (!entry || (await entry.host.then((h) => h.terminated, () => true))) {
    entry = { host: WorkerHost.start({ ...options, backend }), users: 0 };
    pool.set(key, entry);
    entry.host.catch(() => pool.delete(key));
  }
  const current = entry;
  current.users++;
  let released = false;
  const host = await current.host.catch((err) => {
    current.users--;
    throw err;
  });
  return {
    host,
    release() {
      if (released) return;
      released = true;
      if (--current.users === 0 && pool.get(key) === current) {
        pool.delete(key);
        host.terminate();
      }
    },
  };
}
