// Widget settings: one schema per widget drives attribute parsing (kebab-case attributes), range checks,
// the inline error message an author sees, and the URL hash of standalone pages. Pure and DOM-free so the
// embed module can validate attributes before any widget code loads.

export type SettingSpec =
  | { kind: 'choice'; default: string; choices: readonly string[] }
  | { kind: 'number'; default: number; min: number; max: number; integer?: boolean; exclude?: { lo: number; hi: number } }
  | { kind: 'boolean'; default: boolean }
  /** a list of 2-D points "x,y;x,y;…" (e.g. the points a reader drew), each coordinate within ±limit */
  | { kind: 'points'; default: string; limit: number; max: number };

export type Schema = Record<string, SettingSpec>;
export type SettingValue = string | number | boolean;
export type Values<S extends Schema> = {
  [K in keyof S]: S[K] extends { kind: 'number' } ? number : S[K] extends { kind: 'boolean' } ? boolean : string;
};

export interface SettingError {
  attribute: string;
  value: string;
  message: string;
}

export function attributeName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export function validValues(spec: SettingSpec): string {
  if (spec.kind === 'choice') return spec.choices.join(', ');
  if (spec.kind === 'boolean') return 'true, false';
  if (spec.kind === 'points') return `up to ${spec.max} points "x,y;x,y;…" with coordinates from −${spec.limit} to ${spec.limit}`;
  const hole = spec.exclude ? ` except (${spec.exclude.lo}, ${spec.exclude.hi})` : '';
  return `${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}${hole}`;
}

/** Parses one raw string; returns the value or an error message. */
export function parseSetting(spec: SettingSpec, raw: string): { value: SettingValue } | { error: string } {
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
  if (spec.kind === 'points') {
    const points = parsePoints(text);
    const ok = points !== null && points.length <= spec.max && points.every((p) => p.every((c) => Math.abs(c) <= spec.limit));
    return ok ? { value: text } : { error: `must be ${validValues(spec)}` };
  }
  const x = Number(text);
  const ok = text !== '' && Number.isFinite(x) && x >= spec.min && x <= spec.max && (!spec.integer || Number.isInteger(x))
    && !(spec.exclude && x > spec.exclude.lo && x < spec.exclude.hi);
  return ok ? { value: x } : { error: `must be ${validValues(spec)}` };
}

export function defaults<S extends Schema>(schema: S): Values<S> {
  return Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, s.default])) as Values<S>;
}

/** Reads every setting through `read(attributeName)`; unknown or missing ones take their defaults. */
export function parseSettings<S extends Schema>(
  schema: S,
  read: (attribute: string) => string | null,
): { values: Values<S>; errors: SettingError[] } {
  const values = defaults(schema) as Record<string, SettingValue>;
  const errors: SettingError[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const attribute = attributeName(key);
    const raw = read(attribute);
    if (raw === null) continue;
    const parsed = parseSetting(spec, raw);
    if ('value' in parsed) values[key] = parsed.value;
    else errors.push({ attribute, value: raw, message: `${attribute}="${raw}" is not valid: ${parsed.error}.` });
  }
  return { values: values as Values<S>, errors };
}

/** Settings that differ from their defaults, as a URL hash ("#a=1&b=x"); defaults are left out to keep links short. */
export function toHash<S extends Schema>(schema: S, values: Values<S>): string {
  const params = new URLSearchParams();
  for (const [key, spec] of Object.entries(schema)) {
    const v = (values as Record<string, SettingValue>)[key];
    if (!Object.is(v, spec.default)) params.set(attributeName(key), String(v));
  }
  const s = params.toString();
  return s ? '#' + s : '';
}

export function fromHash<S extends Schema>(schema: S, hash: string): { values: Values<S>; errors: SettingError[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return parseSettings(schema, (attribute) => params.get(attribute));
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
