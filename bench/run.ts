/**
 * Runs the benchmarks in bench/*.bench.ts and prints one table: our figure, the reference measured in the
 * same run, their ratio (>1 means we are better) and the target, under a header naming the references
 * (python interpreter, numpy / scikit-learn versions, BLAS kernel and threads; the C compiler). Usage:
 * `npm run bench [-- NAME ...] [-- --smoke]` (smoke: every row at a tiny size, one repetition, to check
 * that everything runs; the figures mean nothing). Exits 1 when a reference that exists failed.
 *
 * Each benchmark group runs in a child process of its own (`run.ts --child NAME`, which prints its rows
 * as JSON), so that no group's compiled code, heap or threads bear on the next one: run in one process,
 * the RBM rows after the decomposition and pool groups came out 10-25% slower than alone.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchRow } from './harness.js';
import { referenceFailures, referenceHeader } from './reference.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--smoke')) process.env.COARSEGRAIN_BENCH_SMOKE = '1';
const smoke = process.env.COARSEGRAIN_BENCH_SMOKE === '1';
const childAt = args.indexOf('--child');
/** In a child: the one group it runs (exact name); null in the parent. */
const child = childAt >= 0 ? args[childAt + 1]! : null;
const filter = args.filter(
  (a, i) => a !== '--smoke' && a !== '--child' && (childAt < 0 || i !== childAt + 1),
);

function format(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return x.toPrecision(3);
}

/** What a child prints as its last line: its rows (formatted), header lines and reference failures. */
interface ChildReport {
  readonly rows: string[][];
  readonly header: string[];
  readonly failures: string[];
}

/** Run the group `bench` in this process and return its formatted rows. */
async function runGroup(bench: Benchmark): Promise<string[][]> {
  const rows: string[][] = [];
  const result: BenchRow[] = await bench.run();
  for (const r of result) {
    const ratio = r.higherIsBetter ? r.ours / r.reference : r.reference / r.ours;
    const target = r.target === undefined ? '-' : `${format(r.target)} ${r.higherIsBetter ? 'min' : 'max'}`;
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
  return rows;
}

/** Run group `name` in a child process (same node and loader flags) and collect its report. */
function runChild(name: string): ChildReport {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, [...process.execArgv, script, '--child', name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !last.startsWith('{')) {
    throw new Error(`bench group ${name} failed (exit ${out.status ?? out.signal})`);
  }
  return JSON.parse(last) as ChildReport;
}

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const header = ['benchmark', 'case', 'ours', 'reference', 'ratio', 'target', 'unit', 'reference is'];
  const rows: string[][] = [];
  const headerLines: string[] = [];
  const failures: string[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] };
    for (const bench of mod.benchmarks) {
      if (child !== null) {
        if (bench.name !== child) continue;
        const report: ChildReport = {
          rows: await runGroup(bench),
          header: referenceHeader(),
          failures: referenceFailures,
        };
        console.log(JSON.stringify(report));
        return;
      }
      if (filter.length > 0 && !filter.some((f) => bench.name.includes(f))) continue;
      process.stderr.write(`running ${bench.name}...\n`);
      const report = runChild(bench.name);
      rows.push(...report.rows);
      for (const l of report.header)
        if (!l.includes('not used by the selected') && !headerLines.includes(l)) headerLines.push(l);
      failures.push(...report.failures);
    }
  }
  if (child !== null) throw new Error(`no benchmark group named ${child}`);
  for (const what of ['python references', 'C reference']) {
    if (!headerLines.some((l) => l.startsWith(what)))
      headerLines.push(`${what}: not used by the selected benchmarks`);
  }
  if (smoke) console.log('SMOKE RUN: tiny sizes, one repetition; the figures below are not measurements');
  for (const l of headerLines) console.log(l);
  console.log(
    `node ${process.version}; ratio > 1 means ours is better (rates: ours/reference, times: reference/ours)`,
  );
  console.log('');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  if (failures.length > 0) {
    console.error(`\n${failures.length} reference(s) FAILED:`);
    for (const f of failures) console.error(`  ${f}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
