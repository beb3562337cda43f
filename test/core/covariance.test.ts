import { describe, expect, it } from 'vitest';
import { covarianceMatrix, createCovarianceAccumulator } from '../../src/core/covariance.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix as toMatrix } from '../../src/core/tensor.js';

/** Two-pass textbook covariance. */
function naiveCovariance(
  x: Float64Array,
  n: number,
  d: number,
  center = true,
  unbiased = true,
): Float64Array {
  const mean = new Float64Array(d);
  if (center) for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]! / n;
  const c = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (x[i * d + a]! - mean[a]!) * (x[i * d + b]! - mean[b]!);
      c[a * d + b] = s / (unbiased ? n - 1 : n);
    }
  return c;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!));
  return w;
}

describe('covarianceMatrix and the streaming accumulator', () => {
  it('matches the two-pass formula (symmetric, all options), d across block boundaries', () => {
    const rng = createRng(31);
    for (const [n, d] of [
      [2, 1],
      [7, 3],
      [50, 130],
      [20, 390], // crosses the 192-row GEMM strips
      [1100, 9],
    ] as const) {
      const x = rng.fillNormal(new Float64Array(n * d));
      for (let i = 0; i < x.length; i++) x[i] += 3;
      for (const center of [true, false])
        for (const unbiased of [true, false]) {
          const { matrix, mean } = covarianceMatrix(toMatrix(x, n, d), { center, unbiased });
          expect(maxAbsDiff(matrix, naiveCovariance(x, n, d, center, unbiased))).toBeLessThan(1e-12);
          for (let a = 0; a < d; a++)
            for (let b = 0; b < a; b++) expect(matrix[a * d + b]).toBe(matrix[b * d + a]);
          if (!center) expect(Array.from(mean).every((m) => m === 0)).toBe(true);
          else {
            let m0 = 0;
            for (let i = 0; i < n; i++) m0 += x[i * d]! / n;
            expect(mean[0]).toBeCloseTo(m0, 12);
          }
        }
    }
  });

  it('streaming in chunks (sizes 0, 1, uneven, larger than the row panel) equals one shot to 1e-12', () => {
    const rng = createRng(32);
    const n = 2300;
    const d = 17;
    const x = rng.fillNormal(new Float64Array(n * d));
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! * (1 + j) + 10 * j;
    const oneShot = covarianceMatrix(toMatrix(x, n, d));
    const acc = createCovarianceAccumulator(d);
    const cuts = [0, 1, 1, 40, 40, 333, 1500, n];
    for (let c = 1; c < cuts.length; c++)
      acc.accumulate(toMatrix(x.subarray(cuts[c - 1]! * d, cuts[c]! * d), cuts[c]! - cuts[c - 1]!, d));
    expect(acc.count).toBe(n);
    const streamed = acc.finish();
    expect(maxAbsDiff(streamed.matrix, oneShot.matrix)).toBeLessThan(1e-12);
    expect(maxAbsDiff(streamed.mean, oneShot.mean)).toBeLessThan(1e-12);
    // finish is non-destructive and accumulation can continue
    expect(acc.finish()).toEqual(streamed);
    acc.accumulate(toMatrix(x.subarray(0, d), 1, d));
    expect(acc.count).toBe(n + 1);
  });

  it('stays accurate for data with a large mean (shifted accumulation)', () => {
    const rng = createRng(33);
    const n = 500;
    const d = 4;
    const x = rng.fillNormal(new Float64Array(n * d));
    for (let i = 0; i < x.length; i++) x[i] += 1e8;
    const reference = naiveCovariance(x, n, d);
    const acc = createCovarianceAccumulator(d);
    for (let r = 0; r < n; r += 100) acc.accumulate(toMatrix(x.subarray(r * d, (r + 100) * d), 100, d));
    expect(maxAbsDiff(acc.finish().matrix, reference)).toBeLessThan(1e-6);
  });

  it('worked example of the doc comment', () => {
    const acc = createCovarianceAccumulator(2);
    acc.accumulate(toMatrix(Float64Array.of(0, 0, 2, 2), 2, 2));
    acc.accumulate(toMatrix(Float64Array.of(4, 1), 1, 2));
    expect(Array.from(acc.finish().matrix)).toEqual([4, 1, 1, 1]);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => covarianceMatrix({ data: new Float64Array(5), rows: 2, cols: 3 })).toThrow(
      'covarianceMatrix: data.data: expected 6 elements (2 x 3), received 5',
    );
    expect(() => covarianceMatrix(new Float64Array(6) as never)).toThrow(
      'covarianceMatrix: data: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(6)',
    );
    expect(() => covarianceMatrix(toMatrix(new Float64Array(3), 1, 3))).toThrow(/at least 2 samples/);
    expect(() => covarianceMatrix(toMatrix(Float64Array.of(1, Number.NaN), 2, 1))).toThrow(DomainError);
    expect(() => createCovarianceAccumulator(0)).toThrow(DomainError);
    const acc = createCovarianceAccumulator(3);
    expect(() => acc.accumulate(toMatrix(new Float64Array(4), 2, 2))).toThrow(
      'covarianceAccumulator.accumulate: chunk.cols: expected 3 (d of the accumulator), received 2',
    );
    expect(() => acc.finish()).toThrow(ShapeError);
    acc.accumulate(toMatrix(new Float64Array(3), 1, 3));
    expect(() => acc.finish()).toThrow(/at least 2 samples/);
    expect(acc.finish({ unbiased: false }).matrix).toEqual(new Float64Array(9));
  });

  it("precision 'float32': float32 panel GEMM, float64 accumulation, within 2e-6 of sqrt(C_ii C_jj)", () => {
    const rng = createRng(34);
    for (const [n, d] of [
      [3, 1],
      [129, 5],
      [300, 193], // crosses the 192-row GEMM strips
      [2500, 37], // crosses the 2048-row panels
    ] as const) {
      const x64 = rng.fillNormal(new Float64Array(n * d));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) x64[i * d + j] = x64[i * d + j]! * (1 + j / 7) + 100;
      const x = Float32Array.from(x64); // float32 data, the intended use
      const exact = naiveCovariance(Float64Array.from(x), n, d);
      for (const center of [true, false]) {
        const reference = center ? exact : naiveCovariance(Float64Array.from(x), n, d, false);
        const { matrix, mean } = covarianceMatrix(toMatrix(x, n, d), { precision: 'float32', center });
        let worst = 0;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) {
            expect(matrix[a * d + b]).toBe(matrix[b * d + a]);
            const scale = Math.sqrt(reference[a * d + a]! * reference[b * d + b]!);
            worst = Math.max(worst, Math.abs(matrix[a * d + b]! - reference[a * d + b]!) / scale);
          }
        expect(worst).toBeLessThan(2e-6);
        if (center) expect(mean[0]).toBeCloseTo(covarianceMatrix(toMatrix(x, n, d)).mean[0]!, 10);
      }
      // streamed in uneven chunks: same to float32 rounding
      const acc = createCovarianceAccumulator(d, { precision: 'float32' });
      const half = Math.floor(n / 3);
      acc.accumulate(toMatrix(x.subarray(0, half * d), half, d));
      acc.accumulate(toMatrix(x.subarray(half * d), n - half, d));
      const streamed = acc.finish().matrix;
      let worst = 0;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          worst = Math.max(
            worst,
            Math.abs(streamed[a * d + b]! - exact[a * d + b]!) /
              Math.sqrt(exact[a * d + a]! * exact[b * d + b]!),
          );
      expect(worst).toBeLessThan(2e-6);
    }
    // plain arrays are accepted too
    expect(
      Array.from(covarianceMatrix(toMatrix([0, 0, 2, 2, 4, 1], 3, 2), { precision: 'float32' }).matrix),
    ).toEqual([4, 1, 1, 1]);
    expect(() =>
      covarianceMatrix(toMatrix(new Float64Array(4), 2, 2), { precision: 'half' as 'float32' }),
    ).toThrow(/createCovarianceAccumulator: precision/);
  });
});
