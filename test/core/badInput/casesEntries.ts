/**
 * Bad-input cases of the Node entries: `coarsegrain/node` (files: a temporary folder holds one valid file
 * of each format), `coarsegrain/parallel` (one shared one-worker pool, see {@link setPool}) and
 * `coarsegrain/distributed` (a tiny E4 plan; Redis functions are only given options refused before any
 * connection).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyResult,
  canonicalJson,
  checkPlan,
  checkPlanTask,
  decodeJson,
  encodeJson,
  hasShard,
  listMakespan,
  longestFirst,
  mergePlan,
  mergePoint,
  mergeShards,
  type Plan,
  planFromJson,
  planSweep,
  planToJson,
  readShard,
  runPlan,
  runPlanOnRedis,
  runPlanTask,
  runPlanTaskToShard,
  sha256Hex,
  shardPath,
  startRedisWorker,
  taskCost,
  taskId,
  writeShard,
} from '../../../src/distributed/index.js';
import { createRng, encodeEnsembleFile, encodeIdx, encodePng, matrix } from '../../../src/index.js';
import {
  decodeImage,
  loadEnsemble,
  loadEnsembleFile,
  loadIdx,
  loadImageFolder,
  loadMnist,
  loadModel,
  loadNpy,
  readBytes,
  saveEnsemble,
  saveEnsembleFile,
  saveEnsembleNpy,
  saveModel,
  saveNpy,
  writeFileAtomic,
} from '../../../src/node/index.js';
import {
  aisLogPartitionParallel,
  covarianceParallel,
  createThreadedGemm,
  createWorkerPool,
  destroyWorkerPool,
  gemmParallel,
  mapParallel,
  parallelTemperingParallel,
  runTask,
  sampleEnsemblesParallel,
  sharedFloatArray,
  type WorkerPool,
} from '../../../src/parallel/index.js';
import { TINY_E4 } from '../../distributed/fixtures.js';
import { ensemble, f64, ising, rbm } from './fixtures.js';
import type { Case } from './harness.js';

// ---------------------------------------------------------------- coarsegrain/node
/** The temporary folder of the node cases (removed by {@link removeFiles}). */
export const dir = mkdtempSync(join(tmpdir(), 'cg-badinput-'));
const file = (name: string) => join(dir, name);
const missing = () => join(dir, 'no-such-folder', 'x.bin');
const png = () =>
  encodePng({ data: Uint8Array.from({ length: 16 }, (_, i) => i * 16), width: 4, height: 4, channels: 1 });
mkdirSync(file('images'));
writeFileSync(file('images/a.png'), png());
writeFileSync(file('a.idx'), encodeIdx(Uint8Array.of(1, 2, 3, 4), [2, 2]));
writeFileSync(
  file('contents.cgf'),
  encodeEnsembleFile({ metadata: { a: 1 }, arrays: { x: f64(4, (i) => i) } }),
);
/** Resolves once the valid files are written (await it before the node cases). */
export const ready: Promise<void> = (async () => {
  await saveNpy(
    file('a.npy'),
    f64(4, (i) => i),
    [2, 2],
  );
  await saveEnsemble(file('e.cge'), ensemble());
  await saveModel(file('m.cgm'), rbm());
})();

/** Remove the temporary folder. */
export async function removeFiles(): Promise<void> {
  await ready;
  rmSync(dir, { recursive: true, force: true });
}

/** Every path-taking function: a missing folder and a directory where a file is expected, too. */
const pathExtras = (rest: () => unknown[]) => () => [
  [missing(), ...rest()],
  [dir, ...rest()],
];

export const nodeCases: Case[] = [
  { name: 'decodeImage', call: decodeImage as never, args: () => [png()], kinds: ['bytes'] },
  {
    name: 'loadEnsemble',
    call: loadEnsemble as never,
    args: () => [file('e.cge')],
    kinds: ['string'],
    extra: pathExtras(() => []),
  },
  {
    name: 'saveEnsemble',
    call: saveEnsemble as never,
    args: () => [file('e2.cge'), ensemble()],
    kinds: ['string', 'object'],
    extra: () => [
      [missing(), ensemble()],
      [dir, ensemble()],
    ],
  },
  {
    name: 'saveEnsembleNpy',
    call: saveEnsembleNpy as never,
    args: () => [file('e.npy'), ensemble()],
    kinds: ['string', 'object'],
    extra: () => [
      [missing(), ensemble()],
      [dir, ensemble()],
    ],
  },
  {
    name: 'loadEnsembleFile',
    call: loadEnsembleFile as never,
    args: () => [file('contents.cgf')],
    kinds: ['string'],
    extra: pathExtras(() => []),
  },
  {
    name: 'saveEnsembleFile',
    call: saveEnsembleFile as never,
    args: () => [file('c2.cgf'), { metadata: {}, arrays: { x: f64(2, (i) => i) } }],
    kinds: ['string', 'required'],
    extra: pathExtras(() => [{ metadata: {}, arrays: { x: f64(2, (i) => i) } }]),
  },
  {
    name: 'loadIdx',
    call: loadIdx as never,
    args: () => [file('a.idx')],
    kinds: ['string'],
    extra: pathExtras(() => []),
  },
  {
    name: 'loadNpy',
    call: loadNpy as never,
    args: () => [file('a.npy')],
    kinds: ['string'],
    extra: pathExtras(() => []),
  },
  {
    name: 'saveNpy',
    call: saveNpy as never,
    args: () => [file('b.npy'), f64(4, (i) => i), [2, 2]],
    kinds: ['string', 'object', 'shape'],
    extra: pathExtras(() => [f64(4, (i) => i), [2, 2]]),
  },
  {
    name: 'loadMnist',
    call: loadMnist as never,
    args: () => [dir, {}],
    kinds: [],
    baseline: false,
    extra: () => [[null], [42], [''], [missing()], [dir, { bogus_key: 1 }], [dir, 42]],
  },
  {
    name: 'readBytes',
    call: readBytes as never,
    args: () => [file('a.idx'), 'f', 'path'],
    kinds: ['string'],
    extra: pathExtras(() => ['f', 'path']),
  },
  {
    name: 'writeFileAtomic',
    call: writeFileAtomic as never,
    args: () => [file('w.bin'), Uint8Array.of(1, 2), 'f'],
    kinds: ['string', 'bytes'],
    extra: pathExtras(() => [Uint8Array.of(1, 2), 'f']),
  },
  {
    name: 'loadImageFolder',
    call: loadImageFolder as never,
    args: () => [file('images'), {}],
    kinds: ['string', 'options'],
    extra: () => [[missing()], [file('a.idx')]],
  },
  {
    name: 'loadModel',
    call: loadModel as never,
    args: () => [file('m.cgm')],
    kinds: ['string'],
    extra: pathExtras(() => []),
  },
  {
    name: 'saveModel',
    call: saveModel as never,
    args: () => [file('m2.cgm'), rbm()],
    kinds: ['string'],
    extra: () => [
      [missing(), rbm()],
      [dir, rbm()],
      [file('m3.cgm'), null],
      [file('m3.cgm'), 42],
    ],
  },
];

// ---------------------------------------------------------------- coarsegrain/parallel
let shared: WorkerPool | undefined;
/** Start (once) the shared one-worker pool of the parallel cases. */
export function setPool(): WorkerPool {
  shared ??= createWorkerPool({ workers: 1 });
  return shared;
}
/** Destroy the shared pool. */
export async function closePool(): Promise<void> {
  if (shared) await destroyWorkerPool(shared);
  shared = undefined;
}
const pool = () => setPool();

export const parallelCases: Case[] = [
  {
    name: 'createWorkerPool',
    call: ((options: unknown) => destroyWorkerPool(createWorkerPool(options as never))) as never,
    args: () => [{ workers: 1 }],
    kinds: ['options'],
    extra: () => [[{ workers: 0 }], [{ workers: 1.5 }], [{ workers: 1e6 }], [{ taskModules: 42 }]],
  },
  {
    name: 'createThreadedGemm',
    call: ((options: unknown) => createThreadedGemm(options as never).close()) as never,
    args: () => [{ threads: 1 }],
    kinds: ['required'],
    extra: () => [[{ threads: 0 }], [{ threads: 1.5 }], [{ threads: 1e6 }], [{ threads: 1, timeoutMs: -1 }]],
  },
  {
    name: 'destroyWorkerPool',
    call: destroyWorkerPool as never,
    args: () => [createWorkerPool({ workers: 1 })],
    kinds: ['object'],
  },
  {
    name: 'runTask',
    call: runTask as never,
    args: () => [pool(), 'coarsegrain:gemmRows', null, {}],
    kinds: ['object', 'string'],
    baseline: false,
    extra: () => [
      [pool(), 'coarsegrain:gemmRows', {}],
      [pool(), 'coarsegrain:bogus', {}],
      [pool(), 'coarsegrain:gemmRows', {}, { bogus_key: 1 }],
      [pool(), 'coarsegrain:gemmRows', {}, { signal: 42 }],
    ],
  },
  {
    name: 'mapParallel',
    call: mapParallel as never,
    args: () => [pool(), 'coarsegrain:gemmRows', [], {}],
    kinds: ['object', 'string', 'list', 'options'],
  },
  {
    name: 'gemmParallel',
    call: gemmParallel as never,
    args: () => [
      pool(),
      null,
      matrix(
        f64(6, (i) => i),
        2,
        3,
      ),
      matrix(
        f64(6, (i) => i + 1),
        3,
        2,
      ),
      {},
    ],
    kinds: ['object', undefined, 'matrixNumbers', 'matrixNumbers', 'options'],
    extra: () => [
      [
        pool(),
        null,
        matrix(
          f64(6, (i) => i),
          2,
          3,
        ),
        matrix(
          f64(6, (i) => i + 1),
          2,
          3,
        ),
        {},
      ], // swapped b
      [
        pool(),
        matrix(new Float64Array(4), 1, 4),
        matrix(
          f64(6, (i) => i),
          2,
          3,
        ),
        matrix(
          f64(6, (i) => i),
          3,
          2,
        ),
      ],
    ],
  },
  {
    name: 'covarianceParallel',
    call: covarianceParallel as never,
    args: () => [
      pool(),
      matrix(
        f64(12, (i) => Math.sin(i)),
        4,
        3,
      ),
      {},
    ],
    kinds: ['object', 'matrix', 'options'],
  },
  {
    name: 'sharedFloatArray',
    call: sharedFloatArray as never,
    args: () => ['float64', 4],
    kinds: ['enum', 'count'],
  },
  {
    name: 'sampleEnsemblesParallel',
    call: sampleEnsemblesParallel as never,
    args: () => [pool(), ising(), [2, 3], { samples: 2, burnIn: 2, seed: 1 }],
    kinds: ['object', 'model', 'data', 'required'],
  },
  {
    name: 'parallelTemperingParallel',
    call: parallelTemperingParallel as never,
    args: () => [pool(), ising(), [2, 2.5], { samples: 4, burnIn: 2, rng: createRng(3) }],
    kinds: ['object', 'model', 'data', 'required'],
  },
  {
    name: 'aisLogPartitionParallel',
    call: aisLogPartitionParallel as never,
    args: () => [pool(), rbm(), { seed: 1, chains: 4, betas: 10 }],
    kinds: ['object', 'object', 'required'],
  },
];

// ---------------------------------------------------------------- coarsegrain/distributed
const TINY = TINY_E4;
const plan = (): Plan => planSweep('E4', TINY, { seeds: [1] });
let outputs: AnyResult[] | undefined;
async function planOutputs(): Promise<AnyResult[]> {
  outputs ??= await Promise.all(plan().tasks.map((t) => runPlanTask(t)));
  return outputs;
}
const shardDir = () => file('shards');
/** Write the plan's one shard (once) and return the arguments (dir, plan, task) that read it. */
let written = false;
async function withShard<T>(f: () => T): Promise<T> {
  if (!written) {
    const outs = await planOutputs();
    for (const task of plan().tasks) writeShard(shardDir(), plan(), task, outs[task.index]!);
    written = true;
  }
  return f();
}

export const distributedCases: Case[] = [
  {
    name: 'encodeJson',
    call: encodeJson as never,
    args: () => [{ a: f64(2, (i) => i) }],
    kinds: [],
    extra: () => [[() => 1], [Symbol.for('x')], [{ a: 1n }]],
  },
  {
    name: 'canonicalJson',
    call: canonicalJson as never,
    args: () => [{ b: 1, a: 2 }],
    kinds: [],
    extra: () => [[() => 1], [{ a: 1n }]],
  },
  {
    name: 'decodeJson',
    call: decodeJson as never,
    args: () => [encodeJson({ a: 1 })],
    kinds: ['string'],
    extra: () => [['{']],
  },
  {
    name: 'sha256Hex',
    call: sha256Hex as never,
    args: () => ['abc'],
    kinds: [],
    extra: () => [[null], [42], [{}]],
  },
  {
    name: 'taskId',
    call: taskId as never,
    args: () => ['E4', 'run', TINY, 1],
    kinds: ['enum', 'string'],
    extra: () => [
      ['E4', 'run', TINY, -1],
      ['E4', 'run', TINY, 0.5],
      ['E4', 'run', TINY, Number.NaN],
      ['E4', 'run', null, 1],
      ['E4', 'run', 42, 1],
    ],
  },
  {
    name: 'planSweep',
    call: planSweep as never,
    args: () => ['E4', TINY, { seeds: [1, 2] }],
    kinds: ['enum', undefined, 'options'],
    extra: () => [
      ['E4', 42],
      ['E4', { bogus_key: 1 }],
      ['E4', null],
    ],
  },
  { name: 'checkPlanTask', call: checkPlanTask as never, args: () => [plan().tasks[0]], kinds: ['object'] },
  { name: 'taskCost', call: taskCost as never, args: () => [plan().tasks[0]], kinds: ['object'] },
  {
    name: 'longestFirst',
    call: longestFirst as never,
    args: () => [plan().tasks],
    kinds: [],
    extra: () => [[null], [42], [[{}]], [[plan().tasks[0], 'abc']]],
  },
  {
    name: 'listMakespan',
    call: listMakespan as never,
    args: () => [[3, 2, 1], 2],
    kinds: [undefined, 'size'],
    extra: () => [
      [null, 2],
      ['abc', 2],
      [[1, -1], 2],
      [[Number.NaN], 2],
      [[Number.POSITIVE_INFINITY], 2],
    ],
  },
  { name: 'checkPlan', call: checkPlan as never, args: () => [plan()], kinds: ['object'] },
  { name: 'planToJson', call: planToJson as never, args: () => [plan()], kinds: ['object'] },
  {
    name: 'planFromJson',
    call: planFromJson as never,
    args: () => [planToJson(plan())],
    kinds: ['string'],
    extra: () => [['{']],
  },
  {
    name: 'runPlanTask',
    call: runPlanTask as never,
    args: () => [plan().tasks[0], {}],
    kinds: ['object', 'options'],
  },
  {
    name: 'mergePoint',
    call: (async (p: Plan, i: number, o: unknown) =>
      mergePoint(p, i, o === 'outputs' ? await planOutputs() : (o as never))) as never,
    args: () => [plan(), 0, 'outputs'],
    kinds: ['object', 'count', 'list'],
  },
  {
    name: 'mergePlan',
    call: (async (p: Plan, o: unknown) =>
      mergePlan(p, o === 'outputs' ? await planOutputs() : (o as never))) as never,
    args: () => [plan(), 'outputs'],
    kinds: ['object', 'list'],
  },
  {
    name: 'runPlan',
    call: runPlan as never,
    args: () => [plan(), { workers: 1 }],
    kinds: ['object', 'options'],
    runs: 5,
  },
  {
    name: 'runPlanTaskToShard',
    call: runPlanTaskToShard as never,
    args: () => [plan(), 0, shardDir(), {}],
    kinds: ['object', 'count', 'string', 'options'],
    runs: 5,
  },
  {
    name: 'shardPath',
    call: shardPath as never,
    args: () => [shardDir(), plan().tasks[0]],
    kinds: ['string', 'object'],
  },
  {
    name: 'writeShard',
    call: (async (d: string, p: Plan, t: unknown, o: unknown) =>
      writeShard(d, p, t as never, o === 'output' ? (await planOutputs())[0]! : (o as never))) as never,
    args: () => [shardDir(), plan(), plan().tasks[0], 'output'],
    kinds: ['string', 'object', 'object'],
    extra: () => [
      [shardDir(), plan(), plan().tasks[0], null],
      [shardDir(), plan(), plan().tasks[0], 42],
    ],
  },
  {
    name: 'readShard',
    call: ((...a: unknown[]) => withShard(() => readShard(...(a as Parameters<typeof readShard>)))) as never,
    args: () => [shardDir(), plan(), plan().tasks[0]],
    kinds: ['string', 'object', 'object'],
  },
  {
    name: 'hasShard',
    call: ((...a: unknown[]) => withShard(() => hasShard(...(a as Parameters<typeof hasShard>)))) as never,
    args: () => [shardDir(), plan(), plan().tasks[0]],
    kinds: ['string', 'object', 'object'],
  },
  {
    name: 'mergeShards',
    call: ((...a: unknown[]) =>
      withShard(() => mergeShards(...(a as Parameters<typeof mergeShards>)))) as never,
    args: () => [plan(), shardDir()],
    kinds: ['object', 'string'],
    extra: () => [[plan(), missing()]],
  },
  {
    name: 'startRedisWorker',
    call: startRedisWorker as never,
    args: () => [{ url: 'redis://localhost:6379' }],
    kinds: [],
    baseline: false,
    extra: () => [
      [null],
      [42],
      [{}],
      [{ url: 42 }],
      [{ url: 'redis://localhost:1', bogus_key: 1 }],
      [{ url: 'redis://localhost:1', concurrency: 0 }],
      [{ url: 'redis://localhost:1', onEvent: 42 }],
    ],
  },
  {
    name: 'runPlanOnRedis',
    call: runPlanOnRedis as never,
    args: () => [plan(), { url: 'redis://localhost:6379' }],
    kinds: [],
    baseline: false,
    extra: () => [
      [null, { url: 'redis://localhost:1' }],
      [plan(), null],
      [plan(), { url: 42 }],
      [plan(), { url: 'redis://localhost:1', bogus_key: 1 }],
      [plan(), { url: 'redis://localhost:1', attempts: 0 }],
    ],
  },
];
