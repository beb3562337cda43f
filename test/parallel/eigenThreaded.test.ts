import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { symmetricEigen } from '../../src/core/decompose.js';
import { DomainError } from '../../src/core/errors.js';
import { type GemmKernelFunction, gemmBackend, setGemmBackend } from '../../src/core/gemm.js';
import { tridiagonalDivideConquerKernel } from '../../src/core/linalg/divideConquer.js';
import { linalgSpawnFor, registerLinalgSpawn } from '../../src/core/linalg/spawn.js';
import { tridiagonalizeKernel } from '../../src/core/linalg/tridiagonal.js';
import { tridiagonalWasm, tridiagonalWasmAvailable } from '../../src/core/linalg/wasm/tridiagonalWasm.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  createThreadedGemm,
  THREADED_GEMM_MIN_WORK,
  type ThreadedGemm,
} from '../../src/parallel/threadedGemm.js';

describe('symmetricEigen with a threaded GEMM', () => {
  let two: ThreadedGemm;
  beforeAll(() => {
    two = createThreadedGemm({ threads: 2 });
  });
  afterAll(() => two.close());

  /** The threaded product, counting the calls it can split (all operands shared, enough work). */
  function counting(): { gemm: GemmKernelFunction; split: () => number } {
    let split = 0;
    const gemm: GemmKernelFunction = (...args) => {
      const [, , m, n, k, , a, , , b, , , , c] = args;
      const shared = [a, b, c].every((x) => x.buffer instanceof SharedArrayBuffer);
      if (shared && m * n * k >= THREADED_GEMM_MIN_WORK) split++;
      two.gemm(...args);
    };
    return { gemm, split: () => split };
  }

  it('is bit-identical to the single-thread path (inverse-iteration and divide-and-conquer vectors), and splits the big products and steps over the threads', () => {
    const n = 260;
    const rng = createRng(91);
    const x = rng.fillNormal(new Float64Array(n * n));
    const random = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) random[i * n + j] = x[i * n + j]! + x[j * n + i]!;
    // a covariance with a decaying spectrum: its tiny clustered eigenvalues take the divide-and-conquer path
    const samples = rng.fillNormal(new Float64Array(2000 * n));
    for (let s = 0; s < 2000; s++)
      for (let j = 0; j < n; j++) samples[s * n + j] = samples[s * n + j]! * Math.exp(-j / 20) + 0.5;
    const cov = covarianceMatrix(matrix(samples, 2000, n)).matrix;
    // steps on the worker, counted through a registered wrapper of the threaded product's spawn
    const spawned: string[] = [];
    const spawn = linalgSpawnFor(two.gemm)!;
    expect(spawn).toBeTypeOf('function');
    const splits: number[] = [];
    for (const a of [random, cov]) {
      const single = symmetricEigen(a, n);
      const c = counting();
      registerLinalgSpawn(c.gemm, (task, args) => {
        spawned.push(task);
        return spawn(task, args);
      });
      expect(symmetricEigen(a, n, { gemm: c.gemm })).toEqual(single);
      splits.push(c.split());
      expect(symmetricEigen(a, n, { gemm: two.gemm })).toEqual(single);
      // the reduction's rank-2k updates are shared in place: the WebAssembly module's memory is shared
      if (tridiagonalWasmAvailable() && gemmBackend() === 'wasm-simd')
        expect(tridiagonalWasm(0)!.mem.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // per matrix: the lower strips of the reduction's updates whose trailing block spans two strips of
    // 128 rows (n - k1 = 228, 196, 164, 132), the eigenvalues (one block of 260), the covariance's half
    // split, and half the columns of the back-transformation
    const updates = ['rank2k', 'rank2k', 'rank2k', 'rank2k'];
    // the rest is split product by product: nothing big for the random matrix, the covariance's merges
    expect(splits[0]).toBe(0);
    expect(splits[1]).toBeGreaterThan(0);
    expect(spawned).toEqual([
      ...updates,
      'qlValues',
      'applyReflectors',
      ...updates,
      'qlValues',
      'divideConquer',
      'applyReflectors',
    ]);
    // a closed threaded product solves both halves in the calling thread: the same result again
    const closed = createThreadedGemm({ threads: 2 });
    closed.close();
    expect(symmetricEigen(cov, n, { gemm: closed.gemm })).toEqual(symmetricEigen(cov, n));
  });

  it('divide and conquer with the threaded product equals the single-thread result when the top merge shares its roots and rows', () => {
    // the tridiagonal of a random symmetric 600 x 600 matrix: its eigenvectors spread over all components,
    // few deflate, so the top merge keeps more than 256 roots
    const n = 600;
    const x = createRng(93).fillNormal(new Float64Array(n * n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j]! + x[j * n + i]!;
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    tridiagonalizeKernel(a, n, d, e, new Float64Array(n));
    const single = new Float64Array(n * n);
    const dSingle = d.slice();
    expect(tridiagonalDivideConquerKernel(dSingle, e.slice(0, n - 1), n, single)).toBe(true);
    const spawned: string[] = [];
    const spawn = linalgSpawnFor(two.gemm)!;
    const gemm: GemmKernelFunction = (...args) => two.gemm(...args);
    registerLinalgSpawn(gemm, (task, args) => {
      spawned.push(task);
      return spawn(task, args);
    });
    const split = new Float64Array(n * n);
    const dSplit = d.slice();
    expect(tridiagonalDivideConquerKernel(dSplit, e.slice(0, n - 1), n, split, gemm)).toBe(true);
    expect(spawned).toEqual(['divideConquer', 'secularRoots', 'mergeRows']);
    expect(dSplit).toEqual(dSingle);
    expect(split).toEqual(single);
  });

  it('hands no steps to the other thread while this thread computes products in TypeScript', () => {
    expect(linalgSpawnFor(two.gemm)).toBeTypeOf('function');
    setGemmBackend('typescript');
    try {
      expect(linalgSpawnFor(two.gemm)).toBeUndefined();
    } finally {
      setGemmBackend('auto');
    }
  });

  it('rejects a gemm that is not a function', () => {
    expect(() => symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, { gemm: 3 as never })).toThrow(DomainError);
    expect(() => symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, { gemm: 3 as never })).toThrow(
      /symmetricEigen: options.gemm: expected a function/,
    );
    expect(() => symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, { extra: 1 } as never)).toThrow(DomainError);
  });
});
