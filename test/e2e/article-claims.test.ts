// What the f-GAN article tells the reader they will see on the default settings, checked in the lab itself:
// the bound and the estimate on the default run, and saturating against non-saturating generators.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, useBrowser } from './harness.ts';

const env = useBrowser();

interface M { step: number; bound: number; trueDivergence: number; status: string }

async function lab(hash: string): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const w = await openPage(context, `${env.url}/widgets/fgan-lab.html#backend=wasm&${hash}`);
  await w.page.waitForFunction(() => document.querySelector('fgan-lab')?.shadowRoot?.querySelector('canvas'));
  return w;
}

describe('the f-GAN article, on the default settings', () => {
  it('“the estimate starts far above F (about 1.26 against 0) and stays above it; about 0.1 at step 3000”', async () => {
    const { page, problems } = await lab('autoplay=false');
    const seen: M[] = [];
    for (let step = 0; step < 3000; step += 100) {
      seen.push(await page.$eval('fgan-lab', async (el, n) => {
        await (el as unknown as { step(n: number): Promise<void> }).step(n); // step(0) creates the run and draws it
        return { ...(el as unknown as { metrics: M }).metrics };
      }, step === 0 ? 0 : 100));
    }
    seen.push(await page.$eval('fgan-lab', async (el) => {
      await (el as unknown as { step(n: number): Promise<void> }).step(100);
      return { ...(el as unknown as { metrics: M }).metrics };
    }));
    expect(seen[0].trueDivergence).toBeGreaterThan(1.1);
    expect(seen[0].trueDivergence).toBeLessThan(1.4);
    expect(Math.abs(seen[0].bound)).toBeLessThan(1e-3);
    for (const m of seen) expect(m.trueDivergence, `step ${m.step}`).toBeGreaterThan(m.bound);
    const last = seen.at(-1)!;
    expect(last.step).toBe(3000);
    expect(last.trueDivergence).toBeLessThan(0.2);
    expect(Math.max(...seen.map((m) => m.bound))).toBeLessThan(0.1); // “F climbs to a few hundredths”
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('“saturating: most samples still off the data after 500 steps; non-saturating: most modes reached”', async () => {
    const coverage = async (objective: string) => {
      const { page, problems } = await lab(`autoplay=false&divergence=gan&d-lr=0.005&critic-steps=5&generator-objective=${objective}`);
      await page.$eval('fgan-lab', (el) => (el as unknown as { step(n: number): Promise<void> }).step(500));
      const text = await page.$eval('fgan-lab', (el) => el.shadowRoot!.querySelector('.coverage strong')!.textContent!);
      const [, covered, share] = text.match(/(\d) of 8 · (\d+)%/)!;
      expect(problems).toEqual([]);
      await page.context().close();
      return { covered: Number(covered), share: Number(share) };
    };
    const saturating = await coverage('saturating');
    const alternative = await coverage('alternative');
    expect(saturating.share).toBeLessThan(50);
    expect(alternative.covered).toBeGreaterThanOrEqual(5);
    expect(alternative.share).toBeGreaterThan(saturating.share);
  });
});
