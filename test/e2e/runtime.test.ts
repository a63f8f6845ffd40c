// The tfjs runtime in real headless Chromium, against the production build (run `npx vite build` first):
// the diagnostics page starts the worker on webgl, wasm and cpu; each reports that backend running and the same
// probe numbers (to 1e-5); a forced webgl failure falls back and says why; the page logs no errors. A second
// server on another origin (with CORS) serves the same build, to prove the blob: worker wrapper works when the
// runtime's module is loaded cross-origin, as in an embed.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticsRow } from '../../src/site/diagnostics.ts';
import { DIST, launch, openPage, serve } from './harness.ts';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** dist/ on another port (so another origin), with CORS headers like a CDN would send. */
async function serveCrossOrigin(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const file = normalize(join(DIST, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404, headers).end();
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  // close() alone waits for every open connection, and a page that is still open keeps its own: end them, so that a
  // failed assertion is reported as itself instead of as the test's timeout
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => { server.close(() => ok()); server.closeAllConnections(); }) };
}

function expectProbesAgree(rows: DiagnosticsRow[]) {
  const [first, ...rest] = rows.map((r) => r.probe!);
  for (const p of rest) {
    expect(p.matmul).toHaveLength(16);
    expect(p.softmax).toHaveLength(16);
    p.matmul.forEach((v, i) => expect(Math.abs(v - first.matmul[i])).toBeLessThan(1e-5));
    p.softmax.forEach((v, i) => expect(Math.abs(v - first.softmax[i])).toBeLessThan(1e-5));
    expect(Math.abs(p.sum - first.sum)).toBeLessThan(1e-5);
  }
}

describe('runtime in Chromium', () => {
  let site: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;

  beforeAll(async () => {
    site = await serve();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('starts webgl, wasm and cpu, agrees on the probe, and reports a forced fallback', async () => {
    const { page, problems } = await openPage(browser, `${site.url}/diagnostics.html#autorun`);
    expect(await page.title()).toBe('Backends · 计算后端');
    await page.waitForFunction(() => window.__diagnostics !== undefined);
    const rows = await page.evaluate(() => window.__diagnostics!);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    for (const b of ['webgl', 'wasm', 'cpu'] as const) {
      const r = byKey[b];
      expect(r.error, `${b}: ${r.error}`).toBeNull();
      expect(r.initialised).toBe(true);
      expect(r.backend).toBe(b);
      expect(r.fallbackReason).toBeNull();
      expect(r.probe?.backend).toBe(b);
      expect(r.tfVersion).toMatch(/^4\./);
      expect(r.bench!.msPerStep).toBeGreaterThan(0);
      expect(Number.isFinite(r.bench!.loss)).toBe(true);
      expect(r.tensorsLeft).toBe(0);
      expect(r.crossOrigin).toBe(false);
    }
    expectProbesAgree([byKey.webgl, byKey.wasm, byKey.cpu]);
    const fb = byKey.fallback;
    expect(fb.initialised).toBe(true);
    expect(fb.backend).not.toBe('webgl');
    expect(fb.fallbackReason).toMatch(/webgl failed to initialise .*failBackends.*fell back to (wasm|cpu)/);
    expect(byKey.auto.backend).toMatch(/^(webgl|wasm|cpu)$/);
    expect(Object.keys(byKey.auto.autoTimings ?? {}).length).toBeGreaterThan(0);
    // The table shows a row per run.
    expect(await page.locator('#diagnostics tbody tr').count()).toBe(rows.length);
    console.log(
      rows.map((r) => `${r.label}: ${r.backend} init ${r.initMs?.toFixed(0)} ms, warm-up ${r.bench?.warmupMs.toFixed(1)} ms, ` +
        `${r.bench?.msPerStep.toFixed(2)} ms/step${r.autoTimings ? ` auto ${JSON.stringify(r.autoTimings)}` : ''}`).join('\n'),
    );
    expect(problems).toEqual([]);
  });

  // One retry: CI once saw this page wait 120 s for a cross-origin worker that never answered, which no run here
  // reproduces (dozens, idle and under load). Every call is now bounded (20 s), so a silent worker becomes a row
  // whose error names the call; the rows are logged before the assertions so the CI log says what went silent.
  it('starts the worker through a blob: wrapper when the runtime is loaded from another origin', { retry: 1 }, async () => {
    const other = await serveCrossOrigin();
    try {
      const entry = /src="\.\/(assets\/diagnostics-[\w-]+\.js)"/.exec(readFileSync(join(DIST, 'diagnostics.html'), 'utf8'))?.[1];
      expect(entry).toBeTruthy();
      const { page, problems } = await openPage(browser, `${site.url}/diagnostics.html`);
      // A string, not a function: Vitest would rewrite a function's import() for Node.
      const rows = (await page.evaluate(
        `(async () => { location.hash = 'autorun&runs=cpu,wasm'; await import(${JSON.stringify(`${other.url}/${entry}`)}); return window.__diagnostics; })()`,
      )) as DiagnosticsRow[];
      console.log(rows.map((r) => `${r.label} from ${r.workerUrl}: ${r.error ?? `${r.backend}, init ${r.initMs?.toFixed(0)} ms`}`).join('\n'));
      expect(rows.map((r) => r.backend)).toEqual(['wasm', 'cpu']);
      for (const r of rows) {
        expect(r.error).toBeNull();
        expect(r.crossOrigin).toBe(true);
        expect(r.workerUrl?.startsWith(other.url)).toBe(true);
      }
      expectProbesAgree(rows);
      expect(problems).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
