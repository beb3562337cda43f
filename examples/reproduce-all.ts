/**
 * Run every experiment script (examples/eN-*.ts) one after another and write one index report.
 *
 *   npm run reproduce                                  # all experiments, quick presets
 *   npm run reproduce -- --full --out docs/results/full --publish   # regenerate the published results
 *   npx tsx examples/reproduce-all.ts --only E1,E3 --out results/all
 *
 * Each script runs as a child process (`node --import tsx examples/eN-....ts --quick|--full --seed S
 * --out OUT/eN`), so a crash or an out-of-memory in one experiment does not stop the others. Progress: one
 * line per script when it starts and ends (with its wall time), a heartbeat every 30 s, and the script's
 * own progress bar on a terminal. Afterwards OUT/eN/result.json and OUT/eN/report.md are collected into
 * OUT/index.md (a summary table linking every report, then a "Measured" section per experiment that
 * tabulates each comparison: quantity, measured ± error, reference, source, agrees) and OUT/index.json.
 * Each script's stdout and stderr are kept in OUT/eN/stdout.log and OUT/eN/stderr.log.
 *
 * Every results folder is made publishable (examples/lib/publish.ts): numeric arrays longer than
 * --max-array (raw configurations, weights) are replaced in result.json by `{ omitted, length }`, report.md
 * gets a "Comparisons (from result.json)" block, and run.json records the process's wall time, CPU time and
 * the machine's load average before and after. With --publish, the README "Reproduction status" table and
 * the figure + wall-time blocks of docs/experiments.md are then rewritten from the folders
 * (examples/publish-status.ts, also `npm run results`).
 *
 * Flags: --quick (default) | --full, --only E1,E3, --out dir (default results/all), --seed s (default 1),
 * --timeout seconds (per script, default none), --list (print the scripts found and exit), --collect
 * (run nothing, rebuild the index from the folders already in --out; wall time = run.json's, else the
 * result's), --dir folder (where to look for the scripts; default examples/), --data dir (real data sets),
 * --max-array n, --keep-raw, --workers n (for the scripts that take it: E3, E4, E8, E10), --publish.
 * Exit code: 0 when every script exited 0, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from 'coarsegrain';
import { markdownTable, numberFlag, parseCli } from './lib/cli.js';
import {
  agreeCount,
  type ComparisonRow,
  comparisonsTable,
  escapeCell,
  escapeText,
  extractComparisons,
} from './lib/comparisons.js';
import {
  childrenCpuSeconds,
  DEFAULT_MAX_ARRAY,
  machineLoad,
  publishFolder,
  type RunInfo,
  readRunInfo,
  writeRunInfo,
} from './lib/publish.js';
import { publishStatus } from './publish-status.js';

const USAGE = `usage: npx tsx examples/reproduce-all.ts [options]
  --quick            quick presets (default)
  --full             full (thesis-scale) presets
  --only E1,E3       run only these experiments (ids, case-insensitive); the index keeps the
                     earlier results of the others found in --out
  --out dir          results folder (default results/all); script N writes into dir/eN
  --seed s           seed passed to every script (default 1)
  --timeout s        kill a script after s seconds (default: no limit)
  --list             list the experiment scripts found and exit
  --collect          run nothing: rebuild index.md from the result folders already in --out
  --dir folder       where to look for e<N>-*.ts scripts (default: the examples folder)
  --data dir         folder holding mnist/, flowers/ and swimseg/images: passed as --mnist, --flowers,
                     --swimseg to the scripts that read real data (default: each script's own default)
  --max-array n      longest numeric array kept in a result.json (default ${DEFAULT_MAX_ARRAY}); longer ones
                     are raw data (configurations, weights) and are replaced by { omitted, length }
  --keep-raw         keep result.json as the script wrote it (no stripping)
  --workers n        worker threads for the scripts that take --workers (E4, E8, E10 split their work,
                     E3 trains its stack on n threads);
                     the results are the same for any n
  --publish          afterwards rewrite the README "Reproduction status" table and the docs/experiments.md
                     result blocks from --out (as npm run results)`;

/** One experiment script found in examples/. */
interface Script {
  readonly id: string; // 'E3'
  readonly number: number;
  readonly path: string;
  readonly file: string;
}

/** What the index records per script. */
interface RunRecord {
  readonly id: string;
  readonly script: string;
  readonly folder: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** True when the index was rebuilt from an earlier run (--collect): nothing was run. */
  readonly collected: boolean;
  readonly seconds: number;
  readonly title: string | undefined;
  readonly preset: string | undefined;
  readonly resultSeconds: number | undefined;
  readonly hasResult: boolean;
  readonly hasReport: boolean;
  /** SVG files the script wrote into its folder. */
  readonly figures: readonly string[];
  readonly comparisons: readonly ComparisonRow[];
  readonly problem: string | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));

/** examples/e<N>-<name>.ts, sorted by N. */
export function discoverScripts(folder: string): Script[] {
  return readdirSync(folder)
    .map((file) => ({ file, match: /^e(\d+)-[\w.-]+\.ts$/i.exec(file) }))
    .filter((x): x is { file: string; match: RegExpExecArray } => x.match !== null)
    .map(({ file, match }) => {
      const number = Number(match[1]);
      return { id: `E${number}`, number, path: join(folder, file), file };
    })
    .sort((a, b) => a.number - b.number || a.file.localeCompare(b.file));
}

/**
 * `--mnist DIR/mnist --flowers DIR/flowers --swimseg DIR/swimseg` for a script that reads real data (its
 * source calls presetCli with `dataFolders: true`), nothing for the others or without `--data`.
 */
function dataFlags(script: Script, data: string | undefined): string[] {
  if (data === undefined) return [];
  if (!/dataFolders:\s*true/.test(readFileSync(script.path, 'utf8'))) return [];
  return [
    '--mnist',
    join(data, 'mnist'),
    '--flowers',
    join(data, 'flowers'),
    '--swimseg',
    join(data, 'swimseg', 'images'),
  ];
}

/** `--workers N` for a script that takes it (its source uses WORKERS_FLAG), nothing otherwise. */
function workersFlags(script: Script, workers: number | undefined): string[] {
  if (workers === undefined || !readFileSync(script.path, 'utf8').includes('WORKERS_FLAG')) return [];
  return ['--workers', String(workers)];
}

/** Run one script as a child process; resolves when it exits. */
function runScript(
  script: Script,
  args: readonly string[],
  folder: string,
  timeoutSeconds: number | undefined,
): Promise<RunInfo> {
  mkdirSync(folder, { recursive: true });
  // a result left by an earlier run must not be mistaken for this run's
  for (const name of ['result.json', 'report.md', 'run.json']) rmSync(join(folder, name), { force: true });
  const before = machineLoad();
  const cpuBefore = childrenCpuSeconds();
  const started = new Date().toISOString();
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', script.path, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...(tty ? { FORCE_PROGRESS: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => stdout.push(b));
  child.stderr.on('data', (b: Buffer) => {
    stderr.push(b);
    if (tty) process.stderr.write(b); // the script's own progress bar
  });
  let timedOut = false;
  const timer =
    timeoutSeconds !== undefined
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
        }, timeoutSeconds * 1000)
      : undefined;
  const heartbeat = setInterval(() => {
    if (!tty) {
      const s = (performance.now() - t0) / 1000;
      process.stderr.write(`  ${script.id} still running (${s.toFixed(0)} s)\n`);
    }
  }, 30_000);
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      clearInterval(heartbeat);
      writeFileSync(join(folder, 'stdout.log'), Buffer.concat(stdout));
      writeFileSync(join(folder, 'stderr.log'), Buffer.concat(stderr));
      const cpuAfter = childrenCpuSeconds();
      const info: RunInfo = {
        seconds: (performance.now() - t0) / 1000,
        ...(cpuBefore !== undefined && cpuAfter !== undefined
          ? { cpuSeconds: Math.round((cpuAfter - cpuBefore) * 100) / 100 }
          : {}),
        exitCode: code,
        signal,
        timedOut,
        loadBefore: before.load,
        loadAfter: machineLoad().load,
        cpus: before.cpus,
        started,
        finished: new Date().toISOString(),
        node: process.version,
        args: [...args],
      };
      writeRunInfo(folder, info);
      resolvePromise(info);
    });
  });
}

function readJson(path: string): { value: unknown; problem: string | undefined } {
  if (!existsSync(path)) return { value: undefined, problem: `${basename(path)} not written` };
  try {
    return { value: JSON.parse(readFileSync(path, 'utf8')), problem: undefined };
  } catch (e) {
    return { value: undefined, problem: `${basename(path)} unreadable: ${(e as Error).message}` };
  }
}

/** The first line naming an error (the thrown message), else the last non-empty line. */
function errorLine(text: string): string {
  const lines = text
    .replace(/\r/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /^\w*(Error|Exception)\b|^\w+: /.test(l)) ?? lines[lines.length - 1] ?? '';
}

function statusOf(r: RunRecord): string {
  if (r.collected) return r.hasResult ? 'earlier run' : 'no result';
  if (r.timedOut) return 'timed out';
  if (r.exitCode !== 0) return r.signal ? `killed (${r.signal})` : `failed (exit ${r.exitCode})`;
  return r.hasResult ? 'ok' : 'ok (no result.json)';
}

/** The index report. */
export function indexMarkdown(
  records: readonly RunRecord[],
  meta: { mode: string; seed: number; out: string; seconds: number; date: string },
): string {
  const lines: string[] = [
    `# coarsegrain: reproduction of the thesis experiments (${meta.mode} presets)`,
    '',
    `coarsegrain ${VERSION}, Node ${process.version}, seed ${meta.seed}, ${meta.date}; total ${meta.seconds.toFixed(1)} s.`,
    'Each experiment is described in docs/experiments.md; this file is written by examples/reproduce-all.ts.',
    '',
    '## Summary',
    '',
    markdownTable(
      ['experiment', 'title', 'status', 'wall time (s)', 'comparisons agreeing', 'report'],
      records.map((r) => [
        r.id,
        escapeCell(r.title ?? '-'),
        statusOf(r),
        r.seconds.toFixed(1),
        agreeCount(r.comparisons),
        r.hasReport ? `[${r.folder}/report.md](${r.folder}/report.md)` : '-',
      ]),
    ),
    '',
  ];
  for (const r of records) {
    lines.push(`## ${r.id}${r.title ? `: ${escapeText(r.title)}` : ''}`, '');
    lines.push(
      `Script \`${r.script}\`, ${statusOf(r)}, ${r.seconds.toFixed(1)} s${r.preset ? `, preset ${r.preset}` : ''}.` +
        (r.hasReport ? ` Full report: [${r.folder}/report.md](${r.folder}/report.md).` : '') +
        ` Logs: ${r.folder}/stdout.log, ${r.folder}/stderr.log.`,
      '',
    );
    if (r.figures.length > 0)
      lines.push(`Figures: ${r.figures.map((f) => `[${f}](${r.folder}/${f})`).join(', ')}.`, '');
    if (r.problem) lines.push(`Problem: ${escapeCell(r.problem)}`, '');
    lines.push(`### Measured (${meta.mode} preset)`, '');
    if (r.comparisons.length === 0) {
      lines.push('No comparisons recorded in result.json.', '');
    } else {
      lines.push(comparisonsTable(r.comparisons), '');
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    only: { type: 'string' },
    timeout: { type: 'string' },
    list: { type: 'boolean', default: false },
    collect: { type: 'boolean', default: false },
    dir: { type: 'string' },
    data: { type: 'string' },
    'max-array': { type: 'string' },
    'keep-raw': { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
    workers: { type: 'string' },
  });
  if (values.quick && values.full) {
    process.stderr.write('--quick and --full exclude each other\n');
    process.exit(2);
  }
  const mode = values.full ? 'full' : 'quick';
  const seed = numberFlag(values, 'seed', 1)!;
  const timeout = numberFlag(values, 'timeout');
  const out = String(values.out ?? join('results', 'all'));
  const collect = values.collect === true;
  const maxArray = numberFlag(values, 'max-array', DEFAULT_MAX_ARRAY)!;
  const keepRaw = values['keep-raw'] === true;
  const data = typeof values.data === 'string' ? resolve(values.data) : undefined;
  const workers = numberFlag(values, 'workers');
  const dir = typeof values.dir === 'string' ? resolve(values.dir) : here;
  const allScripts = discoverScripts(dir);
  let scripts = allScripts;
  if (values.list) {
    for (const s of scripts) process.stdout.write(`${s.id}\t${relative(process.cwd(), s.path)}\n`);
    return;
  }
  if (typeof values.only === 'string') {
    const wanted = new Set(
      values.only
        .split(',')
        .map((x) => x.trim().toUpperCase())
        .filter((x) => x !== '')
        .map((x) => (x.startsWith('E') ? x : `E${x}`)),
    );
    const unknown = [...wanted].filter((id) => !scripts.some((s) => s.id === id));
    if (unknown.length > 0) {
      process.stderr.write(
        `--only: no script for ${unknown.join(', ')} (found: ${scripts.map((s) => s.id).join(', ') || 'none'})\n`,
      );
      process.exit(2);
    }
    scripts = scripts.filter((s) => wanted.has(s.id));
  }
  if (scripts.length === 0) {
    process.stderr.write(
      `no experiment scripts (e<N>-*.ts) found in ${relative(process.cwd(), dir) || '.'}\n`,
    );
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const records: RunRecord[] = [];
  // With --only, the experiments not selected keep their earlier results (if any) in the index.
  let k = 0;
  for (const script of allScripts) {
    const folderName = `e${script.number}`;
    const folder = join(out, folderName);
    const scriptPath = relative(process.cwd(), script.path);
    const selected = scripts.includes(script);
    if (!selected && !existsSync(join(folder, 'result.json'))) continue;
    const collected = collect || !selected;
    if (!collected)
      process.stderr.write(`[${++k}/${scripts.length}] ${script.id}: ${scriptPath} --${mode} -> ${folder}\n`);
    const earlier = collected ? readRunInfo(folder) : undefined;
    const run = collected
      ? { exitCode: 0, signal: null, timedOut: false, seconds: earlier?.seconds ?? 0 }
      : await runScript(
          script,
          [
            `--${mode}`,
            '--seed',
            String(seed),
            '--out',
            folder,
            ...dataFlags(script, data),
            ...workersFlags(script, workers),
          ],
          folder,
          timeout,
        );
    if (!keepRaw && existsSync(join(folder, 'result.json'))) {
      try {
        const published = publishFolder(folder, maxArray);
        if (published && published.omitted.length > 0)
          process.stderr.write(
            `      ${script.id}: stripped ${published.omitted.length} raw array(s) from result.json (${published.omitted.slice(0, 3).join(', ')}${published.omitted.length > 3 ? ', ...' : ''})\n`,
          );
      } catch (e) {
        process.stderr.write(`      ${script.id}: could not publish ${folder}: ${(e as Error).message}\n`);
      }
    }
    const result = readJson(join(folder, 'result.json'));
    const hasReport = existsSync(join(folder, 'report.md'));
    const r = (result.value ?? {}) as Record<string, unknown>;
    const stderrPath = join(folder, 'stderr.log');
    const stderrTail = existsSync(stderrPath) ? errorLine(readFileSync(stderrPath, 'utf8')) : '';
    const problems = [
      run.exitCode !== 0 && stderrTail !== '' ? stderrTail : undefined,
      result.problem,
    ].filter((x): x is string => x !== undefined);
    const record: RunRecord = {
      id: script.id,
      script: scriptPath,
      folder: folderName,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      collected,
      seconds: collected && earlier === undefined && typeof r.seconds === 'number' ? r.seconds : run.seconds,
      title: typeof r.title === 'string' ? r.title : undefined,
      preset: typeof r.preset === 'string' ? r.preset : undefined,
      resultSeconds: typeof r.seconds === 'number' ? r.seconds : undefined,
      hasResult: result.value !== undefined,
      hasReport,
      figures: (existsSync(folder) ? readdirSync(folder) : []).filter((f) => f.endsWith('.svg')).sort(),
      comparisons: extractComparisons(result.value),
      problem: problems.length > 0 ? problems.join('; ') : undefined,
    };
    records.push(record);
    const total = (performance.now() - t0) / 1000;
    process.stderr.write(
      `      ${script.id} ${statusOf(record)} in ${run.seconds.toFixed(1)} s, comparisons agreeing ${agreeCount(record.comparisons)} (total ${total.toFixed(1)} s)\n`,
    );
    if (record.problem) process.stderr.write(`      ${record.problem.replace(/\n/g, '\n      ')}\n`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const meta = { mode, seed, out, seconds, date: new Date().toISOString() };
  writeFileSync(join(out, 'index.md'), indexMarkdown(records, meta));
  writeFileSync(
    join(out, 'index.json'),
    `${JSON.stringify({ ...meta, version: VERSION, node: process.version, experiments: records }, null, 2)}\n`,
  );
  const failed = records.filter((r) => r.exitCode !== 0 || r.timedOut || (r.collected && !r.hasResult));
  const ran = records.filter((r) => !r.collected).length;
  const earlier = records.length - ran;
  const summary = collect
    ? `${records.length - failed.length}/${records.length} results collected`
    : `${ran - failed.filter((r) => !r.collected).length}/${ran} experiments ran${earlier > 0 ? ` (+${earlier} earlier results kept)` : ''}`;
  process.stdout.write(`${summary}; wrote ${resolve(out)}/index.md in ${seconds.toFixed(1)} s\n`);
  if (values.publish) {
    const paths = { results: out, readme: 'README.md', docs: join('docs', 'experiments.md') };
    const written = publishStatus(paths);
    writeFileSync(paths.readme, written.readme);
    writeFileSync(paths.docs, written.docs);
    process.stdout.write(
      `published ${written.published.map((p) => p.id).join(', ') || 'nothing'}: wrote ${paths.readme} and ${paths.docs}\n`,
    );
  }
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
