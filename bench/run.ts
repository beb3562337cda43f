/**
 * Runs the benchmarks in bench/*.bench.ts and prints one table: our figure, the reference measured in the
 * same run, their ratio (>1 means we are better) and the target, under a header naming the references
 * (python interpreter, numpy / scikit-learn versions, BLAS kernel and threads; the C compiler). Usage:
 * `npm run bench [-- NAME ...] [-- --smoke]` (smoke: every row at a tiny size, one repetition, to check
 * that everything runs; the figures mean nothing). Exits 1 when a reference that exists failed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchRow } from './harness.js';
import { referenceFailures, referenceHeader } from './reference.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--smoke')) process.env.COARSEGRAIN_BENCH_SMOKE = '1';
const smoke = process.env.COARSEGRAIN_BENCH_SMOKE === '1';
const filter = args.filter((a) => a !== '--smoke');

function format(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return x.toPrecision(3);
}

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const header = ['benchmark', 'case', 'ours', 'reference', 'ratio', 'target', 'unit', 'reference is'];
  const rows: string[][] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] };
    for (const bench of mod.benchmarks) {
      if (filter.length > 0 && !filter.some((f) => bench.name.includes(f))) continue;
      process.stderr.write(`running ${bench.name}...\n`);
      const result: BenchRow[] = await bench.run();
      for (const r of result) {
        const ratio = r.higherIsBetter ? r.ours / r.reference : r.reference / r.ours;
        const target =
          r.target === undefined ? '-' : `${format(r.target)} ${r.higherIsBetter ? 'min' : 'max'}`;
        rows.push([
          bench.name,
          r.case,
          format(r.ours),
          format(r.reference),
          format(ratio),
          target,
          r.unit,
          r.referenceLabel,
        ]);
      }
    }
  }
  if (smoke) console.log('SMOKE RUN: tiny sizes, one repetition; the figures below are not measurements');
  for (const l of referenceHeader()) console.log(l);
  console.log(
    `node ${process.version}; ratio > 1 means ours is better (rates: ours/reference, times: reference/ours)`,
  );
  console.log('');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  if (referenceFailures.length > 0) {
    console.error(`\n${referenceFailures.length} reference(s) FAILED:`);
    for (const f of referenceFailures) console.error(`  ${f}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
