// Diagnostics page ("Backends"): starts the worker on webgl, wasm and cpu in turn (plus 'auto' and a forced webgl
// failure), shows what actually runs, the probe numbers and benchmark timings, and exposes the results as
// window.__diagnostics (a promise of DiagnosticsRow[]) for the e2e test. Hash options: `autorun` runs on load;
// `runs=cpu,fallback` keeps only those runs (keys: webgl, wasm, cpu, fallback, auto) — the e2e test uses it when
// it loads this chunk from another origin to exercise the blob: worker wrapper.
import { WorkerHost, withTimeout, type BackendChoice, type BackendName, type BenchResult, type ProbeResult } from '../runtime/index.ts';
import { workerUrl } from '../worker-url.ts';

export interface DiagnosticsRow {
  key: string;
  label: string;
  requested: BackendChoice;
  failBackends: BackendName[];
  initialised: boolean;
  backend: BackendName | null;
  fallbackReason: string | null;
  tfVersion: string | null;
  initMs: number | null;
  autoTimings: Partial<Record<BackendName, number>> | null;
  probe: ProbeResult | null;
  bench: BenchResult | null;
  tensorsLeft: number | null;
  /** The worker script was on another origin and started through a blob: wrapper. */
  crossOrigin: boolean;
  workerUrl: string | null;
  error: string | null;
}

declare global {
  interface Window {
    __diagnostics?: Promise<DiagnosticsRow[]>;
  }
}

const RUNS: { key: string; label: string; backend: BackendChoice; failBackends?: BackendName[] }[] = [
  { key: 'webgl', label: 'webgl', backend: 'webgl' },
  { key: 'wasm', label: 'wasm', backend: 'wasm' },
  { key: 'cpu', label: 'cpu', backend: 'cpu' },
  { key: 'fallback', label: 'webgl, forced to fail', backend: 'webgl', failBackends: ['webgl'] },
  { key: 'auto', label: 'auto', backend: 'auto' },
];

// A worker that never answers must become a row with an error naming the call, not a page that waits forever: the
// table (and the e2e test reading it) then says which step of which backend went silent.
const CALL_LIMIT_MS = 20_000;
const answered = <T>(what: string, call: Promise<T>): Promise<T> =>
  withTimeout(call, CALL_LIMIT_MS, `${what} did not answer within ${CALL_LIMIT_MS / 1000} s`);

async function runOne(run: (typeof RUNS)[number]): Promise<DiagnosticsRow> {
  const row: DiagnosticsRow = {
    key: run.key, label: run.label, requested: run.backend, failBackends: run.failBackends ?? [], initialised: false, backend: null,
    fallbackReason: null, tfVersion: null, initMs: null, autoTimings: null, probe: null, bench: null, tensorsLeft: null,
    crossOrigin: false, workerUrl: null, error: null,
  };
  let host: WorkerHost | null = null;
  try {
    // storage: null so 'auto' always benchmarks here instead of reusing the session's cached choice.
    host = await WorkerHost.start({
      backend: run.backend, failBackends: row.failBackends, storage: null, workerUrl: workerUrl(), timeoutMs: CALL_LIMIT_MS,
    });
    row.initialised = true;
    row.backend = host.backend;
    row.fallbackReason = host.fallbackReason;
    row.tfVersion = host.info.tfVersion;
    row.initMs = host.info.initMs;
    row.crossOrigin = host.crossOrigin;
    row.workerUrl = host.workerUrl;
    if (run.backend === 'auto') row.autoTimings = host.info.autoTimings;
    row.probe = await answered('probe', host.call('probe'));
    row.bench = await answered('bench', host.call('bench', { steps: 20, warmup: 3 }));
    row.tensorsLeft = (await answered('memory', host.call('memory'))).numTensors;
  } catch (e) {
    row.error = e instanceof Error ? e.message : String(e);
  } finally {
    host?.terminate();
  }
  return row;
}

const fmt = (x: number | null | undefined, digits = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(digits));

function render(tbody: HTMLElement, row: DiagnosticsRow) {
  const tr = document.createElement('tr');
  const cell = (text: string, cls = '') => {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
  };
  const auto = row.autoTimings && Object.entries(row.autoTimings).map(([b, ms]) => `${b} ${fmt(ms)} ms/step`).join(', ');
  cell(row.label);
  cell(row.initialised ? 'yes' : 'no', row.initialised ? 'ok' : 'bad');
  cell(row.backend ?? '—');
  cell(row.tfVersion ?? '—');
  cell(fmt(row.initMs, 0), 'num');
  cell(fmt(row.probe?.sum, 6), 'num');
  cell(row.probe ? row.probe.matmul.slice(0, 4).map((v) => v.toFixed(4)).join(', ') : '—');
  cell(fmt(row.bench?.warmupMs, 1), 'num');
  cell(fmt(row.bench?.msPerStep), 'num');
  cell(row.tensorsLeft == null ? '—' : String(row.tensorsLeft), 'num');
  cell([row.fallbackReason, auto ? `auto timings: ${auto}` : null, row.error].filter(Boolean).join(' · '), row.error ? 'note bad' : 'note');
  tbody.append(tr);
}

function selectedRuns(): typeof RUNS {
  const only = /(?:^#|&)runs=([\w,-]+)/.exec(location.hash)?.[1]?.split(',');
  return only ? RUNS.filter((r) => only.includes(r.key)) : RUNS;
}

async function runAll(tbody: HTMLElement | null, status: HTMLElement | null): Promise<DiagnosticsRow[]> {
  const rows: DiagnosticsRow[] = [];
  tbody?.replaceChildren();
  for (const run of selectedRuns()) {
    if (status) status.textContent = `Running ${run.label}…`;
    const row = await runOne(run);
    rows.push(row);
    if (tbody) render(tbody, row);
  }
  if (status) status.textContent = 'Done.';
  return rows;
}

const table = typeof document === 'undefined' ? null : document.getElementById('diagnostics');
if (table) {
  const tbody = table.querySelector('tbody')!;
  const status = document.getElementById('status');
  const button = document.getElementById('run') as HTMLButtonElement;
  const start = () => {
    if (button.disabled) return window.__diagnostics!;
    button.disabled = true;
    window.__diagnostics = runAll(tbody, status).finally(() => (button.disabled = false));
    return window.__diagnostics;
  };
  button.addEventListener('click', () => void start());
  if (location.hash.includes('autorun')) void start();
}
