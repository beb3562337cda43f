import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { gatherRows, minibatchIndices, trainTestSplit } from '../../src/data/split.js';

describe('splits and minibatches', () => {
  it('train and test are disjoint, sorted, cover 0..n-1 and are reproducible per seed', () => {
    for (const [n, f] of [
      [10, 0.2],
      [101, 0.33],
      [1, 0.5],
      [0, 0.3],
      [7, 0],
      [7, 1],
    ] as const) {
      const { train, test } = trainTestSplit(createRng(5), n, f);
      expect(test.length).toBe(Math.round(n * f));
      const all = [...train, ...test].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
      for (const s of [train, test])
        for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
      expect(trainTestSplit(createRng(5), n, f)).toEqual({ train, test });
    }
    expect(trainTestSplit(createRng(5), 100, 0.5).test).not.toEqual(
      trainTestSplit(createRng(6), 100, 0.5).test,
    );
  });

  it('stratified splits keep each class in proportion', () => {
    const labels = Array.from({ length: 60 }, (_, i) => (i < 40 ? 0 : 1));
    const { test } = trainTestSplit(createRng(2), 60, 0.25, { stratify: labels });
    expect(Array.from(test).filter((i) => labels[i] === 0)).toHaveLength(10);
    expect(Array.from(test).filter((i) => labels[i] === 1)).toHaveLength(5);
    expect(() => trainTestSplit(createRng(2), 60, 0.25, { stratify: [1, 2] })).toThrow(ShapeError);
    expect(() => trainTestSplit(createRng(2), 60, 1.5)).toThrow(
      /trainTestSplit: testFraction: expected a number in \[0, 1\], received 1.5/,
    );
  });

  it('minibatches partition a permutation; dropLast drops the short batch; reproducible', () => {
    const batches = minibatchIndices(createRng(3), 10, 4);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(minibatchIndices(createRng(3), 10, 4, { dropLast: true }).map((b) => b.length)).toEqual([4, 4]);
    expect(minibatchIndices(createRng(3), 10, 4)).toEqual(batches);
    expect(() => minibatchIndices(createRng(3), 10, 0)).toThrow(DomainError);
  });

  it('gatherRows copies the chosen rows in order, into a given out', () => {
    const data = matrix(
      Float32Array.from({ length: 12 }, (_, i) => i),
      4,
      3,
    ); // 4 rows of 3
    const picked = gatherRows(data, [2, 0]);
    expect([picked.rows, picked.cols]).toEqual([2, 3]);
    expect(Array.from(picked.data)).toEqual([6, 7, 8, 0, 1, 2]);
    const out = new Float32Array(3);
    expect(gatherRows(data, Int32Array.of(3), out).data).toBe(out);
    expect(Array.from(out)).toEqual([9, 10, 11]);
    expect(gatherRows(matrix(Int8Array.of(1, -1, -1, 1), 2, 2), [1]).data).toEqual(Int8Array.of(-1, 1));
    expect(() => gatherRows(data, [4])).toThrow(
      /gatherRows: indices\[0\]: expected a row index in \[0, 3\], received 4/,
    );
    // the same 12 values read as 3 rows of 4: row 3 no longer exists
    expect(() => gatherRows(matrix(data.data, 3, 4), [3])).toThrow(/expected a row index in \[0, 2\]/);
    expect(() => gatherRows({ data: data.data, rows: 5, cols: 3 }, [0])).toThrow(ShapeError);
    expect(() => gatherRows(data.data as never, [0])).toThrow(/gatherRows: matrix: expected a Matrix/);
    expect(() => gatherRows(data, [0], new Float32Array(2))).toThrow(/gatherRows: out/);
  });
});
