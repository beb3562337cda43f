/**
 * toNdarray / fromNdarray: views share memory; fromNdarray returns contiguous data as is and copies a
 * strided view (transpose, negative step, sub-block with offset) in row-major order through
 * ndarray-ops' assign, keeping the element type. Every copy is checked element by element against
 * `get` on the view.
 */
import type ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { fromNdarray, toNdarray } from '../../src/core/tensor.js';

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
