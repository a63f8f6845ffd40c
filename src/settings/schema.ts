// Settings schemas: one per widget (and the experiment that mirrors it) is the only place a setting's name, type,
// range, default and labels live. From a schema come the element's attributes (kebab-case of the key), the URL hash
// of standalone pages and share links, the experiment CLI's flags (the same kebab-case names), the range checks and
// their messages, the embed snippet, and the README's attribute tables. Pure and DOM-free: the embed module validates
// attributes with it before any widget code loads, and Node runs it for the CLI.
//
// Where the CLI may go further than the widget (a bigger batch headless), a spec's `cli` says so in that one place;
// `cli: false` keeps a widget-only setting (a speed cap, autoplay) out of the CLI.
import type { LocalizedText } from '../math/types.ts';

interface SpecBase {
  /** the control's label, also the README's and --help's description */
  label: LocalizedText;
  /** one line for the README table and --help when the label alone is not enough */
  doc?: string;
  /** the setting only matters when another choice setting has one of these values (α only for the α-divergence):
   * links and embed snippets leave it out otherwise */
  when?: { key: string; is: readonly string[] };
}

export interface ChoiceSpec<C extends string = string> extends SpecBase {
  kind: 'choice';
  default: C;
  choices: readonly C[];
  /** how each choice reads in the widget (default: the value itself) */
  choiceLabels?: Partial<Record<C, LocalizedText>>;
  cli?: false | { choices?: readonly C[]; default?: C };
}

export interface NumberSpec extends SpecBase {
  kind: 'number';
  /** NaN: unset (the widget derives the value) */
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  /** an open interval inside [min, max] that is not allowed (α = 1 of the α-divergence) */
  exclude?: { lo: number; hi: number };
  /** a default that depends on another choice setting (the learning rates measured for each divergence); values
   * missing from the map take `default` */
  defaultBy?: { key: string; values: Readonly<Record<string, number>> };
  cli?: false | { min?: number; max?: number; default?: number; integer?: boolean };
}

export interface BooleanSpec extends SpecBase {
  kind: 'boolean';
  default: boolean;
  cli?: false;
}

/** A list of 2-D points "x,y;x,y;…" (e.g. the points a reader drew), each coordinate within ±limit. */
export interface PointsSpec extends SpecBase {
  kind: 'points';
  default: string;
  limit: number;
  max: number;
  cli?: false;
}

/** Free text that must match `pattern` (e.g. a short digit sequence a reader types as a model's input). */
export interface TextSpec extends SpecBase {
  kind: 'text';
  default: string;
  /** the whole value must match (anchored here, so the schema writes just the body) */
  pattern: string;
  /** the valid values in words, for messages and the README */
  hint: string;
  cli?: false;
}

/** Several of a fixed list of choices, written "a,b,c" (order kept, no repeats), e.g. the cells a figure compares. */
export interface SetSpec<C extends string = string> extends SpecBase {
  kind: 'set';
  /** the default selection, "a,b" */
  default: string;
  choices: readonly C[];
  choiceLabels?: Partial<Record<C, LocalizedText>>;
  /** at most this many at once */
  max: number;
  cli?: false;
}

export type SettingSpec = ChoiceSpec | NumberSpec | BooleanSpec | PointsSpec | TextSpec | SetSpec;
export type Schema = Record<string, SettingSpec>;
export type SettingValue = string | number | boolean;

/** The settings' values, typed from the schema: choices keep their literal unions, so no cast is needed downstream. */
export type Values<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends { kind: 'choice'; choices: readonly (infer C)[] }
    ? C
    : S[K] extends { kind: 'number' } ? number : S[K] extends { kind: 'boolean' } ? boolean : string;
};

export interface SettingError {
  attribute: string;
  value: string;
  message: string;
}

export type Scope = 'widget' | 'cli';

export function attributeName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** The spec as it applies in a scope: the CLI's wider ranges or other choices merged in; null where it does not apply. */
export function specIn(spec: SettingSpec, scope: Scope): SettingSpec | null {
  if (scope === 'widget') return spec;
  if (spec.cli === false) return null;
  return spec.cli ? ({ ...spec, ...spec.cli } as SettingSpec) : spec;
}

export function validValues(spec: SettingSpec): string {
  if (spec.kind === 'choice') return spec.choices.join(', ');
  if (spec.kind === 'boolean') return 'true, false';
  if (spec.kind === 'text') return spec.hint;
  if (spec.kind === 'set') return `1 to ${spec.max} of ${spec.choices.join(', ')}, comma-separated`;
  if (spec.kind === 'points') return `up to ${spec.max} points "x,y;x,y;…" with coordinates from −${spec.limit} to ${spec.limit}`;
  const hole = spec.exclude ? ` except (${spec.exclude.lo}, ${spec.exclude.hi})` : '';
  return `${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}${hole}`;
}

/** Parses one raw string; returns the value or what is wrong with it. */
function parseSetting(spec: SettingSpec, raw: string): { value: SettingValue } | { error: string } {
  const text = raw.trim();
  if (spec.kind === 'choice') {
    const hit = spec.choices.find((c) => c === text.toLowerCase());
    return hit !== undefined ? { value: hit } : { error: `valid values: ${validValues(spec)}` };
  }
  if (spec.kind === 'boolean') {
    if (text === '' || text === 'true') return { value: true };
    if (text === 'false') return { value: false };
    return { error: 'valid values: true, false' };
  }
  if (spec.kind === 'text') {
    return new RegExp(`^(?:${spec.pattern})$`).test(text) ? { value: text } : { error: `must be ${spec.hint}` };
  }
  if (spec.kind === 'set') {
    const items = parseSet(text);
    const ok = items.length >= 1 && items.length <= spec.max && items.every((c) => spec.choices.includes(c));
    return ok ? { value: items.join(',') } : { error: `must be ${validValues(spec)}` };
  }
  if (spec.kind === 'points') {
    const points = parsePoints(text);
    const ok = points !== null && points.length <= spec.max && points.every((p) => p.every((c) => Math.abs(c) <= spec.limit));
    return ok ? { value: text } : { error: `must be ${validValues(spec)}` };
  }
  const x = Number(text);
  return text !== '' && numberOk(spec, x) ? { value: x } : { error: `must be ${validValues(spec)}` };
}

function numberOk(spec: NumberSpec, x: number): boolean {
  return Number.isFinite(x) && x >= spec.min && x <= spec.max && (!spec.integer || Number.isInteger(x))
    && !(spec.exclude && x > spec.exclude.lo && x < spec.exclude.hi);
}

/** Checks a value that did not come from text (a config built in code): the same rule and message as parsing. */
export function checkSetting(name: string, spec: SettingSpec, value: unknown): string | null {
  const ok = spec.kind === 'number' ? typeof value === 'number' && numberOk(spec, value)
    : spec.kind === 'boolean' ? typeof value === 'boolean'
    : typeof value === 'string' && 'value' in parseSetting(spec, value);
  return ok ? null : `${name}="${String(value)}" is not valid: must be ${validValues(spec)}.`;
}

/** The default of a setting given the other settings' values (see NumberSpec.defaultBy). */
export function defaultOf(spec: SettingSpec, values: Readonly<Record<string, unknown>>): SettingValue {
  if (spec.kind !== 'number' || !spec.defaultBy) return spec.default;
  return spec.defaultBy.values[String(values[spec.defaultBy.key])] ?? spec.default;
}

/** Settings that depend on others take the defaults those others imply (unless `explicit` lists them). */
function applyDependentDefaults(schema: Schema, values: Record<string, SettingValue>, explicit: ReadonlySet<string>): void {
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.kind === 'number' && spec.defaultBy && !explicit.has(key) && key in values) values[key] = defaultOf(spec, values);
  }
}

export function defaults<S extends Schema>(schema: S, scope: Scope = 'widget'): Values<S> {
  const values = Object.fromEntries(
    Object.entries(schema).flatMap(([k, s]) => {
      const spec = specIn(s, scope);
      return spec ? [[k, spec.default]] : [];
    }),
  ) as Record<string, SettingValue>;
  applyDependentDefaults(schema, values, new Set());
  return values as Values<S>;
}

/** A reader's change of `next` over `prev`: settings whose default depends on a changed choice follow it to the
 * new default, unless the reader had set them away from the old one. */
export function withDependentDefaults<S extends Schema>(schema: S, prev: Values<S>, next: Values<S>): Values<S> {
  const p = prev as Record<string, SettingValue>;
  const out = { ...next } as Record<string, SettingValue>;
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.kind !== 'number' || !spec.defaultBy || p[spec.defaultBy.key] === out[spec.defaultBy.key]) continue;
    if (Object.is(p[key], defaultOf(spec, p)) && Object.is(out[key], p[key])) out[key] = defaultOf(spec, out);
  }
  return out as Values<S>;
}

/** Reads every setting through `read(attributeName)`; missing ones take their defaults; in the CLI scope,
 * widget-only settings keep their defaults and are not read. */
export function parseSettings<S extends Schema>(
  schema: S,
  read: (attribute: string) => string | null | undefined,
  scope: Scope = 'widget',
): { values: Values<S>; errors: SettingError[] } {
  const values = defaults(schema, 'widget') as Record<string, SettingValue>;
  const errors: SettingError[] = [];
  const explicit = new Set<string>();
  for (const [key, widgetSpec] of Object.entries(schema)) {
    const spec = specIn(widgetSpec, scope);
    if (!spec) continue;
    values[key] = spec.default;
    const attribute = attributeName(key);
    const raw = read(attribute);
    if (raw === null || raw === undefined) continue;
    const parsed = parseSetting(spec, raw);
    if ('value' in parsed) {
      values[key] = parsed.value;
      explicit.add(key);
    } else errors.push({ attribute, value: raw, message: `${attribute}="${raw}" is not valid: ${parsed.error}.` });
  }
  applyDependentDefaults(schema, values, explicit);
  return { values: values as Values<S>, errors };
}

/** Text of a value as an attribute, a hash entry or a flag: integers exact (seeds), other numbers to 6 significant
 * digits (a dragged handle's float noise does not belong in a link). */
export function formatValue(v: SettingValue): string {
  return typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : String(v);
}

/** The settings that differ from their defaults and apply, as [attribute, text] pairs; unset numbers (NaN) and
 * settings whose `when` does not hold are left out. */
export function changedAttributes<S extends Schema>(schema: S, values: Values<S>): [string, string][] {
  const out: [string, string][] = [];
  const all = values as Record<string, SettingValue>;
  for (const [key, spec] of Object.entries(schema)) {
    const v = all[key];
    if (v === undefined || Object.is(v, defaultOf(spec, all)) || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (spec.when && !spec.when.is.includes(String(all[spec.when.key]))) continue;
    out.push([attributeName(key), formatValue(v)]);
  }
  return out;
}

/** The values with every setting that does not apply (its `when` fails) back at its default: what a link keeps. */
export function applicable<S extends Schema>(schema: S, values: Values<S>): Values<S> {
  const all = { ...values } as Record<string, SettingValue>;
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.when && !spec.when.is.includes(String(all[spec.when.key]))) all[key] = defaultOf(spec, all);
  }
  return all as Values<S>;
}

/** Settings that differ from their defaults, as a URL hash ("#a=1&b=x"); defaults are left out to keep links short. */
export function toHash<S extends Schema>(schema: S, values: Values<S>): string {
  const s = new URLSearchParams(changedAttributes(schema, values)).toString();
  return s ? '#' + s : '';
}

/** "a, b,a" → ['a', 'b']: trimmed, lower-case, first occurrence kept. */
export function parseSet(text: string): string[] {
  return [...new Set(text.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== ''))];
}

/** "x,y;x,y" → [[x, y], …]; null when malformed. The empty string is the empty list. */
export function parsePoints(text: string): [number, number][] | null {
  if (text.trim() === '') return [];
  const points: [number, number][] = [];
  for (const pair of text.split(';')) {
    const xy = pair.split(',').map((c) => Number(c.trim()));
    if (xy.length !== 2 || pair.split(',').some((c) => c.trim() === '') || !xy.every(Number.isFinite)) return null;
    points.push([xy[0], xy[1]]);
  }
  return points;
}

export function formatPoints(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join(';');
}

/** The label of a choice in the reader's language (the value itself where the schema gives none). */
export function choiceLabel(spec: ChoiceSpec | SetSpec, value: string, lang: keyof LocalizedText): string {
  return (spec.choiceLabels as Record<string, LocalizedText> | undefined)?.[value]?.[lang] ?? value;
}

/** A choice setting's values with their labels in the reader's language: the options of its select. */
export function choiceOptions<C extends string>(spec: ChoiceSpec<C>, lang: keyof LocalizedText): { value: C; label: string }[] {
  return spec.choices.map((c) => ({ value: c, label: choiceLabel(spec, c, lang) }));
}

/** The choice a select reported, if it is one of the setting's (a select hands back plain text). */
export function asChoice<C extends string>(spec: ChoiceSpec<C>, text: string): C | undefined {
  return spec.choices.find((c) => c === text);
}

/** The README's table of a widget's attributes, generated so that it cannot disagree with the schema. */
export function attributeTable(schema: Schema): string {
  const rows = Object.entries(schema).map(([key, spec]) => {
    const values = spec.kind === 'choice' || spec.kind === 'set' ? spec.choices.map((c) => `\`${c}\``).join(', ') : validValues(spec);
    const d = spec.kind === 'number' && Number.isNaN(spec.default) ? '—'
      : spec.kind === 'points' && spec.default === '' ? '—' : `\`${formatValue(spec.default)}\``;
    const listed = spec.kind === 'set' ? `${values} (1 to ${spec.max}, comma-separated)` : values;
    const cli = spec.cli === false ? ' (widget only)' : '';
    const by = spec.kind === 'number' && spec.defaultBy
      ? `; for ${Object.entries(spec.defaultBy.values).map(([k, v]) => `${k}: \`${formatValue(v)}\``).join(', ')}` : '';
    return `| \`${attributeName(key)}\` | ${spec.doc ?? spec.label.en}${cli} | ${listed} | ${d}${by} |`;
  });
  return ['| attribute | meaning | values | default |', '|---|---|---|---|', ...rows].join('\n');
}
