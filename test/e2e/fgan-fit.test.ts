// <fgan-fit> in real Chromium: the exact side (KL's minimum is the mixture's moments; reverse KL's local minimum),
// a whole default run landing within 0.1 of the exact optimum and filling its row of the table, the reader's keyboard
// (a mixture slider moves the exact fit and starts a new run; the paper's-mixture button brings it back), the mouse (a
// click on the map sets the start; a row of the table trains that divergence), the scripting API (step(n), an
// attribute change), and a run that stops at its length and trains again from the start on ▶.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

interface Fit { mu: number; sigma: number; divergence: number }
interface Metrics {
  divergence: string; step: number; steps: number; mu: number; sigma: number; muAvg: number; sigmaAvg: number;
  bound: number; exact: Fit | null; localMinima: Fit[]; trained: Record<string, Fit & { bound: number; step: number }>;
  backend: string | null; status: string; finished: boolean;
}
const metrics = (page: Page) =>
  page.$eval('fgan-fit', (el) => JSON.parse(JSON.stringify((el as unknown as { metrics: unknown }).metrics))) as Promise<Metrics>;
const waitFor = (page: Page, cond: string, timeout = 90_000) =>
  page.waitForFunction((c) => {
    const m = (document.querySelector('fgan-fit') as unknown as { metrics?: Record<string, unknown> })?.metrics;
    return m && 'steps' in m ? new Function('m', `return ${c}`)(m) : false;
  }, cond, { timeout });

// the mixture's moments: 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²)
const MEAN = 0.33 * -1 + 0.67 * 2;
const STD = Math.sqrt(0.33 * (0.255 ** 2 + 1) + 0.67 * (1.415 ** 2 + 4) - MEAN ** 2);

async function open(hash: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width, height: 1000 } });
  return openPage(context, `${env.url}/widgets/fgan-fit.html#${hash}`);
}

describe('<fgan-fit>', () => {
  it('trains the default run to its end, within 0.1 of the exact minimum, and fills its row of the table', async () => {
    const { page, problems } = await open('');
    await waitFor(page, 'm.exact !== null');
    const exact = (await metrics(page)).exact!;
    expect(exact.mu).toBeCloseTo(MEAN, 3);
    expect(exact.sigma).toBeCloseTo(STD, 3);
    await waitFor(page, 'm.finished && m.status === "paused"');
    const m = await metrics(page);
    expect(m.step).toBe(1500);
    expect(Math.abs(m.trained.kl.mu - exact.mu)).toBeLessThan(0.1);
    expect(Math.abs(m.trained.kl.sigma - exact.sigma)).toBeLessThan(0.1);
    // the trained point's exact divergence is at least the minimum, and close to it
    expect(m.trained.kl.divergence).toBeGreaterThanOrEqual(exact.divergence - 1e-9);
    expect(m.trained.kl.divergence).toBeLessThan(exact.divergence + 0.01);
    const fig = page.locator('fgan-fit');
    const row = fig.locator('tr[data-divergence="kl"]');
    await expect.poll(() => row.textContent()).toContain(m.trained.kl.mu.toFixed(3).replace('-', '−'));
    await expect.poll(() => fig.locator('.run-state').textContent()).toMatch(/Done: 1,500 steps/);
    // the run is over: it stays put, and ▶ trains again from the start
    await page.waitForTimeout(500);
    expect((await metrics(page)).step).toBe(1500);
    await fig.getByRole('button', { name: /train again/i }).click();
    await waitFor(page, 'm.step < 1500 || m.status === "training"', 20_000);
    // a row of the table trains that divergence, even right after a run has finished
    await waitFor(page, 'm.finished');
    await fig.locator('tr[data-divergence="js"] button').click();
    await waitFor(page, 'm.divergence === "js" && m.step > 0', 30_000);
    expect((await metrics(page)).trained.kl).toBeDefined(); // KL's row keeps its result
    await page.screenshot({ path: screenshotPath('fgan-fit-default'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('follows the keyboard: a mixture slider moves the exact fit and starts a new run; the paper\'s mixture comes back', async () => {
    const { page, problems } = await open('autoplay=false');
    await waitFor(page, 'm.exact !== null');
    const fig = page.locator('fgan-fit');
    const mean2 = fig.getByRole('slider', { name: /mean of component 2/i });
    await mean2.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => mean2.getAttribute('aria-valuenow')).toBe('1.5');
    await expect.poll(() => new URL(page.url()).hash).toContain('mean2=1.5');
    // KL's minimum follows the new mixture's mean: 0.33·(−1) + 0.67·1.5
    await expect.poll(async () => (await metrics(page)).exact?.mu ?? NaN, { timeout: 20_000 }).toBeCloseTo(0.33 * -1 + 0.67 * 1.5, 3);
    await fig.getByRole('button', { name: /the paper's mixture/i }).click();
    await expect.poll(() => new URL(page.url()).hash).not.toContain('mean2');
    await expect.poll(async () => (await metrics(page)).exact?.mu ?? NaN, { timeout: 20_000 }).toBeCloseTo(MEAN, 3);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('follows the mouse: a row of the table trains reverse KL, a click on the map starts the generator there', async () => {
    const { page, problems } = await open('autoplay=false', 360);
    const fig = page.locator('fgan-fit');
    await fig.locator('tr[data-divergence="reverse-kl"] button').click();
    await expect.poll(() => new URL(page.url()).hash).toContain('divergence=reverse-kl');
    await waitFor(page, 'm.divergence === "reverse-kl" && m.exact !== null');
    const m = await metrics(page);
    expect(m.exact!.mu).toBeCloseTo(1.578, 2);
    expect(m.localMinima.length).toBe(1);
    expect(m.localMinima[0].mu).toBeCloseTo(-0.955, 2);
    expect(m.localMinima[0].sigma).toBeCloseTo(0.317, 2);
    // a click on the map: the start moves there (the map's σ axis is logarithmic, so the click lands below σ = 1)
    const map = fig.locator('canvas[aria-label*="Contour map"]');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.3, y: box.height * 0.7 } });
    await expect.poll(() => new URL(page.url()).hash).toMatch(/start-mu=-?[\d.]+/);
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    const mu0 = Number(hash.get('start-mu')), sigma0 = Number(hash.get('start-sigma') ?? 1);
    expect(mu0).toBeLessThan(0);
    expect(sigma0).toBeLessThan(1);
    await fig.getByRole('button', { name: /one step/i }).click();
    await waitFor(page, 'm.step === 1', 30_000);
    const after = await metrics(page);
    expect(Math.abs(after.mu - mu0)).toBeLessThan(0.05);
    expect(Math.abs(after.sigma - sigma0)).toBeLessThan(0.05);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('answers its scripting API: step(n) resolves after n steps, an attribute change starts another divergence', async () => {
    const { page, problems } = await open('autoplay=false&divergence=js');
    await waitFor(page, 'm.exact !== null');
    await page.$eval('fgan-fit', (el) => (el as unknown as { step: (n: number) => Promise<void> }).step(40));
    let m = await metrics(page);
    expect(m.step).toBe(40);
    expect(m.status).toBe('paused');
    await page.$eval('fgan-fit', (el) => el.setAttribute('divergence', 'pearson'));
    await waitFor(page, 'm.divergence === "pearson" && m.step === 0 && m.exact !== null');
    m = await metrics(page);
    expect(m.exact!.mu).toBeCloseTo(0.574, 2);
    expect(m.exact!.sigma).toBeCloseTo(1.928, 2);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
