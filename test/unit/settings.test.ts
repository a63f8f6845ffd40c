// The settings schemas: every widget's settings survive the URL hash, the embed snippet and the iframe link; bad
// values are named with their valid range; the CLI scope applies its own ranges; the README's tables agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.ts';
import { embedSnippets } from '../../src/settings/embed.ts';
import { fganLabSchema } from '../../src/settings/fgan-lab.ts';
import {
  applicable, asChoice, choiceOptions, defaults, formatPoints, parseSettings, toHash, withDependentDefaults, type Schema, type SettingSpec, type SettingValue, type Values,
} from '../../src/settings/schema.ts';
import { README, withTables } from '../../src/site/build/readme-tables.ts';
import { WIDGET_PAGES } from '../../widgets/catalog.ts';

/** A random valid value of a spec, rounded the way a hash or an attribute writes numbers. */
function randomValue(spec: SettingSpec, rng: Rng): SettingValue {
  switch (spec.kind) {
    case 'choice': return spec.choices[rng.int(spec.choices.length)];
    case 'boolean': return rng.uniform() < 0.5;
    case 'set': return spec.choices.filter(() => rng.uniform() < 0.5).slice(0, spec.max).join(',') || spec.choices[0];
    case 'points': return formatPoints(Array.from({ length: 1 + rng.int(5) }, () => [rng.uniform(-spec.limit, spec.limit), rng.uniform(-spec.limit, spec.limit)] as [number, number]));
    // the one text setting so far: <transformer-widen>'s 8 input digits
    case 'text': return Array.from({ length: 8 }, () => rng.int(10)).join('');
    case 'number': {
      for (;;) {
        const x = spec.integer ? spec.min + rng.int(spec.max - spec.min + 1) : Number(rng.uniform(spec.min, spec.max).toPrecision(6));
        if (!(spec.exclude && x > spec.exclude.lo && x < spec.exclude.hi)) return x;
      }
    }
  }
}

function randomValues(schema: Schema, rng: Rng): Values<Schema> {
  return Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, randomValue(s, rng)])) as Values<Schema>;
}

const hashParams = (hash: string) => new URLSearchParams(hash.replace(/^#/, ''));

describe.each(WIDGET_PAGES.map((w) => [w.tag, w.schema] as const))('<%s> settings', (tag, schema) => {
  it('parse to the defaults when no attribute is set', () => {
    const { values, errors } = parseSettings(schema, () => null);
    expect(errors).toEqual([]);
    expect(values).toEqual(defaults(schema));
  });

  it('round-trip through the URL hash, the element snippet and the iframe link', () => {
    const rng = new Rng(`settings:${tag}`);
    for (let trial = 0; trial < 50; trial++) {
      const values = applicable(schema, randomValues(schema, rng));
      const viaHash = parseSettings(schema, (a) => hashParams(toHash(schema, values)).get(a));
      expect(viaHash.errors).toEqual([]);
      expect(viaHash.values).toEqual(values);

      const snippet = embedSnippets(tag, schema, values, { script: 'https://x.test/embed/explorables.js', page: `https://x.test/widgets/${tag}.html` }, 600);
      const element = snippet.element.split('\n')[1];
      expect(element.startsWith(`<${tag}`)).toBe(true);
      const attributes = new Map([...element.matchAll(/ ([a-z][a-z0-9-]*)="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&')]));
      const viaElement = parseSettings(schema, (a) => attributes.get(a) ?? null);
      expect(viaElement.values).toEqual(values);

      expect(snippet.iframe).toContain(`src="https://x.test/widgets/${tag}.html`);
      const link = new URL(snippet.link);
      expect(parseSettings(schema, (a) => hashParams(link.hash).get(a)).values).toEqual(values);
    }
  });

  it('name the attribute and its valid values when a value is impossible', () => {
    for (const [key, spec] of Object.entries(schema)) {
      const bad = spec.kind === 'number' ? String(spec.max + 1) : spec.kind === 'points' ? '1,2,3' : 'bogus';
      const attribute = key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      const { errors } = parseSettings(schema, (a) => (a === attribute ? bad : null));
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(new RegExp(`^${attribute}="${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not valid: `));
      if (spec.kind === 'number') expect(errors[0].message).toContain(`to ${spec.max}`);
      if (spec.kind === 'choice') expect(errors[0].message).toContain(spec.choices.join(', '));
    }
  });
});

describe('links keep only what applies', () => {
  it('α only for the α-divergence, π only for weighted JS, λ only in single-loss mode, points only when drawn', () => {
    const values = { ...defaults(fganLabSchema), divergence: 'js', alpha: 2, pi: 0.3, lambda: 3, points: '1,1' } as const;
    expect(toHash(fganLabSchema, values)).toBe('');
    expect(toHash(fganLabSchema, { ...values, divergence: 'alpha' })).toBe('#divergence=alpha&alpha=2');
    expect(toHash(fganLabSchema, { ...values, mode: 'single-loss', target: 'drawn' })).toBe('#target=drawn&points=1%2C1&mode=single-loss&lambda=3');
  });

  it('numbers are rounded to six significant digits, integers kept whole', () => {
    const values = { ...defaults(fganLabSchema), gLr: 0.00123456789, seed: 2147483647 };
    expect(toHash(fganLabSchema, values)).toBe('#g-lr=0.00123457&seed=2147483647');
  });
});

describe('defaults measured per divergence', () => {
  const read = (raw: Record<string, string>) => (a: string) => raw[a] ?? null;

  it('an attribute or flag naming the divergence brings its defaults; explicit values win', () => {
    expect(parseSettings(fganLabSchema, read({})).values).toMatchObject({ gLr: 0.001, gradClip: 0 });
    expect(parseSettings(fganLabSchema, read({ divergence: 'neyman' })).values).toMatchObject({ gLr: 0.002, gradClip: 5 });
    expect(parseSettings(fganLabSchema, read({ divergence: 'neyman', 'g-lr': '0.0005' })).values).toMatchObject({ gLr: 0.0005, gradClip: 5 });
    expect(parseSettings(fganLabSchema, read({ divergence: 'neyman' }), 'cli').values).toMatchObject({ gLr: 0.002, gradClip: 5 });
    // links stay short: Neyman's own defaults are not written out
    expect(toHash(fganLabSchema, parseSettings(fganLabSchema, read({ divergence: 'neyman' })).values)).toBe('#divergence=neyman');
  });

  it('a reader who picks another divergence gets its defaults, unless they had changed the setting by hand', () => {
    const js = defaults(fganLabSchema);
    const toNeyman = withDependentDefaults(fganLabSchema, js, { ...js, divergence: 'neyman' });
    expect(toNeyman).toMatchObject({ gLr: 0.002, gradClip: 5 });
    const back = withDependentDefaults(fganLabSchema, toNeyman, { ...toNeyman, divergence: 'kl' });
    expect(back).toMatchObject({ gLr: 0.001, gradClip: 0 });
    const tuned = { ...js, gLr: 0.0004 };
    expect(withDependentDefaults(fganLabSchema, tuned, { ...tuned, divergence: 'neyman' })).toMatchObject({ gLr: 0.0004, gradClip: 5 });
  });
});

describe('a set of choices ("a,b,c")', () => {
  const schema = { cells: { kind: 'set', default: 'a,b', choices: ['a', 'b', 'c'], max: 2, label: { en: 'x', zh: 'x' } } } as const satisfies Schema;
  const parse = (raw: string) => parseSettings(schema, () => raw);
  it('keeps the order, drops repeats and spaces, reads any case', () => {
    expect(parse(' B, a,b ').values.cells).toBe('b,a');
  });
  it('rejects an unknown member, an empty list and too many members, naming the choices', () => {
    for (const bad of ['a,d', '', ' , ', 'a,b,c']) {
      const { errors } = parse(bad);
      expect(errors, bad).toHaveLength(1);
      expect(errors[0].message).toContain('1 to 2 of a, b, c');
    }
  });
});

describe('choices in a select', () => {
  it('lists each choice with its label in the reader\'s language, and lets back only the schema\'s values', () => {
    const spec = fganLabSchema.dOptimizer;
    expect(choiceOptions(spec, 'en').map((o) => o.value)).toEqual([...spec.choices]);
    expect(choiceOptions(spec, 'zh').find((o) => o.value === 'rmsprop')?.label).toBe('RMSprop');
    expect(choiceOptions(fganLabSchema.generatorObjective, 'zh').map((o) => o.label)).not.toEqual([...fganLabSchema.generatorObjective.choices]);
    expect(asChoice(spec, 'sgd')).toBe('sgd');
    expect(asChoice(spec, 'SGD')).toBeUndefined();
    expect(asChoice(spec, 'lbfgs')).toBeUndefined();
  });
});

describe('scopes', () => {
  it('the CLI reads its own ranges and leaves widget-only settings at their defaults', () => {
    const read = (raw: Record<string, string>) => (a: string) => raw[a] ?? null;
    const cli = parseSettings(fganLabSchema, read({ 'batch-size': '4096', speed: '5', backend: 'cpu' }), 'cli');
    expect(cli.errors).toEqual([]);
    expect(cli.values.batchSize).toBe(4096);
    expect(cli.values.speed).toBe(fganLabSchema.speed.default); // not a flag: not read
    expect(parseSettings(fganLabSchema, read({ 'batch-size': '4096' })).errors[0].message).toMatch(/from 16 to 2048/);
    expect(parseSettings(fganLabSchema, read({}), 'cli').values.backend).toBe('wasm');
    expect(parseSettings(fganLabSchema, read({ backend: 'webgl' }), 'cli').errors[0].message).toMatch(/valid values: wasm, cpu/);
  });
});

describe('README', () => {
  it('shows every widget\'s attribute table exactly as the schemas generate it (npm run docs)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withTables(readme)).toBe(readme);
  });
});
