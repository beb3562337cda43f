/**
 * Make an experiment's results folder publishable (docs/results/full/eN): strip raw data from result.json
 * (long numeric arrays such as pooled configurations), write the standard "Comparisons" block into
 * report.md from result.json, and record how the run went (run.json: wall time, exit, machine load).
 * Used by examples/reproduce-all.ts after each script and on --collect.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { jsonReplacer } from './cli.js';
import { comparisonsTable, extractComparisons, upsertBlock } from './comparisons.js';

/** Marker name of the comparisons block in report.md (`<!-- comparisons:start -->` ... `:end -->`). */
export const COMPARISONS_BLOCK = 'comparisons';

/** Default longest numeric array kept in a published result.json (longer ones are raw data). */
export const DEFAULT_MAX_ARRAY = 4096;

/** How a script's run went, as written to run.json beside result.json. */
export interface RunInfo {
  /** Wall time of the script's process in seconds (start to exit). */
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /**
   * CPU time of the script's process and its threads (user + system, seconds), load-independent unlike the
   * wall time; undefined where it cannot be read (not Linux).
   */
  readonly cpuSeconds?: number;
  /** os.loadavg() (1, 5, 15 min) just before the script started and just after it ended. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  /** Logical CPUs of the machine. */
  readonly cpus: number;
  /** ISO times. */
  readonly started: string;
  readonly finished: string;
  readonly node: string;
  /** The script's arguments (preset, seed, out). */
  readonly args: readonly string[];
}

/** The machine's load average and CPU count now (for {@link RunInfo}). */
export function machineLoad(): { load: number[]; cpus: number } {
  return { load: loadavg().map((x) => Math.round(x * 100) / 100), cpus: cpus().length };
}

let clockTicks: number | undefined;

/**
 * CPU seconds (user + system) of this process's children that have ended and been waited for (Linux
 * /proc/self/stat cutime + cstime), or undefined elsewhere. The difference across one child's life is the
 * child's CPU time, worker threads included.
 */
export function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[13]) + Number(fields[14])) / clockTicks; // fields 16, 17: cutime, cstime
  } catch {
    return undefined;
  }
}

/** Write run.json into a results folder. */
export function writeRunInfo(folder: string, info: RunInfo): void {
  writeFileSync(join(folder, 'run.json'), `${JSON.stringify(info, null, 2)}\n`);
}

/** Read run.json from a results folder (undefined when absent or unreadable). */
export function readRunInfo(folder: string): RunInfo | undefined {
  const path = join(folder, 'run.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunInfo;
  } catch {
    return undefined;
  }
}

/**
 * A copy of a JSON value in which every array of more than `maxArray` numbers (or numeric strings such as
 * 'NaN') is replaced by `{ omitted: 'raw data', length }`; `omitted` lists the JSON paths replaced.
 * Arrays of objects (series, comparisons) are walked, never dropped.
 */
export function slimResult(
  value: unknown,
  maxArray = DEFAULT_MAX_ARRAY,
): { value: unknown; omitted: string[] } {
  const omitted: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) {
      const numeric = v.every(
        (x) => typeof x === 'number' || x === 'NaN' || x === 'Infinity' || x === '-Infinity',
      );
      if (numeric && v.length > maxArray) {
        omitted.push(path);
        return { omitted: 'raw data', length: v.length };
      }
      return v.map((x, i) => walk(x, `${path}[${i}]`));
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${path}.${k}`)]));
    }
    return v;
  };
  return { value: walk(value, '$'), omitted };
}

/** The comparisons block of report.md for a result (heading, source note, table). */
export function comparisonsBlock(result: unknown): string {
  const rows = extractComparisons(result);
  return [
    '## Comparisons (from result.json)',
    '',
    'Written by examples/reproduce-all.ts from `comparisons` in result.json; "agrees" is the experiment\'s own verdict.',
    '',
    rows.length > 0 ? comparisonsTable(rows) : 'No comparisons recorded in result.json.',
  ].join('\n');
}

/**
 * Make a results folder publishable: result.json re-written without raw data (see {@link slimResult}) when
 * it held any, and report.md given the comparisons block (replaced when present, appended otherwise).
 * Returns what was stripped and the folder's result.json size in bytes; does nothing without result.json.
 */
export function publishFolder(
  folder: string,
  maxArray = DEFAULT_MAX_ARRAY,
): { omitted: string[]; resultBytes: number } | undefined {
  const resultPath = join(folder, 'result.json');
  if (!existsSync(resultPath)) return undefined;
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as unknown;
  const slim = slimResult(result, maxArray);
  if (slim.omitted.length > 0) writeFileSync(resultPath, `${JSON.stringify(slim.value, jsonReplacer, 2)}\n`);
  const reportPath = join(folder, 'report.md');
  const report = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  writeFileSync(reportPath, upsertBlock(report, COMPARISONS_BLOCK, comparisonsBlock(slim.value), true));
  return { omitted: slim.omitted, resultBytes: statSync(resultPath).size };
}
