/**
 * Command-line helpers shared by the runnable examples and the `coarsegrain` command (Node only): argument
 * parsing, a progress bar on stderr driven by the library's onProgress callback, and writing a results folder
 * (result.json, SVG plots, report.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Progress } from '../core/progress.js';

/** Option spec for node:util parseArgs. */
export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; default?: string | boolean; short?: string }
>;

/** The flags every example takes: --out, --seed, --quick, --full, --json, --help. */
export const COMMON_OPTIONS: Readonly<OptionSpec> = {
  out: { type: 'string' },
  seed: { type: 'string', default: '1' },
  quick: { type: 'boolean', default: false },
  full: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/**
 * Parse argv with the given options plus the common --out, --seed, --quick, --full, --json, --help. Prints
 * the usage and exits 0 on --help; exits 2 with a one-line message on an unknown flag or a missing value.
 */
export function parseCli<T extends OptionSpec>(
  usage: string,
  options: T,
): { values: Record<string, string | boolean | undefined>; help: boolean } {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({
      strict: true,
      options: { ...options, ...COMMON_OPTIONS },
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    // Unknown flag, missing value, stray positional: one line and a pointer to --help, not a stack trace.
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    process.stderr.write(`${(error as Error).message}\nRun with --help to list the flags.\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return { values: parsed, help: false };
}

/** Read a numeric flag, with a clear message on bad input. */
export function numberFlag(
  values: Record<string, unknown>,
  name: string,
  fallback?: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!Number.isFinite(x)) {
    process.stderr.write(`--${name}: expected a number, received ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return x;
}

/** Read a comma-separated numeric list flag. */
export function listFlag(values: Record<string, unknown>, name: string): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const xs = String(raw).split(',').map(Number);
  if (xs.some((x) => !Number.isFinite(x))) {
    process.stderr.write(`--${name}: expected comma-separated numbers, received ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return xs;
}

/** A progress bar on stderr (only when stderr is a terminal or FORCE_PROGRESS is set); returns the callback. */
export function progressBar(label: string): (p: Progress) => void {
  const enabled = process.stderr.isTTY || process.env.FORCE_PROGRESS === '1';
  let lastStage = '';
  let lastDraw = 0;
  return (p: Progress) => {
    if (!enabled) return;
    const now = Date.now();
    const finished = p.done >= p.total;
    if (p.stage === lastStage && !finished && now - lastDraw < 100) return;
    lastDraw = now;
    if (p.stage !== lastStage && lastStage !== '') process.stderr.write('\n');
    lastStage = p.stage;
    const width = 30;
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(fraction * width);
    const metrics = p.metrics
      ? Object.entries(p.metrics)
          .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
          .join(' ')
      : '';
    process.stderr.write(
      `\r${label} ${p.stage.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${metrics}\x1b[K`,
    );
    if (finished) process.stderr.write('\n');
  };
}

/** Write a results folder: result.json, each SVG, and report.md. Returns the folder path. */
export function writeResults(
  folder: string,
  result: unknown,
  plots: Record<string, string>,
  report: string,
): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'result.json'), `${JSON.stringify(result, jsonReplacer, 2)}\n`);
  for (const [name, svg] of Object.entries(plots)) writeFileSync(join(folder, name), svg);
  writeFileSync(join(folder, 'report.md'), report);
  return folder;
}

/** JSON replacer: typed arrays become plain arrays, non-finite numbers become strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** Format a measurement as 'mean ± error' with sensible digits. */
export function pm(mean: number, error: number): string {
  if (!Number.isFinite(error) || error <= 0) return mean.toPrecision(5);
  const digits = Math.max(0, Math.min(8, 1 - Math.floor(Math.log10(error))));
  return `${mean.toFixed(digits)} ± ${error.toFixed(digits)}`;
}

/** A Markdown table from a header and rows. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
