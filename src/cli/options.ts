// Option declarations and parsing for the experiment command. Every option is declared with its type and range,
// so `--help` and the error messages come from the same table.

export class UsageError extends Error {}

export type OptionSpec =
  | { name: string; kind: 'number'; help: string; default: number; min?: number; max?: number; integer?: boolean }
  | { name: string; kind: 'choice'; help: string; default: string; choices: readonly string[] };

export type OptionValues = Record<string, number | string>;

export interface Experiment {
  name: string;
  summary: string;
  options: OptionSpec[];
  run(values: OptionValues): Promise<Record<string, unknown>>;
}

export function usage(experiments: Experiment[]): string {
  const lines = ['usage: npm run -s experiment -- NAME [--option value …] [--json]', ''];
  for (const e of experiments) {
    lines.push(`${e.name}: ${e.summary}`);
    for (const o of e.options) {
      const range = o.kind === 'choice' ? o.choices.join(' | ') : `${o.min ?? '-∞'} … ${o.max ?? '∞'}${o.integer ? ', integer' : ''}`;
      lines.push(`  --${o.name.padEnd(14)} ${o.help} [${range}] (default ${o.default})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function parseArgs(e: Experiment, args: string[]): { values: OptionValues; json: boolean } {
  const values: OptionValues = Object.fromEntries(e.options.map((o) => [o.name, o.default]));
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') { json = true; continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const spec = e.options.find((o) => o.name === key);
    if (!spec) throw new UsageError(`unknown option --${key} for ${e.name}; valid: ${e.options.map((o) => '--' + o.name).join(', ')}`);
    const raw = inline ?? args[++i];
    if (raw === undefined) throw new UsageError(`option --${key} needs a value`);
    values[key] = parseValue(spec, raw);
  }
  return { values, json };
}

function parseValue(spec: OptionSpec, raw: string): number | string {
  if (spec.kind === 'choice') {
    if (!spec.choices.includes(raw)) throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(', ')}; got "${raw}"`);
    return raw;
  }
  const x = Number(raw);
  const bad = raw.trim() === '' || !Number.isFinite(x) || (spec.integer && !Number.isInteger(x))
    || (spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max);
  if (bad) throw new UsageError(`--${spec.name} must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}]; got "${raw}"`);
  return x;
}
