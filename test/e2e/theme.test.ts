// The author's page decides the colours: a figure on a white post stays light under a dark system theme, on a dark
// post stays dark under a light one, and an author's --bg/--fg reach every panel, formula and readout. Contrast is
// measured on the rendered colours (WCAG ratio ≥ 4.5 for text).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

/** Rendered text and background colours of selected parts of both figures, with their contrast ratios. */
function measure(page: Page) {
  return page.evaluate(() => {
    // any computed colour (rgb(), color(srgb …), color-mix results) through a canvas, as 0–255 channels and alpha
    const ctx = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0], d[1], d[2], d[3] / 255];
    };
    const rgb = (css: string) => rgba(css).slice(0, 3);
    const lum = ([r, g, b]: number[]) => {
      const f = (c: number) => { const x = c / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    /** the first opaque background at or above el, crossing shadow roots */
    const background = (el: Element): number[] => {
      for (let n: Element | null = el; n; n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host ?? null)) {
        const c = rgba(getComputedStyle(n).backgroundColor);
        if (c[3] > 0.5) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const contrast = (el: Element) => {
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    };
    const parts: Record<string, Element | null | undefined> = {
      'lab panel': document.querySelector('fgan-lab')?.shadowRoot?.querySelector('.lab'),
      'lab backend value': document.querySelector('fgan-lab')?.shadowRoot?.querySelector('.chip strong'),
      'conjugate panel': document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.widget'),
      'gap formula': document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.gap .katex'),
    };
    const out: Record<string, { contrast: number; bgLuminance: number }> = {};
    for (const [k, el] of Object.entries(parts)) if (el) out[k] = { contrast: contrast(el), bgLuminance: lum(background(el)) };
    return out;
  });
}

async function post(scheme: 'light' | 'dark', bodyStyle: string, name: string) {
  const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 900, height: 1400 } });
  const { page, problems } = await openPage(context, `${env.url}/fixtures/empty-post.html`);
  await page.evaluate((style) => {
    document.body.setAttribute('style', style);
    const conj = document.createElement('fdiv-conjugate');
    const lab = document.createElement('fgan-lab');
    lab.setAttribute('backend', 'wasm');
    lab.setAttribute('autoplay', 'false');
    document.body.append(conj, lab);
  }, bodyStyle);
  await page.waitForFunction(() => document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.gap .katex'));
  await page.$eval('fgan-lab', (el) => (el as unknown as { step(n: number): Promise<void> }).step(1));
  await page.screenshot({ path: screenshotPath(`theme-${name}`), fullPage: true });
  return { page, problems, context };
}

describe('theme follows the host page', () => {
  it('a white post read with a dark system theme: light figures, readable everywhere', async () => {
    const { page, problems, context } = await post('dark', 'background:#ffffff;color:#222', 'white-post-dark-system');
    const m = await measure(page);
    for (const [part, v] of Object.entries(m)) {
      expect(v.bgLuminance, part).toBeGreaterThan(0.5);
      expect(v.contrast, part).toBeGreaterThan(4.5);
    }
    expect(Object.keys(m)).toHaveLength(4);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a dark post read with a light system theme: dark figures, readable everywhere', async () => {
    const { page, problems, context } = await post('light', 'background:#101114;color:#ddd', 'dark-post-light-system');
    const m = await measure(page);
    for (const [part, v] of Object.entries(m)) {
      expect(v.bgLuminance, part).toBeLessThan(0.1);
      expect(v.contrast, part).toBeGreaterThan(4.5);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an author who sets --bg and --fg gets them in every panel, formula and readout', async () => {
    const { page, problems, context } = await post('dark', '--bg:#fffdf5;--fg:#2b2118;background:#fffdf5', 'author-vars');
    const m = await measure(page);
    for (const [part, v] of Object.entries(m)) {
      expect(v.bgLuminance, part).toBeGreaterThan(0.5);
      expect(v.contrast, part).toBeGreaterThan(4.5);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('theme="dark" wins over a white page, and a bad theme is named', async () => {
    const { page, problems, context } = await post('light', 'background:#fff', 'forced-dark');
    await page.$eval('fdiv-conjugate', (el) => el.setAttribute('theme', 'dark'));
    await expect.poll(async () => (await measure(page))['conjugate panel'].bgLuminance).toBeLessThan(0.1);
    await page.$eval('fdiv-conjugate', (el) => el.setAttribute('theme', 'sepia'));
    const alert = await page.$eval('fdiv-conjugate', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(alert).toContain('theme="sepia" is not valid: valid values: auto, light, dark');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('math inside the widgets is typeset', () => {
  it('no D_f, g_f, f*, dom f* or $ in plain text inside either figure, in English and Chinese', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 1400 } });
      const { page, problems } = await openPage(context, `${env.url}/fixtures/empty-post.html`);
      await page.evaluate((lang) => {
        document.documentElement.lang = lang;
        const conj = document.createElement('fdiv-conjugate');
        const lab = document.createElement('fgan-lab');
        lab.setAttribute('backend', 'wasm');
        lab.setAttribute('autoplay', 'false');
        lab.setAttribute('divergence', 'kl');
        document.body.append(conj, lab);
      }, lang);
      await page.waitForFunction(() => document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.gap .katex'));
      await page.$eval('fgan-lab', (el) => (el as unknown as { step(n: number): Promise<void> }).step(5));
      const plain = await page.evaluate(() => {
        const out: string[] = [];
        for (const tag of ['fdiv-conjugate', 'fgan-lab']) {
          const walker = document.createTreeWalker(document.querySelector(tag)!.shadowRoot!, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const parent = n.parentElement;
            if (!parent || parent.closest('.katex, style, script, textarea, option')) continue;
            out.push(n.textContent ?? '');
          }
        }
        return out.join(' ');
      });
      expect(plain, lang).toMatch(/Kullback|散度/); // the walk does see the figures' text
      expect(plain, lang).not.toMatch(/D_f|g_f|f\*|dom f|\$|E_Q|T\(x\)|log D/);
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});

describe('consistent surfaces', () => {
  it('generated samples have one colour in the site and in an embed', async () => {
    const context = await env.browser.newContext({ colorScheme: 'light' });
    const site = await openPage(context, `${env.url}/widgets/fgan-lab.html#autoplay=false`);
    await site.page.waitForFunction(() => document.querySelector('fgan-lab')?.shadowRoot?.querySelector('.lab'));
    const embed = await openPage(context, `${env.url}/fixtures/empty-post.html`);
    await embed.page.evaluate(() => {
      const lab = document.createElement('fgan-lab');
      lab.setAttribute('autoplay', 'false');
      document.body.append(lab);
    });
    await embed.page.waitForFunction(() => document.querySelector('fgan-lab')?.shadowRoot?.querySelector('.lab'));
    const rgb = (page: Page) => page.$eval('fgan-lab', (el) => getComputedStyle(el.shadowRoot!.querySelector('.dot.fake')!).backgroundColor);
    expect(await rgb(embed.page)).toBe(await rgb(site.page));
    expect([...site.problems, ...embed.problems]).toEqual([]);
    await context.close();
  });

  it('the standalone page inside an iframe shows the figure without the site header', async () => {
    const context = await env.browser.newContext();
    const { page, problems } = await openPage(context, `${env.url}/fixtures/empty-post.html`);
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/widgets/fdiv-conjugate.html#divergence=js';
      frame.style.width = '800px';
      frame.style.height = '700px';
      document.body.append(frame);
    });
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame!.waitForFunction(() => document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.widget svg path'));
    expect(await frame!.isVisible('.site-header')).toBe(false);
    expect(await frame!.isVisible('fdiv-conjugate')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the diagnostics page has the site header, the language switch and says what it measures', async () => {
    const context = await env.browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await openPage(context, `${env.url}/diagnostics.html`);
    expect(await page.isVisible('.site-header [data-set-lang="en"]')).toBe(true);
    expect(await page.textContent('main')).toContain('固定的探测计算');
    await page.click('[data-set-lang="en"]');
    expect(await page.isVisible('text=times one training step')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
