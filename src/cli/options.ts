// Flags of the experiment command. An experiment declares a settings schema (usually its widget's, plus a few
// headless-only settings such as the number of steps); its flags are the schema's attribute names in the CLI scope,
// so `--batch-size` here is `batch-size=` on <fgan-lab>, with the same range check and message, and `--help` is
// generated from the same labels.
import { parseArgs as parseNodeArgs } from 'node:util';
import {
  attributeName, formatValue, parseSettings, specIn, validValues, type Schema, type Values,
} from '../settings/schema.ts';

export class UsageError extends Error {}

export interface Experiment<S extends Schema = Schema> {
  name: string;
  summary: string;
  schema: S;
  run(values: Values<S>): Promise<Record<string, unknown>>;
}

/** An experiment with its schema's type erased, for the registry. */
export function experiment<S extends Schema>(e: Experiment<S>): Experiment {
  return e as unknown as Experiment;
}

function flags(schema: Schema): [string, NonNullable<ReturnType<typeof specIn>>][] {
  return Object.entries(schema).flatMap(([key, s]) => {
    const spec = specIn(s, 'cli');
    return spec ? [[attributeName(key), spec] as [string, typeof spec]] : [];
  });
}

export function usage(experiments: Experiment[]): string {
  const lines = ['usage: npm run -s experiment -- NAME [--option value …] [--json]', ''];
  for (const e of experiments) {
    lines.push(`${e.name}: ${e.summary}`);
    for (const [flag, spec] of flags(e.schema)) {
      const help = spec.doc ?? spec.label.en;
      const d = typeof spec.default === 'number' && Number.isNaN(spec.default) ? 'unset' : formatValue(spec.default);
      lines.push(`  --${flag.padEnd(20)} ${help} [${validValues(spec)}] (default ${d})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function parseArgs<S extends Schema>(e: Experiment<S>, args: string[]): { values: Values<S>; json: boolean } {
  const known = flags(e.schema);
  // node's parser takes "--u -1" for two options: bind a negative number to the flag before it
  const names = new Set(known.map(([f]) => '--' + f));
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (names.has(args[i]) && /^-[\d.]/.test(args[i + 1] ?? '')) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({
      args: joined,
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: 'boolean' },
        ...Object.fromEntries(known.map(([flag]) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (err) {
    const valid = known.map(([f]) => '--' + f).join(', ');
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (${e.name} takes: ${valid}, --json)`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const { values, errors } = parseSettings(e.schema, (flag) => (typeof raw[flag] === 'string' ? raw[flag] : undefined), 'cli');
  if (errors.length) throw new UsageError(errors.map((x) => '--' + x.message.replace(/="([^"]*)" is/, ' "$1" is')).join(' '));
  return { values, json: raw.json === true };
}
