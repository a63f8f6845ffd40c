// <fdiv-conjugate> keeps what the reader moves in view: the tangent point on the conjugate panel for every
// divergence at both ends of u₀'s range, the u₀ handle whole, the f′(1) label off the curve, no hole under the
// activation plot; dragging u₀ writes the URL hash, which keeps only the settings that apply.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DIVERGENCE_IDS } from '../../src/math/types.ts';
import { openPage, useBrowser } from './harness.ts';

const env = useBrowser();

async function open(hash: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width, height: 1000 } });
  const w = await openPage(context, `${env.url}/widgets/fdiv-conjugate.html#${hash}`);
  await w.page.waitForFunction(() => document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.widget svg path'));
  return w;
}

/** Where the marks sit relative to their plot's drawing area (the clip rectangle), in svg pixels. */
const geometry = (page: Page) => page.$eval('fdiv-conjugate', (el) => {
  const root = el.shadowRoot!;
  const svgs = [...root.querySelectorAll('.plots svg')] as SVGSVGElement[];
  const clip = (svg: SVGSVGElement) => {
    const r = svg.querySelector('clipPath rect')!;
    const n = (a: string) => Number(r.getAttribute(a));
    return { x0: n('x'), y0: n('y'), x1: n('x') + n('width'), y1: n('y') + n('height') };
  };
  const circle = (svg: SVGSVGElement, sel: string) => {
    const c = svg.querySelector(sel);
    return c ? { cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')), r: Number(c.getAttribute('r')) } : null;
  };
  const [fSvg, conjSvg, actSvg] = svgs;
  // no text drawn on the activation plot (labels, not axis ticks) may cross its curve
  const curve = actSvg.querySelector('path.curve') as SVGPathElement;
  let hits = 0;
  for (const label of actSvg.querySelectorAll(':scope > g text, :scope > text:not(.label)') as NodeListOf<SVGTextElement>) {
    const box = label.getBBox();
    for (let i = 0; i <= 200; i++) {
      const p = curve.getPointAtLength((i / 200) * curve.getTotalLength());
      if (p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height) hits++;
    }
  }
  const act = actSvg.closest('figure')!.getBoundingClientRect();
  const formulas = root.querySelector('.formulas')!.getBoundingClientRect();
  return {
    handle: circle(fSvg, 'circle.handle'), fClip: clip(fSvg),
    tangent: circle(conjSvg, 'circle.tangent'), conjClip: clip(conjSvg),
    labelOnCurve: hits, gapUnderActivation: formulas.top - act.bottom,
  };
});

describe('<fdiv-conjugate> keeps the current point in view', () => {
  it('for every divergence, at u₀ = 0.05 and u₀ = 8', async () => {
    const { page, problems } = await open('u=0.05');
    for (const id of DIVERGENCE_IDS) {
      for (const u of ['0.05', '8']) {
        await page.$eval('fdiv-conjugate', (el, [id, u]) => { el.setAttribute('divergence', id); el.setAttribute('u', u); }, [id, u] as const);
        await page.waitForTimeout(50);
        const g = await geometry(page);
        const where = `${id} at u₀ = ${u}`;
        expect(g.tangent, where).not.toBeNull();
        const { cx, cy } = g.tangent!;
        expect(cx, where).toBeGreaterThanOrEqual(g.conjClip.x0 - 0.5);
        expect(cx, where).toBeLessThanOrEqual(g.conjClip.x1 + 0.5);
        expect(cy, where).toBeGreaterThanOrEqual(g.conjClip.y0 - 0.5);
        expect(cy, where).toBeLessThanOrEqual(g.conjClip.y1 + 0.5);
        const h = g.handle!;
        expect(h.cx - h.r, `handle, ${where}`).toBeGreaterThanOrEqual(g.fClip.x0);
        expect(h.cy - h.r, `handle, ${where}`).toBeGreaterThanOrEqual(g.fClip.y0 - 0.5);
        expect(h.cy + h.r, `handle, ${where}`).toBeLessThanOrEqual(g.fClip.y1 + 0.5);
        expect(g.labelOnCurve, `f′(1) label, ${where}`).toBe(0);
        expect(g.gapUnderActivation, where).toBeLessThan(40);
      }
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<fdiv-conjugate> and the URL hash', () => {
  it('dragging u₀ writes the hash, rounded; the hash drops α once the divergence does not use it', async () => {
    const { page, problems } = await open('divergence=alpha&alpha=2');
    const hit = page.locator('fdiv-conjugate rect.hit').first();
    const box = (await hit.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/u=\d+(\.\d{1,3})?(&|$)/);
    expect(new URL(page.url()).hash).toContain('alpha=2');
    await page.locator('fdiv-conjugate select').selectOption('js');
    await expect.poll(() => new URL(page.url()).hash).toContain('divergence=js');
    expect(new URL(page.url()).hash).not.toContain('alpha');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
