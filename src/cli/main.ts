/**
 * The `coarsegrain` command (Node only): run an experiment, make a sweep plan, run one task of a plan
 * (a Slurm array job's unit of work), merge a plan's shards. `coarsegrain --help` and
 * `coarsegrain <command> --help` print the usage. Exit codes: 0 done, 1 failed (a coarsegrain error, e.g. a
 * refused shard), 2 bad command line.
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoarseGrainError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { AnyResult } from '../distributed/experiments.js';
import { EXPERIMENT_IDS, EXPERIMENTS, type ExperimentId } from '../distributed/experiments.js';
import { type Plan, planFromJson, planSweep, planToJson } from '../distributed/plan.js';
import { mergeShards, runPlan, runPlanTaskToShard } from '../distributed/runners.js';
import { VERSION } from '../version.js';
import { jsonReplacer, progressBar } from './args.js';
import {
  DATA_FOLDER_USAGE,
  dataFolderOptions,
  dataFolders,
  presetOptions,
  presetOverrides,
  presetUsage,
} from './presetFlags.js';
import { writeResultFolder } from './report.js';

/** A bad command line: printed as one line with a pointer to --help, exit code 2. */
class UsageError extends Error {}

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

const MAIN_USAGE = `coarsegrain ${VERSION}: experiments of 'A coarse graining perspective of deep learning', on one core,
on every core, or as task plans run anywhere (Slurm job arrays, several machines) and merged.

usage: coarsegrain <command> [flags]   (coarsegrain <command> --help for its flags)

commands:
  run E4 [--quick|--full] [--seed 1] [--workers N] [--out results/e4]   run one experiment
  plan E4 [--full] [--set sizes=64,128,256;32,64] [--seeds 1..5] --out plan.json   make a sweep plan
  task plan.json [--index I] --out DIR    run task I of a plan (default I: $SLURM_ARRAY_TASK_ID)
  merge plan.json DIR --out results/e4    merge the shards of every task into results
  worker --redis redis://HOST:PORT        run the tasks enqueued by run --redis on that Redis
  run E4 --full --redis redis://HOST:PORT enqueue the tasks as a BullMQ flow, wait, merge

experiments: ${EXPERIMENT_IDS.join(', ')}. See docs/scaling.md.`;

function parse(
  argv: string[],
  spec: Spec,
  usage: string,
): { values: Record<string, unknown>; positionals: string[] } | null {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
    }) as typeof parsed;
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    return null;
  }
  return parsed;
}

function experimentArg(positionals: string[], command: string): ExperimentId {
  const raw = positionals[0];
  if (raw === undefined)
    throw new UsageError(`${command}: expected an experiment id (${EXPERIMENT_IDS.join(', ')})`);
  const id = raw.toUpperCase();
  if (!EXPERIMENT_IDS.includes(id as ExperimentId))
    throw new UsageError(
      `${command}: expected an experiment id (${EXPERIMENT_IDS.join(', ')}), received ${raw}`,
    );
  if (positionals.length > 1) throw new UsageError(`${command}: unexpected argument ${positionals[1]}`);
  return id as ExperimentId;
}

/** Experiment id from the argv before parsing (to know which config flags exist); null when absent. */
function peekExperiment(argv: string[]): ExperimentId | null {
  const first = argv.find((a) => !a.startsWith('-'));
  const id = first?.toUpperCase();
  return EXPERIMENT_IDS.includes(id as ExperimentId) ? (id as ExperimentId) : null;
}

function integerFlag(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!Number.isInteger(x) || x < min)
    throw new UsageError(`--${name}: expected an integer >= ${min}, received ${JSON.stringify(raw)}`);
  return x;
}

/** `1..5` (inclusive) or `1,2,7`. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new UsageError(`--seeds: expected a..b with a <= b, received ${text}`);
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0))
    throw new UsageError(`--seeds: expected 1..5 or 1,2,3 (integers >= 0), received ${text}`);
  return seeds;
}

/**
 * `--set field=values`: the values a sweep takes for one config field. A number, string or boolean
 * field takes comma-separated values (`samples=1000,4000`); a list field takes one list per value,
 * the lists separated by ';' (`sizes=32,64,128;64,128,256`).
 */
export function parseSet(preset: object, text: string): [string, unknown[]] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set: expected field=value1,value2, received ${text}`);
  const field = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  const known = Object.keys(preset);
  if (!known.includes(field))
    throw new UsageError(`--set: expected one of the fields ${known.join(', ')}, received ${field}`);
  const isList = Array.isArray((preset as Record<string, unknown>)[field]);
  const parts = isList ? raw.split(';') : raw.split(',');
  return [field, parts.map((p) => presetOverrides(preset, { [field]: p })[field])];
}

function configFlags(id: ExperimentId): Spec {
  return {
    ...presetOptions(EXPERIMENTS[id].presets.quick),
    ...(readsData(id) ? dataFolderOptions() : {}),
    quick: { type: 'boolean' },
    full: { type: 'boolean' },
  };
}

function configFrom(id: ExperimentId, values: Record<string, unknown>): Record<string, unknown> {
  if (values.quick && values.full)
    throw new UsageError('--quick and --full: expected one of them, received both');
  const preset = EXPERIMENTS[id].presets.quick;
  return {
    preset: values.full ? 'full' : 'quick',
    ...presetOverrides(preset, values),
    // only the data folders the experiment has fields for: E4 has none, E8 all three, E11 MNIST only
    ...dataFolders(values, preset),
  };
}

/** Whether the experiment's config has a data folder field (`mnistDir`, `flowersDir`, `swimsegDir`). */
function readsData(id: ExperimentId): boolean {
  return Object.keys(EXPERIMENTS[id].presets.quick).some((k) => k.endsWith('Dir'));
}

function configUsage(id: ExperimentId | null): string {
  if (!id)
    return 'config fields: one flag per field of the experiment (coarsegrain run E4 --help lists them)';
  return `config fields of ${id} (quick preset's values shown; --full starts from the full preset's):\n  ${presetUsage(EXPERIMENTS[id].presets.quick)}${readsData(id) ? `\n  ${DATA_FOLDER_USAGE}` : ''}`;
}

function readPlan(path: string | undefined, command: string): Plan {
  if (path === undefined)
    throw new UsageError(
      `${command}: expected the path of a plan file (coarsegrain plan ... --out plan.json)`,
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${command}: cannot read the plan ${path}: ${(error as Error).message}`);
  }
  return planFromJson(text);
}

/** One progress callback: the bar on a terminal, nothing otherwise. */
function bar(label: string): (p: Progress) => void {
  return progressBar(label);
}

/** Write the merged results: one point straight into `out`, several into `out/point-<i>-seed-<s>`. */
function writePointResults(plan: Plan, results: AnyResult[], out: string): string[] {
  if (results.length === 1) return [writeResultFolder(out, results[0]!)];
  const folders = results.map((r, i) =>
    writeResultFolder(join(out, `point-${i}-seed-${plan.points[i]!.seed}`), r),
  );
  mkdirSync(out, { recursive: true });
  const sweep = {
    plan: plan.hash,
    experiment: plan.experiment,
    points: plan.points.map((p, i) => ({ config: p.config, seed: p.seed, folder: folders[i] })),
  };
  writeFileSync(join(out, 'sweep.json'), `${JSON.stringify(sweep, jsonReplacer, 2)}\n`);
  return folders;
}

async function runCommand(argv: string[]): Promise<number> {
  const id = peekExperiment(argv);
  const usage = `usage: coarsegrain run <E1..E11> [--quick|--full] [--seed 1] [--workers 0] [--out results/eN]
    [--shards DIR] [--redis redis://HOST:PORT] [--json] [config field flags]
  Runs the experiment and writes result.json and report.md to --out (the same result.json as
  examples/eN-*.ts). --workers N > 0 runs its independent tasks (E4: per sigma, runE4 on the two largest
  sizes and one Binder-curve task per smaller size; E8: one per data set x model; E10: one per data source x
  model) on N worker threads, longest first; the result is bit-identical to --workers 0 (in this thread)
  apart from the wall time. Data folders (--mnist DIR ...) are read by the task that needs
  them, in its own thread or on its own machine (the path must be valid there). --shards DIR keeps
  each finished task there, so an interrupted run resumes. --redis URL enqueues the tasks as a BullMQ flow on
  that Redis, waits for the workers (coarsegrain worker --redis URL) to run them and merge, and writes the
  same files; URL forms: redis://host:6379, redis://:password@host:6379/0, rediss://user:password@host:6380 (TLS).
  ${configUsage(id)}`;
  const spec: Spec = {
    ...(id ? configFlags(id) : { quick: { type: 'boolean' }, full: { type: 'boolean' } }),
    seed: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    shards: { type: 'string' },
    redis: { type: 'string' },
    json: { type: 'boolean' },
  };
  const parsed = parse(argv, spec, usage);
  if (!parsed) return 0;
  const experiment = experimentArg(parsed.positionals, 'run');
  const { values } = parsed;
  const seed = integerFlag(values, 'seed', 1);
  const workers = integerFlag(values, 'workers', 0);
  const plan = planSweep(experiment, configFrom(experiment, values), { seeds: [seed] });
  const redis = values.redis as string | undefined;
  if (redis !== undefined && (values.workers !== undefined || values.shards !== undefined))
    throw new UsageError(
      '--redis: expected without --workers and --shards (the Redis workers run the tasks)',
    );
  const results =
    redis !== undefined
      ? await (await import('../distributed/bullmq.js')).runPlanOnRedis(plan, { url: redis })
      : (
          await runPlan(plan, {
            workers,
            out: values.shards as string | undefined,
            onProgress: bar(experiment),
          })
        ).results;
  const result = results[0]!;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, jsonReplacer)}\n`);
    return 0;
  }
  const folder = writeResultFolder(
    (values.out as string | undefined) ?? join('results', experiment.toLowerCase()),
    result,
  );
  process.stdout.write(`wrote ${folder}/{result.json,report.md} in ${result.seconds.toFixed(1)} s\n`);
  return 0;
}

async function planCommand(argv: string[]): Promise<number> {
  const id = peekExperiment(argv);
  const usage = `usage: coarsegrain plan <E1..E11> [--quick|--full] [config field flags] [--set field=v1,v2 ...]
    [--seeds 1..5] [--split auto|none] [--out plan.json]
  Writes a plan: one point per combination of the --set values and seeds, each point one task (or, with
  --split auto, for E4 per sigma one task on its two largest sizes and one per smaller size, per data set
  x model for E8, per data source x model for E10). Prints the number of tasks.
  --set field=v1,v2       sweep a number/string field over v1, v2 (repeat --set for more fields);
  --set sizes=32,64;64,128  a list field takes lists separated by ';'
  --seeds 1..5 | 1,2,7    the seeds of every point (default 1)
  ${configUsage(id)}`;
  const spec: Spec = {
    ...(id ? configFlags(id) : { quick: { type: 'boolean' }, full: { type: 'boolean' } }),
    set: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    split: { type: 'string' },
    out: { type: 'string' },
  };
  const parsed = parse(argv, spec, usage);
  if (!parsed) return 0;
  const experiment = experimentArg(parsed.positionals, 'plan');
  const { values } = parsed;
  const preset = EXPERIMENTS[experiment].presets.quick;
  const grid = Object.fromEntries(
    ((values.set as string[] | undefined) ?? []).map((s) => parseSet(preset, s)),
  );
  const seeds = values.seeds === undefined ? [1] : parseSeeds(String(values.seeds));
  const split = (values.split as string | undefined) ?? 'auto';
  if (split !== 'auto' && split !== 'none')
    throw new UsageError(`--split: expected auto or none, received ${split}`);
  const plan = planSweep(experiment, configFrom(experiment, values), { grid, seeds, split });
  const out = (values.out as string | undefined) ?? 'plan.json';
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, planToJson(plan));
  process.stdout.write(
    `${plan.tasks.length} tasks (${plan.points.length} points) written to ${out}; plan ${plan.hash.slice(0, 12)}\n` +
      `run them with: coarsegrain task ${out} --index I --out DIR   (I = 0..${plan.tasks.length - 1})\n`,
  );
  return 0;
}

async function taskCommand(argv: string[]): Promise<number> {
  const usage = `usage: coarsegrain task plan.json [--index I] --out DIR
  Runs task I of the plan and writes its shard to DIR (a folder shared by all tasks), unless a valid
  shard of it is already there. I defaults to $SLURM_ARRAY_TASK_ID (a Slurm job array's index).`;
  const parsed = parse(argv, { index: { type: 'string' }, out: { type: 'string' } }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`task: unexpected argument ${positionals[1]}`);
  const plan = readPlan(positionals[0], 'task');
  const fromEnv = process.env.SLURM_ARRAY_TASK_ID || undefined;
  if (values.index === undefined && fromEnv === undefined)
    throw new UsageError('task: expected --index I or SLURM_ARRAY_TASK_ID in the environment');
  const index = integerFlag({ index: values.index ?? fromEnv }, 'index', 0);
  if (index >= plan.tasks.length)
    throw new UsageError(
      `--index: expected 0..${plan.tasks.length - 1} (the plan has ${plan.tasks.length} tasks), received ${index}`,
    );
  if (values.out === undefined) throw new UsageError('task: expected --out DIR (the shard folder)');
  const { ran, path } = await runPlanTaskToShard(plan, index, values.out as string, {
    onProgress: bar(`task ${index}`),
  });
  process.stdout.write(`${ran ? 'wrote' : 'already done:'} ${path}\n`);
  return 0;
}

async function mergeCommand(argv: string[]): Promise<number> {
  const usage = `usage: coarsegrain merge plan.json DIR [--out results/eN]
  Checks the shard of every task of the plan in DIR (present, complete, intact, of this plan) and writes the
  merged result of every point: result.json and report.md in --out for a single point, one folder per point
  and sweep.json for a sweep. Refuses, naming the tasks, when a shard is missing, truncated or foreign.`;
  const parsed = parse(argv, { out: { type: 'string' } }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError('merge: expected a plan file and a shard folder');
  const plan = readPlan(positionals[0], 'merge');
  const results = mergeShards(plan, positionals[1]!);
  const out = (values.out as string | undefined) ?? join('results', plan.experiment.toLowerCase());
  const folders = writePointResults(plan, results, out);
  process.stdout.write(
    `merged ${plan.tasks.length} tasks into ${folders.length} result folder(s) under ${out}\n`,
  );
  return 0;
}

async function workerCommand(argv: string[]): Promise<number> {
  const usage = `usage: coarsegrain worker --redis redis://HOST:PORT [--concurrency 1] [--lock-ms 30000]
  Runs the tasks and merges of every plan enqueued on that Redis (coarsegrain run EN --redis URL), each
  task in a worker thread, --concurrency at a time, until interrupted (SIGINT/SIGTERM: finishes the
  running jobs first). A worker that dies mid-task loses nothing: after --lock-ms another worker reruns the
  task. URL forms: redis://host:6379, redis://:password@host:6379/0, rediss://user:password@host:6380 (TLS).`;
  const parsed = parse(
    argv,
    { redis: { type: 'string' }, concurrency: { type: 'string' }, 'lock-ms': { type: 'string' } },
    usage,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`worker: unexpected argument ${positionals[0]}`);
  if (values.redis === undefined) throw new UsageError('worker: expected --redis redis://HOST:PORT');
  // BullMQ is loaded only by the commands that use Redis
  const { startRedisWorker } = await import('../distributed/bullmq.js');
  const worker = startRedisWorker({
    url: values.redis as string,
    concurrency: integerFlag(values, 'concurrency', 1, 1),
    lockDuration: integerFlag(values, 'lock-ms', 30_000, 500),
    onEvent: (event, jobId, detail) =>
      process.stderr.write(`${new Date().toISOString()} ${event} ${jobId}${detail ? `: ${detail}` : ''}\n`),
  });
  process.stderr.write(`coarsegrain worker: waiting for jobs (pid ${process.pid})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  plan: planCommand,
  task: taskCommand,
  merge: mergeCommand,
  worker: workerCommand,
};

/**
 * Run the command line `argv` (without the node and script paths). Resolves to the exit code; writes to
 * stdout/stderr.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run)
      throw new UsageError(`unknown command ${command}: expected one of ${Object.keys(COMMANDS).join(', ')}`);
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `coarsegrain: ${error.message}\nRun coarsegrain ${command in COMMANDS ? `${command} ` : ''}--help for the usage.\n`,
      );
      return 2;
    }
    if (error instanceof CoarseGrainError) {
      process.stderr.write(`coarsegrain ${command}: ${error.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
