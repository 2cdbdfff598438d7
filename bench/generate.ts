import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { todayIn } from '../src/connectivity/school-days.js';
import { generateState } from './generator.js';

const HELP = `Usage: node dist-bench/bench/generate.js --out DIR [--students 20000] [--shape state|city] [--seed 1] [--weeks 4] [--as-of YYYY-MM-DD]
                                      [--districts N] [--login-format csv|google]

Writes a synthetic state (one folder per district, and DIR/state.json) in the formats the imports
accept, without loading it anywhere. The same options write the same bytes.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      students: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      weeks: { type: 'string', default: '4' },
      'as-of': { type: 'string' },
      districts: { type: 'string' },
      'login-format': { type: 'string', default: 'csv' },
      shape: { type: 'string', default: 'state' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write(`${HELP}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const format = values['login-format'];
  if (format !== 'csv' && format !== 'google') throw new Error('--login-format must be csv or google');
  const shape = values.shape;
  if (shape !== 'state' && shape !== 'city') throw new Error('--shape must be state or city');
  const started = Date.now();
  const state = await generateState({
    dir: resolve(values.out),
    students: Number(values.students),
    seed: Number(values.seed),
    weeks: Number(values.weeks),
    asOf: values['as-of'] ?? todayIn('America/New_York'),
    loginFormat: format,
    shape,
    ...(values.districts ? { districts: Number(values.districts) } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ seconds: (Date.now() - started) / 1000, asOf: state.asOf, districts: state.districts.length, totals: state.totals })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`generate: ${(error as Error).message}\n`);
  process.exit(1);
});
