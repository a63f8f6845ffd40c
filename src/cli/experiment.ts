// `npm run -s experiment -- NAME [--option value …] [--json]`: runs a widget's computation headless in Node
// (tfjs on the cpu backend where tensors are involved) and prints one JSON object (with --json) or a short table.
// Exit status 2 with a clear message on a bad experiment name or option.
import { EXPERIMENTS } from './experiments/index.ts';
import { parseArgs, UsageError, usage } from './options.ts';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage(EXPERIMENTS));
    return name ? 0 : 2;
  }
  const experiment = EXPERIMENTS.find((e) => e.name === name);
  if (!experiment) throw new UsageError(`unknown experiment "${name}"; valid: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage([experiment]));
    return 0;
  }
  const { values, json } = parseArgs(experiment, rest);
  const result = await experiment.run(values);
  process.stdout.write(json ? JSON.stringify(result) + '\n' : formatTable(result));
  return 0;
}

function formatTable(result: Record<string, unknown>): string {
  return Object.entries(result).map(([k, v]) => `${k.padEnd(24)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('\n') + '\n';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`experiment: ${err.message}\n(run with --help for the list of experiments and options)\n`);
      process.exit(2);
    }
    process.stderr.write(`experiment failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
