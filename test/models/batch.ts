/**
 * Test helper: read flat row-major data as a `cols`-column Matrix without checking it. A length that is
 * not a positive multiple of `cols` gives rows = max(1, ceil(length / cols)), so that the function under
 * test reports the ShapeError (data length vs rows x cols) itself.
 */
import type { Matrix } from '../../src/core/tensor.js';

export function batch<T extends ArrayLike<number>>(data: T, cols: number): Matrix<T> {
  return { data, rows: Math.max(1, Math.ceil(data?.length / cols)), cols };
}
