/**
 * Shard files (Node only): the output of one task of a plan, in a results folder shared by whoever runs
 * the tasks. A shard is one header line of JSON `{ format, formatVersion, planHash, taskId, taskIndex,
 * bytes, sha256 }` and then the output as lossless JSON (./codec.ts) of exactly `bytes` UTF-8 bytes with
 * that SHA-256. It is written to a temporary file in the same folder and renamed into place, so a reader
 * never sees half a shard from a live writer; a shard cut short by a crash or a full disk fails its
 * length or checksum. The file name is the task's content hash: a rerun finds the shards already done.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoarseGrainError } from '../core/errors.js';
import { checkObject, checkPath } from '../core/validate.js';
import { decodeJson, encodeJson } from './codec.js';
import type { AnyResult } from './experiments.js';
import { checkPlan, checkPlanTask, type Plan, type PlanTask } from './plan.js';
import { sha256Hex } from './sha256.js';

/** A shard is missing, cut short, corrupt, or from another plan or task. Names the task. */
export class ShardError extends CoarseGrainError {
  override name = 'ShardError';
  /** Index of the task in the plan. */
  readonly taskIndex: number;
  /** 'missing' | 'truncated' | 'corrupt' | 'foreign'. */
  readonly reason: 'missing' | 'truncated' | 'corrupt' | 'foreign';
  constructor(message: string, taskIndex: number, reason: ShardError['reason']) {
    super(message);
    this.taskIndex = taskIndex;
    this.reason = reason;
  }
}

interface ShardHeader {
  readonly format: 'coarsegrain-shard';
  readonly formatVersion: 1;
  readonly planHash: string;
  readonly taskId: string;
  readonly taskIndex: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Path of a task's shard in `dir`: `<dir>/task-<task id>.shard`. */
export function shardPath(dir: string, task: PlanTask): string {
  checkPath(dir, 'shardPath: dir');
  checkPlanTask(task, 'shardPath: task');
  return join(dir, `task-${task.id}.shard`);
}

function label(task: PlanTask): string {
  return `task ${task.index} (${task.experiment} ${task.stage}, seed ${task.seed}, id ${task.id.slice(0, 12)})`;
}

/**
 * Write a task's output as a shard in `dir` (made if needed), atomically (temporary file + rename).
 * Returns the shard's path.
 * @throws DomainError when the output is not plain data.
 */
export function writeShard(dir: string, plan: Plan, task: PlanTask, output: AnyResult): string {
  checkPath(dir, 'writeShard: dir');
  checkPlan(plan, 'writeShard: plan');
  checkPlanTask(task, 'writeShard: task');
  checkObject(output as object, 'writeShard: output', 'an experiment result');
  const payload = encodeJson(output, `writeShard: output of task ${task.index}`);
  const header: ShardHeader = {
    format: 'coarsegrain-shard',
    formatVersion: 1,
    planHash: plan.hash,
    taskId: task.id,
    taskIndex: task.index,
    bytes: Buffer.byteLength(payload, 'utf8'),
    sha256: sha256Hex(payload),
  };
  mkdirSync(dir, { recursive: true });
  const path = shardPath(dir, task);
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, `${JSON.stringify(header)}\n${payload}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return path;
}

/**
 * Read and check a task's shard: present, made for this plan and this task, complete (length) and intact
 * (SHA-256). Returns the task's output.
 * @throws ShardError naming the task and what is wrong.
 */
export function readShard(dir: string, plan: Plan, task: PlanTask): AnyResult {
  checkPath(dir, 'readShard: dir');
  checkPlan(plan, 'readShard: plan');
  checkPlanTask(task, 'readShard: task');
  const path = shardPath(dir, task);
  const fail = (reason: ShardError['reason'], what: string) =>
    new ShardError(`${label(task)}: shard ${path}: ${what}`, task.index, reason);
  if (!existsSync(path)) throw fail('missing', 'missing (the task has not run, or ran into another folder)');
  const text = readFileSync(path, 'utf8');
  const newline = text.indexOf('\n');
  if (newline < 0)
    throw fail('truncated', 'expected a header line and the output, received no complete line');
  let header: ShardHeader;
  try {
    header = JSON.parse(text.slice(0, newline)) as ShardHeader;
  } catch {
    throw fail('corrupt', 'expected a JSON header line, received invalid JSON');
  }
  if (header?.format !== 'coarsegrain-shard' || header.formatVersion !== 1)
    throw fail('corrupt', `expected a coarsegrain-shard header, received ${text.slice(0, 60)}`);
  if (header.planHash !== plan.hash)
    throw fail(
      'foreign',
      `expected a shard of plan ${plan.hash.slice(0, 12)}..., received one of plan ${String(header.planHash).slice(0, 12)}...`,
    );
  if (header.taskId !== task.id || header.taskIndex !== task.index)
    throw fail(
      'foreign',
      `expected the shard of task ${task.index}, received that of task ${header.taskIndex} (id ${String(header.taskId).slice(0, 12)})`,
    );
  const payload = text.slice(newline + 1).replace(/\n$/, '');
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes !== header.bytes)
    throw fail('truncated', `expected ${header.bytes} bytes of output, received ${bytes}`);
  if (sha256Hex(payload) !== header.sha256)
    throw fail('corrupt', 'expected the output to match its SHA-256, received different content');
  return decodeJson(payload) as AnyResult;
}

/** Whether `dir` holds a valid shard of the task (see {@link readShard}). */
export function hasShard(dir: string, plan: Plan, task: PlanTask): boolean {
  checkPath(dir, 'hasShard: dir');
  checkPlan(plan, 'hasShard: plan');
  checkPlanTask(task, 'hasShard: task');
  try {
    readShard(dir, plan, task);
    return true;
  } catch (error) {
    if (error instanceof ShardError) return false;
    throw error;
  }
}
