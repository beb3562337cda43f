import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { COVARIANCE_PARALLEL_MIN_WORK, covarianceParallel } from '../../src/parallel/covarianceParallel.js';
import { usePools } from './pools.js';

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

  it('equals the serial covariance (float64 to 1e-12 relative, float32 within 2e-6), odd shapes', async () => {
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
        expect(scaledError(p64.matrix, serial.matrix, d)).toBeLessThan(1e-12);
        for (let j = 0; j < d; j++) expect(Math.abs(p64.mean[j]! - serial.mean[j]!)).toBeLessThan(1e-12);
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
    await expect(
      covarianceParallel(pools.two, matrix(new Float64Array(3000 * 100), 3000, 100), {
        precision: 'half' as 'float32',
      }),
    ).rejects.toThrow(/covarianceParallel: precision/);
  });
});
