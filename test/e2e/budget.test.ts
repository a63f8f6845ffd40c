// The index page's own JavaScript, before any widget or tfjs chunk loads, stays within 100 KB gzipped, and the
// embed module stays a small registry that loads widget code lazily (no tfjs, no Svelte runtime in it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageWeight } from '../bench/page-weight.ts';
import { DIST } from './harness.ts';

describe('page weight of the production build', () => {
  it('index.html loads at most 100 KB of gzipped JavaScript up front', () => {
    expect(pageWeight(DIST, 'index.html').gzipBytes).toBeLessThanOrEqual(100 * 1024);
  });

  it('the embed module holds no tfjs and imports widget code only dynamically', () => {
    const embed = readFileSync(join(DIST, 'embed/explorables.js'), 'utf8');
    expect(embed).not.toMatch(/tfjs|webgl_util|registerKernel/i);
    expect(embed).toMatch(/import\(/);
    expect(embed.length).toBeLessThan(40 * 1024);
  });
});
