// <transformer-widen> in real Chromium: the scripting API (exact methods at rounding, a broken one located, training
// both wide models with the copy spread 0 without noise and > 1e-3 with split), the reader's controls by keyboard
// (factor slider, input digits, a method from the overview) and by mouse (a method row, Train and Pause), a bad
// attribute's inline message and recovery, and a failing backend that says so and recovers on another.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

interface Metrics {
  method: string; factor: number; symmetry: string; maxAbsDiff: number; perLayerMaxAbsDiff: number[];
  copySpread: number; loss: number; step: number; breaksAt: string; widenMs: number; backend: string | null; status: string;
}

const TAG = 'transformer-widen';
const metrics = (page: Page) => page.$eval(TAG, (el) => ({ ...(el as unknown as { metrics: Metrics }).metrics }));
const until = (page: Page, cond: string) =>
  page.waitForFunction((c) => {
    const m = (document.querySelector('transformer-widen') as unknown as { metrics?: Metrics })?.metrics;
    return m && 'maxAbsDiff' in m ? new Function('m', `return ${c}`)(m) : false;
  }, cond, { timeout: 60_000 });
const stepBy = (page: Page, n: number) =>
  page.$eval(TAG, async (el, n) => {
    await (el as unknown as { step(n: number): Promise<void> }).step(n);
    return { ...(el as unknown as { metrics: Metrics }).metrics };
  }, n);

async function open(hash = '', width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width, height: 1000 } });
  const watched = await openPage(context, `${env.url}/widgets/${TAG}.html${hash ? '#' + hash : ''}`);
  await watched.page.waitForFunction(() => document.querySelector('transformer-widen')?.shadowRoot?.querySelector('canvas'));
  return watched;
}

describe('<transformer-widen> scripting API', () => {
  it('su is exact, su-as-printed breaks at the first feed-forward; both wide models train; split spreads the copies', async () => {
    const { page, problems } = await open('backend=wasm');
    let m = await metrics(page);
    expect(m.method).toBe('su');
    expect(m.factor).toBe(2);
    expect(m.maxAbsDiff).toBeLessThan(1e-12);
    expect(m.perLayerMaxAbsDiff).toHaveLength(3);
    expect(m.breaksAt).toBe('none');
    expect(m.status).toBe('idle');
    expect(m.widenMs).toBeLessThan(1000);

    await page.$eval(TAG, (el) => el.setAttribute('method', 'su-as-printed'));
    await until(page, 'm.method === "su-as-printed"');
    m = await metrics(page);
    expect(m.maxAbsDiff).toBeGreaterThan(1e-2);
    expect(m.perLayerMaxAbsDiff[0]).toBeLessThan(1e-12);
    expect(m.breaksAt).toBe('block 1 feed-forward');

    await page.$eval(TAG, (el) => el.setAttribute('method', 'su'));
    m = await stepBy(page, 4);
    expect(m.step).toBe(4);
    expect(m.status).toBe('paused');
    expect(m.backend).toBe('wasm');
    expect(Number.isFinite(m.loss)).toBe(true);
    expect(m.copySpread).toBe(0);
    const readout = await page.$eval(TAG, (el) => el.shadowRoot?.querySelector('.readout')?.textContent ?? '');
    const [small, widened] = [...readout.matchAll(/(\d+\.\d+)/g)].map((x) => Number(x[1]));
    expect(Math.abs(small - widened)).toBeLessThan(1e-3); // the widened model starts where the small one ended

    await page.$eval(TAG, (el) => el.setAttribute('symmetry', 'split'));
    await until(page, 'm.symmetry === "split" && m.step === 0');
    m = await metrics(page);
    expect(m.maxAbsDiff).toBeLessThan(1e-12);
    m = await stepBy(page, 12);
    expect(m.copySpread).toBeGreaterThan(1e-3);

    await page.$eval(TAG, (el) => (el as unknown as { reset(): void }).reset());
    await until(page, 'm.step === 0');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<transformer-widen> by keyboard and mouse', () => {
  it('the factor slider, the input digits and a method from the overview answer the keyboard', async () => {
    const { page, problems } = await open();
    const slider = page.locator(`${TAG} [role="slider"]`).first();
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await until(page, 'm.factor === 3');
    expect((await metrics(page)).maxAbsDiff).toBeLessThan(1e-12);
    expect(await page.locator(`${TAG} .shape`).textContent()).toContain('d 16 → 48');

    const input = page.locator(`${TAG} input[type="text"]`);
    await input.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12345678');
    const wideRow = page.locator(`${TAG} .outputs tbody tr`).nth(2);
    await expect.poll(async () => (await wideRow.locator('.digit').allTextContents()).join('')).toBe('87654321');
    await page.keyboard.type('x');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect((await page.locator(`${TAG} .outputs tbody tr`).first().locator('td').allTextContents()).join('')).toBe('12345678');

    const tile = page.getByRole('button', { name: /^Show tile/ });
    await tile.focus();
    await page.keyboard.press('Enter');
    await until(page, 'm.method === "tile"');
    expect((await metrics(page)).breaksAt).toBe('block 1 attention');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a click on a method row shows it; Train and Pause run both wide models', async () => {
    const { page, problems } = await open('backend=wasm', 360);
    await page.getByRole('button', { name: /HyperCloning/ }).click();
    await until(page, 'm.method === "hypercloning"');
    const m = await metrics(page);
    expect(m.maxAbsDiff).toBeLessThan(1e-12);
    expect(await page.locator(`${TAG} .shape`).textContent()).toContain('4 heads of 8');
    await page.getByRole('button', { name: 'Train' }).click();
    await until(page, 'm.status === "training" && m.step > 2');
    await page.getByRole('button', { name: 'Pause' }).click();
    await until(page, 'm.status === "paused"');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator(TAG).screenshot({ path: screenshotPath('transformer-widen-360-trained') });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<transformer-widen> when something is wrong', () => {
  it('a bad attribute shows the inline message; a good one brings the figure back', async () => {
    const { page, problems } = await open();
    await page.$eval(TAG, (el) => el.setAttribute('factor', '9'));
    await page.waitForFunction(() => document.querySelector('transformer-widen')?.shadowRoot?.querySelector('[role="alert"]'));
    const alert = await page.$eval(TAG, (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(alert).toContain('factor="9" is not valid');
    expect(alert).toContain('an integer from 1 to 4');
    await page.$eval(TAG, (el) => el.setAttribute('factor', '4'));
    await until(page, 'm.factor === 4');
    expect((await metrics(page)).maxAbsDiff).toBeLessThan(1e-12);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a run whose worker fails says so, keeps the comparison, and recovers on the cpu backend', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } });
    // the first worker the page starts dies at once, as a worker whose script cannot load would
    await context.addInitScript(() => {
      const Native = window.Worker;
      let failures = 1;
      window.Worker = class extends Native {
        constructor(url: string | URL, options?: WorkerOptions) {
          const broken = failures-- > 0;
          super(broken ? URL.createObjectURL(new Blob(['throw new Error("worker failed on purpose")'], { type: 'text/javascript' })) : url, broken ? { type: 'module' } : options);
        }
      };
    });
    const { page, problems } = await openPage(context, `${env.url}/widgets/${TAG}.html#backend=wasm`);
    await page.waitForFunction(() => document.querySelector('transformer-widen')?.shadowRoot?.querySelector('canvas'));
    await page.$eval(TAG, (el) => (el as unknown as { play(): void }).play());
    await until(page, 'm.status === "error"');
    const alert = await page.$eval(TAG, (el) => el.shadowRoot?.querySelector('.training [role="alert"]')?.textContent ?? '');
    expect(alert).toContain('Training stopped');
    expect((await metrics(page)).maxAbsDiff).toBeLessThan(1e-12); // the comparison does not need the worker
    await page.getByRole('button', { name: 'Switch to the cpu backend' }).click();
    await until(page, 'm.status !== "error"');
    const m = await stepBy(page, 2);
    expect(m.status).toBe('paused');
    expect(m.step).toBe(2);
    expect(m.backend).toBe('cpu');
    // the worker's own failure is reported on the console by Chromium; nothing else may be
    expect(problems.filter((p) => !/failed on purpose/.test(p))).toEqual([]);
    await context.close();
  });
});
