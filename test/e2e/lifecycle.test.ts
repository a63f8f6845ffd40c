// The element's and the shared controller's lifecycle in real Chromium: attributes that change while the code is
// loading, figures removed while their worker starts, scripting calls on a figure that shows an error, the status
// while loading, silence after removal, a fallback that 'auto' had to make, and the worker's tensors and lease
// after a training figure leaves. Workers are counted by wrapping the page's Worker constructor.
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { WIDGET_PAGES } from '../../widgets/catalog.ts';
import { openPage, useBrowser } from './harness.ts';

const env = useBrowser();
let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** A fresh context whose pages count worker starts and terminations in window.__workers. */
async function countingContext(): Promise<BrowserContext> {
  context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    const counts = { started: 0, terminated: 0 };
    (window as unknown as { __workers: typeof counts }).__workers = counts;
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        counts.started++;
      }
      override terminate(): void {
        counts.terminated++;
        super.terminate();
      }
    };
  });
  return context;
}

const workers = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __workers: { started: number; terminated: number } }).__workers }));
const alertText = (page: Page, sel: string) =>
  page.$eval(sel, (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
const status = (page: Page, sel: string) =>
  page.$eval(sel, (el) => (el as unknown as { metrics: { status: string } }).metrics.status);

async function blankPost(ctx: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  return openPage(ctx, `${env.url}/fixtures/empty-post.html`);
}

describe('attributes set while the widget code loads', () => {
  for (const tag of ['fdiv-conjugate', 'fgan-lab']) {
    it(`<${tag}> appended, then given divergence="bogus", shows the message`, async () => {
      const { page, problems } = await blankPost(await countingContext());
      await page.evaluate((tag) => {
        const el = document.createElement(tag);
        el.id = 'w';
        document.body.append(el);
        el.setAttribute('divergence', 'bogus');
      }, tag);
      await page.waitForFunction(() => document.querySelector('#w')?.shadowRoot?.querySelector('[role="alert"]'));
      await page.waitForTimeout(1500); // had it mounted on its defaults, the message would be gone by now
      expect(await alertText(page, '#w')).toContain('divergence="bogus" is not valid');
      expect(await status(page, '#w')).toBe('error');
      expect((await workers(page)).started).toBe(0);
      expect(problems).toEqual([]);
    });
  }

  /** an impossible choice and an out-of-range number of each widget */
  const BAD: Record<string, string[]> = {
    'fdiv-conjugate': ['divergence=bogus', 'u=99'],
    'fgan-lab': ['divergence=bogus', 'batch-size=99999'],
    'transformer-widen': ['method=bogus', 'factor=9'],
    'rnn-gradients': ['cells=lstm,bogus', 'length=5000'],
    'fgan-fit': ['divergence=bogus', 'sd1=0'],
  };
  for (const { tag } of WIDGET_PAGES) {
    it(`<${tag}> has bad values to test`, () => expect(BAD[tag]).toHaveLength(2));
    for (const hash of BAD[tag] ?? []) {
      it(`widgets/${tag}.html#${hash} shows the message`, async () => {
        const { page, problems } = await openPage(await countingContext(), `${env.url}/widgets/${tag}.html#${hash}`);
        await page.waitForFunction((t) => document.querySelector(t)?.shadowRoot?.querySelector('[role="alert"]'), tag);
        await page.waitForTimeout(1500);
        expect(await alertText(page, tag)).toContain(`${hash.split('=')[0]}="${hash.split('=')[1]}" is not valid`);
        expect((await workers(page)).started).toBe(0);
        expect(problems).toEqual([]);
      });
    }
  }
});

describe('workers and leases', () => {
  it('a lab removed while its worker starts lets the worker go (create/remove churn)', async () => {
    const { page, problems } = await blankPost(await countingContext());
    for (let i = 0; i < 10; i++) {
      await page.evaluate(() => {
        const el = document.createElement('fgan-lab');
        el.setAttribute('backend', 'wasm');
        document.body.append(el);
      });
      await page.waitForTimeout(300 + 100 * i); // 0.3–1.2 s: before, during and after the worker's start
      await page.evaluate(() => document.querySelector('fgan-lab')?.remove());
    }
    await expect.poll(async () => { const w = await workers(page); return w.started - w.terminated; }, { timeout: 15_000 }).toBe(0);
    expect((await workers(page)).started).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('step(n) and play() on a figure that shows an attribute error start no worker', async () => {
    const { page, problems } = await blankPost(await countingContext());
    await page.evaluate(() => {
      const el = document.createElement('fgan-lab');
      el.id = 'w';
      el.setAttribute('autoplay', 'false'); // mounted, but no worker until it is asked to train
      document.body.append(el);
    });
    await page.waitForFunction(() => document.querySelector('#w')?.shadowRoot?.querySelector('canvas'));
    await page.$eval('#w', async (el) => {
      el.setAttribute('batch-size', '3');
      await (el as unknown as { step(n: number): Promise<void> }).step(20);
      (el as unknown as { play(): void }).play();
    });
    await page.waitForTimeout(2000);
    expect(await alertText(page, '#w')).toContain('batch-size="3" is not valid');
    expect(await workers(page)).toEqual({ started: 0, terminated: 0 });
    expect(problems).toEqual([]);
  });

  it('removing a training lab frees its tensors in the shared worker and, with the last figure, the worker', async () => {
    const { page, problems } = await blankPost(await countingContext());
    const add = (id: string, autoplay: boolean) => page.evaluate(([id, autoplay]) => {
      const el = document.createElement('fgan-lab');
      el.id = id as string;
      el.setAttribute('backend', 'wasm');
      el.setAttribute('autoplay', String(autoplay));
      el.setAttribute('d-width', '16');
      document.body.append(el);
    }, [id, autoplay] as const);
    const stepped = (id: string, n: number) => page.$eval(`#${id}`, async (el, n) => {
      await (el as unknown as { step(n: number): Promise<void> }).step(n);
      return { ...(el as unknown as { metrics: { step: number; workerTensors: number } }).metrics };
    }, n);
    await add('kept', false);
    const alone = await stepped('kept', 5);
    expect(alone.workerTensors).toBeGreaterThan(0);
    await add('leaving', true);
    await page.$eval('#leaving', (el) => (el as unknown as { play(): void }).play()); // it sits below the fold
    await page.waitForFunction(() => (document.querySelector('#leaving') as unknown as { metrics: { step: number } }).metrics.step > 50, null, { timeout: 60_000 });
    const both = await stepped('kept', 1);
    expect(both.workerTensors).toBeGreaterThan(alone.workerTensors);
    expect((await workers(page)).started).toBe(1); // one worker per backend, shared
    await page.evaluate(() => document.querySelector('#leaving')?.remove());
    await expect.poll(async () => (await stepped('kept', 1)).workerTensors, { timeout: 10_000 }).toBe(alone.workerTensors);
    await page.evaluate(() => document.querySelector('#kept')?.remove());
    await expect.poll(() => workers(page), { timeout: 10_000 }).toEqual({ started: 1, terminated: 1 });
    expect(problems).toEqual([]);
  });
});

describe('status', () => {
  it('says loading while the worker script has not arrived, and stays quiet once the figure is gone', async () => {
    const ctx = await countingContext();
    await ctx.route(/\/assets\/worker-(?!url)[^/]*\.js/, () => { /* the worker script never arrives */ });
    const { page, problems } = await blankPost(ctx);
    await page.evaluate(() => {
      const el = document.createElement('fgan-lab');
      el.id = 'w';
      document.body.append(el);
      (window as unknown as { __events: number }).__events = 0;
      el.addEventListener('metrics', () => (window as unknown as { __events: number }).__events++);
    });
    await page.waitForTimeout(2000);
    expect(await status(page, '#w')).toBe('loading');
    await page.evaluate(() => {
      const el = document.querySelector('#w')!;
      (window as unknown as { __el: Element }).__el = el;
      el.remove();
      (window as unknown as { __events: number }).__events = 0;
    });
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { __events: number }).__events)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('auto says which backend it could not start, and why', async () => {
    const ctx = await countingContext();
    await ctx.route(/\.wasm$/, (route) => route.fulfill({ status: 404, body: 'blocked for this test' }));
    const { page } = await blankPost(ctx);
    await page.evaluate(() => {
      const el = document.createElement('fgan-lab');
      el.id = 'w';
      document.body.append(el);
    });
    await page.waitForFunction(() => (document.querySelector('#w') as unknown as { metrics: { status: string } }).metrics.status === 'training', null, { timeout: 90_000 });
    const chip = await page.$eval('#w', (el) => {
      const c = el.shadowRoot!.querySelector('.chip');
      return { text: c?.textContent ?? '', title: c?.getAttribute('title') ?? '' };
    });
    expect(chip.text).toMatch(/fallback/);
    expect(chip.title).toMatch(/^auto: wasm failed to initialise/);
  });
});
