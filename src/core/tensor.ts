/**
 * Flat typed arrays with a shape, and `ndarray` views at the API boundary. Hot code works on the flat
 * arrays (row-major, last index fastest); `ndarray` is for users who want strided views.
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import ops from 'ndarray-ops';
import { checkInteger, domainError, shapeError } from './validate.js';

/** Real-valued array types accepted by numerical kernels. */
export type FloatArray = Float32Array | Float64Array;

/** Any numeric typed array. */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** A contiguous row-major tensor: flat `data` and its `shape` (product of shape = data.length). */
export interface Tensor<T extends TypedArray = Float64Array> {
  readonly data: T;
  readonly shape: readonly number[];
}

/** Number of elements of a shape (1 for the empty shape). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Wrap a flat row-major array as an `ndarray` view of `shape` (no copy).
 * @throws ShapeError if the product of `shape` differs from `data.length`.
 * @example
 * ```ts
 * import { toNdarray } from 'coarsegrain';
 * const view = toNdarray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]); // a 2 x 3 view, no copy
 * const x = view.get(1, 2); // 6
 * ```
 */
export function toNdarray<T extends TypedArray>(data: T, shape: readonly number[]): NdArray<T> {
  if (!ArrayBuffer.isView(data) || data instanceof DataView)
    throw domainError('toNdarray: data', 'a typed array', data);
  if (!Array.isArray(shape)) throw domainError('toNdarray: shape', 'a list of sizes', shape);
  shape.forEach((s, i) => {
    checkInteger(s, `toNdarray: shape[${i}]`, 0);
  });
  const size = shapeSize(shape);
  if (size !== data.length) {
    throw shapeError('toNdarray: data', `${size} elements for shape [${shape.join(', ')}]`, `${data.length}`);
  }
  return ndarray(data, shape.slice());
}

/**
 * The contiguous row-major data of an `ndarray` (the underlying array itself if it is already contiguous
 * and starts at offset 0, otherwise a copy into a new array of the same type, made by `ndarray-ops`'
 * strided `assign`). O(size).
 * @example
 * ```ts
 * import { fromNdarray, toNdarray } from 'coarsegrain';
 * const t = toNdarray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]).transpose(1, 0);
 * const { data, shape } = fromNdarray(t); // data: Float64Array [1, 4, 2, 5, 3, 6], shape: [3, 2]
 * ```
 */
export function fromNdarray<T extends TypedArray>(array: NdArray<T>): Tensor<T> {
  if (
    array === null ||
    typeof array !== 'object' ||
    !Array.isArray(array.shape) ||
    !Array.isArray(array.stride) ||
    !ArrayBuffer.isView(array.data) ||
    typeof array.get !== 'function'
  )
    throw domainError('fromNdarray: array', 'an ndarray over a typed array', array);
  const shape = array.shape.slice();
  const size = shapeSize(shape);
  let expected = 1;
  let contiguous = array.offset === 0 && array.data.length === size;
  for (let d = shape.length - 1; d >= 0 && contiguous; d--) {
    if (shape[d]! > 1 && array.stride[d] !== expected) contiguous = false;
    expected *= shape[d]!;
  }
  if (contiguous) return { data: array.data, shape };
  const Ctor = array.data.constructor as new (n: number) => T;
  const out = new Ctor(size);
  if (shape.length === 0) out[0] = array.get() as number;
  else if (size > 0) ops.assign(ndarray(out, shape), array);
  return { data: out, shape };
}
