import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  balancedRowSplit,
  COVARIANCE_PARALLEL_MIN_WORK,
  covarianceParallel,
} from '../../src/parallel/covarianceParallel.js';
import { runTask } from '../../src/parallel/pool.js';
import { mismatches, usePools } from './pools.js';

/** max |x - y| / sqrt(C_ii C_jj) of the reference `y`. */
function scaledError(x: Float64Array, y: Float64Array, d: number): number {
  let worst = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      worst = Math.max(
        worst,
        Math.abs(x[i * d + j]! - y[i * d + j]!) / Math.sqrt(y[i * d + i]! * y[j * d + j]!),
      );
  return worst;
}

describe('covarianceParallel', () => {
  const pools = usePools();

  it('equals the serial covariance (float64 bit for bit, float32 within 2e-6), odd shapes', async () => {
    const rng = createRng(41);
    for (const [n, d] of [
      [2049, 129], // 2 float32 panels, 2 strips (the second partial)
      [1500, 301],
    ] as const) {
      expect((n * d * d) / 2).toBeGreaterThanOrEqual(COVARIANCE_PARALLEL_MIN_WORK);
      const x = new Float32Array(n * d);
      const z = rng.fillNormal(new Float64Array(n * d));
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = z[i * d + j]! * (1 + j / 50) + 3;
      const settings: [boolean, boolean][] =
        d === 129
          ? [
              [true, true],
              [false, true],
              [true, false],
            ]
          : [[true, true]];
      for (const [center, unbiased] of settings) {
        const serial = covarianceMatrix(matrix(x, n, d), { center, unbiased });
        const p64 = await covarianceParallel(pools.two, matrix(x, n, d), { center, unbiased });
        expect(mismatches(p64.matrix, serial.matrix)).toBe(0);
        expect(mismatches(p64.mean, serial.mean)).toBe(0);
        const p32 = await covarianceParallel(pools.two, matrix(x, n, d), {
          center,
          unbiased,
          precision: 'float32',
        });
        expect(scaledError(p32.matrix, serial.matrix, d)).toBeLessThan(2e-6);
        for (let i = 0; i < d; i++)
          for (let j = 0; j < i; j++) expect(p32.matrix[i * d + j]).toBe(p32.matrix[j * d + i]);
      }
    }
  });

  it('float64: bit-identical to covarianceMatrix for float64, shared and integer data, d across strips and panels', async () => {
    const rng = createRng(43);
    for (const [n, d] of [
      [4500, 197], // 3 panels, the rows split at a multiple of 4 inside a strip
      [700, 391],
      [20000, 41], // 10 panels
    ] as const) {
      const z = rng.fillNormal(new Float64Array(n * d));
      for (let i = 0; i < n * d; i++) z[i] = z[i]! * (1 + (i % d) / 9) + 2;
      const shared = new Float64Array(new SharedArrayBuffer(n * d * 8));
      shared.set(z);
      const ints = Int16Array.from(z, (v) => Math.round(v * 100));
      for (const data of [z, shared, ints] as const) {
        const serial = covarianceMatrix(matrix(data, n, d), { unbiased: false });
        const ours = await covarianceParallel(pools.two, matrix(data, n, d), { unbiased: false });
        expect(mismatches(ours.matrix, serial.matrix), `${n} x ${d} ${data.constructor.name}`).toBe(0);
        expect(mismatches(ours.mean, serial.mean)).toBe(0);
      }
    }
  });

  it('balancedRowSplit: contiguous ranges at multiples of 4 with about equal work (784 rows: within 6%)', () => {
    const work = (a: number, b: number) => (b * b - a * a) / 2;
    for (const [d, parts] of [
      [784, 2],
      [784, 3],
      [129, 2],
      [9, 4],
    ] as const) {
      const bounds = balancedRowSplit(d, parts);
      expect(bounds[0]).toBe(0);
      expect(bounds.at(-1)).toBe(d);
      for (let t = 1; t < bounds.length; t++) expect(bounds[t]!).toBeGreaterThan(bounds[t - 1]!);
      for (let t = 1; t < bounds.length - 1; t++) expect(bounds[t]! % 4).toBe(0);
      if (d === 784) {
        expect(bounds.length).toBe(parts + 1);
        const shares = bounds.slice(1).map((b, t) => work(bounds[t]!, b) / work(0, d));
        for (const share of shares) expect(Math.abs(share - 1 / parts)).toBeLessThan(0.06);
      }
    }
    // 784 rows over 2 workers: the boundary near 784 / sqrt 2 = 554
    expect(Math.abs(balancedRowSplit(784, 2)[1]! - 554)).toBeLessThanOrEqual(12);
  });

  it('runs serially on a one-worker pool or a small product, with the same result', async () => {
    const rng = createRng(42);
    const x = rng.fillNormal(new Float64Array(50 * 7));
    const serial = covarianceMatrix(matrix(x, 50, 7));
    expect((await covarianceParallel(pools.two, matrix(x, 50, 7))).matrix).toEqual(serial.matrix);
    const big = rng.fillNormal(new Float64Array(2100 * 130));
    expect((await covarianceParallel(pools.one, matrix(big, 2100, 130))).matrix).toEqual(
      covarianceMatrix(matrix(big, 2100, 130)).matrix,
    );
  });

  it('the coarsegrain:covarianceRows task checks its input', async () => {
    const good = {
      x: new Float64Array(new SharedArrayBuffer(8 * 6 * 4)),
      n: 6,
      d: 4,
      center: true,
      panelMeans: new Float64Array(4),
      deltas: new Float64Array(4),
      factors: new Float64Array(1),
      i0: 0,
      i1: 4,
      g: new Float64Array(new SharedArrayBuffer(8 * 16)),
    };
    await expect(runTask(pools.two, 'coarsegrain:covarianceRows', good)).resolves.toBeNull();
    await expect(runTask(pools.two, 'coarsegrain:covarianceRows', { ...good, i0: 2 })).rejects.toThrow(
      'coarsegrain:covarianceRows: input.i0: expected a multiple of 4, received 2',
    );
    await expect(runTask(pools.two, 'coarsegrain:covarianceRows', { ...good, x: [1, 2] })).rejects.toThrow(
      /coarsegrain:covarianceRows: input.x: expected a Float32Array or Float64Array/,
    );
    await expect(runTask(pools.two, 'coarsegrain:covarianceRows', { ...good, n: 7 })).rejects.toThrow(
      /coarsegrain:covarianceRows: input: expected x of n x d/,
    );
    await expect(
      runTask(pools.two, 'coarsegrain:covarianceRows', { ...good, ready: new Int32Array(1) }),
    ).rejects.toThrow(
      /coarsegrain:covarianceRows: input.ready: expected an Int32Array on a SharedArrayBuffer/,
    );
    // an abandoned publication (-1): the task returns without touching g
    const ready = new Int32Array(new SharedArrayBuffer(4));
    ready[0] = -1;
    good.g.fill(7);
    await expect(runTask(pools.two, 'coarsegrain:covarianceRows', { ...good, ready })).resolves.toBeNull();
    expect(good.g.every((v) => v === 7)).toBe(true);
  });

  it('rejects bad input with typed errors', async () => {
    const five = { data: new Float64Array(5), rows: 2, cols: 3 };
    await expect(covarianceParallel(pools.two, five)).rejects.toThrow(ShapeError);
    await expect(covarianceParallel(pools.two, five)).rejects.toThrow(
      /covarianceParallel: data.data: expected 6 elements \(2 x 3\), received 5/,
    );
    await expect(covarianceParallel(pools.two, matrix(new Float64Array(3), 1, 3))).rejects.toThrow(
      /covarianceParallel: data.rows: expected at least 2 samples/,
    );
    // the flat positional call (data, n, d) of the old signature is refused by name
    await expect(
      (covarianceParallel as (...args: unknown[]) => Promise<unknown>)(pools.two, new Float64Array(6), 2, 3),
    ).rejects.toThrow(
      'covarianceParallel: data: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(6)',
    );
    const x = new Float64Array(3000 * 110);
    x[12345] = Number.NaN;
    await expect(covarianceParallel(pools.two, matrix(x, 3000, 110))).rejects.toThrow(
      /covarianceParallel: data.data\[12345\]/,
    );
    await expect(covarianceParallel(pools.two, matrix(x, 3000, 110))).rejects.toThrow(DomainError);
    // in the last panel (rows 2048..2999): found while the workers already run the first one; they stop,
    // and the pool then serves the next call with the same result as the serial path
    const late = createRng(5).fillNormal(new Float64Array(3000 * 110));
    const good = late.slice();
    late[2900 * 110 + 7] = Number.POSITIVE_INFINITY;
    await expect(covarianceParallel(pools.two, matrix(late, 3000, 110))).rejects.toThrow(
      /covarianceParallel: data.data\[319007\]: expected a finite number, received Infinity/,
    );
    const after = (await covarianceParallel(pools.two, matrix(good, 3000, 110))).matrix;
    expect(mismatches(after, covarianceMatrix(matrix(good, 3000, 110)).matrix)).toBe(0);
    await expect(
      covarianceParallel(pools.two, matrix(new Float64Array(3000 * 100), 3000, 100), {
        precision: 'half' as 'float32',
      }),
    ).rejects.toThrow(/covarianceParallel: precision/);
  });
});
