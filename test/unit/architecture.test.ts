// The layering rules, checked on the source: imports go down only (site → widgets → runtime / models → settings /
// math), the runtime knows no model, the math imports nothing but math, and no module imports itself back through
// others. Every kind of import counts: static, re-export, dynamic, type-only and Vite's `?worker&url`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

const SOURCES = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'widgets'))];

/** Relative imports of a file, resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(dirname(file), s.replace(/\?.*$/, ''))));
}

const GRAPH = new Map(SOURCES.map((f) => [relative(ROOT, f), importsOf(f)]));

describe('architecture', () => {
  it('src/runtime imports nothing from src/models (the worker entry hands it the tasks)', () => {
    const up = [...GRAPH].filter(([f]) => f.startsWith('src/runtime/')).flatMap(([f, deps]) => deps.filter((d) => d.startsWith('src/models/')).map((d) => `${f} → ${d}`));
    expect(up).toEqual([]);
  });

  it('src/math imports only src/math (no DOM, tfjs or d3 either)', () => {
    const bad = [...GRAPH].filter(([f]) => f.startsWith('src/math/')).flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('src/math/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
    const packages = SOURCES.filter((f) => relative(ROOT, f).startsWith('src/math/'))
      .filter((f) => /from\s+['"](?!\.)/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(packages).toEqual([]);
  });

  it('imports go down: nothing below widgets imports widgets, nothing below the site imports the site', () => {
    const rank = (f: string) => (f.startsWith('src/site/') ? 3 : f.startsWith('widgets/') ? 2 : f === 'src/worker.ts' || f === 'src/worker-url.ts' || f.startsWith('src/cli/') ? 1.5 : 1);
    const bad = [...GRAPH].flatMap(([f, deps]) => deps.filter((d) => rank(d) > rank(f) && !(rank(d) === 1.5 && rank(f) >= 2)).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('has no import cycle in src/ or widgets/', () => {
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of GRAPH.get(f) ?? []) {
        if (!GRAPH.has(d)) continue;
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of GRAPH.keys()) if (!state.has(f)) visit(f);
    expect(cycles.map((c) => c.join(' → '))).toEqual([]);
  });
});
