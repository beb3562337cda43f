/**
 * toNdarray / fromNdarray: views share memory; fromNdarray returns contiguous data as is and copies a
 * strided view (transpose, negative step, sub-block with offset) in row-major order through
 * ndarray-ops' assign, keeping the element type. Every copy is checked element by element against
 * `get` on the view.
 */
import type ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { checkMatrix, convertMatrix, fromNdarray, matrix, toNdarray } from '../../src/core/tensor.js';

/** The row-major elements of a view through `get` (the definition fromNdarray must match). */
function byGet(view: ndarray.NdArray): number[] {
  const out: number[] = [];
  const idx = view.shape.map(() => 0);
  const size = view.shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < size; i++) {
    out.push(view.get(...idx) as number);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d]! < view.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

describe('toNdarray / fromNdarray', () => {
  it('wraps without copying and returns contiguous data itself', () => {
    const data = Float64Array.from({ length: 24 }, (_, i) => i);
    const view = toNdarray(data, [2, 3, 4]);
    expect(view.get(1, 2, 3)).toBe(23);
    view.set(0, 0, 1, -1);
    expect(data[1]).toBe(-1);
    const back = fromNdarray(view);
    expect(back.data).toBe(data);
    expect(back.shape).toEqual([2, 3, 4]);
    expect(() => toNdarray(data, [5, 5])).toThrow(ShapeError);
  });

  it('copies a transposed view in row-major order', () => {
    const t = toNdarray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]).transpose(1, 0);
    const r = fromNdarray(t);
    expect(Array.from(r.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(r.shape).toEqual([3, 2]);
  });

  it('copies reversed, stepped and offset sub-blocks of every element type', () => {
    for (const Ctor of [Int8Array, Int32Array, Float32Array, Float64Array]) {
      const data = new Ctor(5 * 6 * 7);
      for (let i = 0; i < data.length; i++) data[i] = (i % 97) - 48;
      const full = toNdarray(data, [5, 6, 7]);
      const views = [
        full.step(-1, 2, 1),
        full.lo(1, 2, 3).hi(3, 3, 2),
        full.transpose(2, 0, 1).step(1, -1, 3),
        full.pick(2, null, null).transpose(1, 0),
      ];
      for (const view of views) {
        const r = fromNdarray(view);
        expect(r.data).toBeInstanceOf(Ctor);
        expect(r.data).not.toBe(data);
        expect(r.shape).toEqual(view.shape);
        expect(Array.from(r.data)).toEqual(byGet(view));
      }
    }
  });

  it('handles a 0-d view and an empty view', () => {
    const data = Float64Array.of(7, 8, 9);
    const scalar = toNdarray(data, [3]).pick(1);
    expect(Array.from(fromNdarray(scalar).data)).toEqual([8]);
    const empty = toNdarray(data, [3]).hi(0);
    expect(fromNdarray(empty).data.length).toBe(0);
  });
});

describe('Matrix: one shape-carrying type for batches, data sets and weights', () => {
  it('matrix() wraps without copying and checks length, sizes and element kind', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    const m = matrix(data, 2, 3);
    expect(m).toEqual({ data, rows: 2, cols: 3 });
    expect(m.data).toBe(data);
    expect(matrix(new Int8Array(0), 0, 5).rows).toBe(0);
    expect(() => matrix(new Float64Array(6), 4, 2)).toThrow(
      new ShapeError('matrix: data: expected 8 elements (4 x 2), received 6'),
    );
    expect(() => matrix(new Float64Array(6), 2.5, 2)).toThrow(DomainError);
    expect(() => matrix(new Float64Array(6), -2, -3)).toThrow(/matrix: rows: expected an integer >= 0/);
    expect(() => matrix('abc' as never, 1, 3)).toThrow(
      /matrix: data: expected a typed array or an array of numbers/,
    );
  });

  it('checkMatrix names the argument, the field, what was expected and what was received', () => {
    const m = matrix(new Float64Array(12), 3, 4);
    expect(checkMatrix(m, 'f: x', { rows: 3, cols: 4 })).toBe(m);
    expect(() => checkMatrix(new Float64Array(12), 'f: x')).toThrow(
      new DomainError(
        'f: x: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(12)',
      ),
    );
    expect(() => checkMatrix({ data: new Float64Array(11), rows: 3, cols: 4 }, 'f: x')).toThrow(
      new ShapeError('f: x.data: expected 12 elements (3 x 4), received 11'),
    );
    // the same 12 numbers read as 4 x 3: a swapped shape is caught against the expected width
    expect(() => checkMatrix(matrix(m.data, 4, 3), 'f: x', { cols: 4, colsLabel: 'rbm.nVisible' })).toThrow(
      new ShapeError('f: x.cols: expected 4 (rbm.nVisible), received 3'),
    );
    expect(() => checkMatrix(m, 'f: x', { rows: 2 })).toThrow('f: x.rows: expected 2, received 3');
    expect(() => checkMatrix(matrix(Float64Array.of(0, Number.NaN), 1, 2), 'f: x', { finite: true })).toThrow(
      'f: x.data[1]: expected a finite number, received NaN',
    );
  });

  it('convertMatrix keeps a matrix of the right type and copies another one value for value', () => {
    const spins = matrix(Int8Array.of(1, -1, -1, 1, 1, 1), 2, 3);
    const f = convertMatrix(spins, Float64Array);
    expect(f.data).toBeInstanceOf(Float64Array);
    expect(Array.from(f.data)).toEqual([1, -1, -1, 1, 1, 1]);
    expect([f.rows, f.cols]).toEqual([2, 3]);
    expect(convertMatrix(f, Float64Array)).toBe(f);
    expect(convertMatrix(spins, Float32Array).data).toEqual(Float32Array.of(1, -1, -1, 1, 1, 1));
  });
});
