/**
 * `npm run bench [-- name …]`: runs every benchmark in bench/benches (or the named ones) and prints one JSON
 * line per metric. Benchmarks that compare against a baseline measure it in the same run and print the ratio.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Benchmark {
  name: string;
  run(): AsyncIterable<Record<string, unknown>> | Promise<Array<Record<string, unknown>>>;
}

const dir = fileURLToPath(new URL('./benches/', import.meta.url));
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

let failed = false;
for (const file of files) {
  const mod = (await import(new URL(`./benches/${file}`, import.meta.url).href)) as { default: Benchmark };
  const bench = mod.default;
  if (wanted.size > 0 && !wanted.has(bench.name)) continue;
  try {
    const results = await bench.run();
    for await (const metric of results) process.stdout.write(`${JSON.stringify({ bench: bench.name, ...metric })}\n`);
  } catch (error) {
    failed = true;
    process.stdout.write(`${JSON.stringify({ bench: bench.name, error: (error as Error).message })}\n`);
  }
}
process.exit(failed ? 1 : 0);
