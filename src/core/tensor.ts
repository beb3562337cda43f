/**
 * Flat typed arrays with a shape, and `ndarray` views at the API boundary. Hot code works on the flat
 * arrays (row-major, last index fastest); `ndarray` is for users who want strided views.
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import ops from 'ndarray-ops';
import { checkInteger, checkNumericArray, domainError, type NumericArray, shapeError } from './validate.js';

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

/**
 * A matrix as plain data: `rows x cols` entries stored row-major in `data` (entry (i, j) at
 * `data[i * cols + j]`), so the shape travels with the numbers. Every public function that takes a batch
 * (one sample per row), a data set (n samples x d features) or a weight matrix takes this type, so
 * swapped sizes cannot pass silently; positional sizes remain only in the `coarsegrain/kernels` tier.
 * Samplers' spin batches are `Matrix<Int8Array>`; real-valued data are `Matrix<Float64Array>` by default.
 * Build one with {@link matrix} (checked) or as an object literal (checked where it is used).
 */
export interface Matrix<T extends NumericArray = Float64Array> {
  /** The rows x cols entries, row-major. */
  readonly data: T;
  /** Number of rows (samples of a batch or data set), integer >= 0. */
  readonly rows: number;
  /** Number of columns (features, sites, units), integer >= 0. */
  readonly cols: number;
}

/**
 * A {@link Matrix} view of flat row-major `data` (no copy), after checking its length against the shape.
 * @throws DomainError if `data` is not an array of numbers or a size is not an integer >= 0; ShapeError if
 *   `data.length !== rows * cols`.
 * @example
 * ```ts
 * import { matrix } from 'coarsegrain';
 * const X = matrix(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3); // 2 samples x 3 features: { data, rows: 2, cols: 3 }
 * // matrix(new Float64Array(6), 4, 2) throws ShapeError "matrix: data: expected 8 elements (4 x 2), received 6"
 * ```
 */
export function matrix<T extends NumericArray>(data: T, rows: number, cols: number): Matrix<T> {
  checkNumericArray(data, 'matrix: data', 'a typed array or an array of numbers');
  checkInteger(rows, 'matrix: rows', 0);
  checkInteger(cols, 'matrix: cols', 0);
  if (data.length !== rows * cols)
    throw shapeError('matrix: data', `${rows * cols} elements (${rows} x ${cols})`, `${data.length}`);
  return { data, rows, cols };
}

/**
 * The {@link Matrix} of flat row-major `data` with `cols` columns, one sample per row (no copy). For
 * library code that holds a model's width and a flat array; a user builds matrices with {@link matrix}.
 * @throws ShapeError if data.length is not a multiple of `cols`.
 */
export function byRows<T extends NumericArray>(data: T, cols: number): Matrix<T> {
  checkInteger(cols, 'byRows: cols', 1);
  if (data.length % cols !== 0)
    throw shapeError('byRows: data', `a multiple of ${cols} elements (rows x ${cols})`, `${data.length}`);
  return { data, rows: data.length / cols, cols };
}

/** Expected sizes for {@link checkMatrix}; each size may carry a label naming where it comes from. */
export interface MatrixExpectation {
  readonly rows?: number;
  readonly rowsLabel?: string;
  readonly cols?: number;
  readonly colsLabel?: string;
  /** Smallest accepted number of rows (default 0). */
  readonly minRows?: number;
  /** Smallest accepted number of columns (default 0). */
  readonly minCols?: number;
  /** Check every entry is finite (default false). */
  readonly finite?: boolean;
}

/**
 * Validate a {@link Matrix} argument: a plain object with integer `rows`, `cols` and `data` of
 * rows * cols numbers, optionally of given sizes and finite. Returns it. Errors read
 * `fn: X: expected a Matrix { data, rows, cols }, received Float64Array(1600)` or
 * `fn: X.cols: expected 256 (rbm.nVisible), received 100`. O(1), or O(rows cols) with `finite`.
 * @throws DomainError / ShapeError in the contract form.
 */
export function checkMatrix<T extends NumericArray = NumericArray>(
  m: unknown,
  name: string,
  expect: MatrixExpectation = {},
): Matrix<T> {
  const x = m as Matrix<T>;
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x) || Array.isArray(x) || !('data' in x))
    throw domainError(name, 'a Matrix { data, rows, cols } (see matrix())', m);
  checkNumericArray(x.data, `${name}.data`, 'a typed array or an array of numbers');
  checkInteger(x.rows, `${name}.rows`, expect.minRows ?? 0);
  checkInteger(x.cols, `${name}.cols`, expect.minCols ?? 0);
  if (x.data.length !== x.rows * x.cols)
    throw shapeError(
      `${name}.data`,
      `${x.rows * x.cols} elements (${x.rows} x ${x.cols})`,
      `${x.data.length}`,
    );
  if (expect.rows !== undefined && x.rows !== expect.rows)
    throw shapeError(
      `${name}.rows`,
      `${expect.rows}${expect.rowsLabel ? ` (${expect.rowsLabel})` : ''}`,
      `${x.rows}`,
    );
  if (expect.cols !== undefined && x.cols !== expect.cols)
    throw shapeError(
      `${name}.cols`,
      `${expect.cols}${expect.colsLabel ? ` (${expect.colsLabel})` : ''}`,
      `${x.cols}`,
    );
  if (expect.finite) {
    const d = x.data;
    for (let i = 0; i < d.length; i++)
      if (!Number.isFinite(d[i])) throw domainError(`${name}.data[${i}]`, 'a finite number', d[i]);
  }
  return x;
}

/**
 * The matrix with its entries in a `Ctor` array: `m` itself if it already is one, otherwise a copy
 * (O(rows cols); an Int8Array spin batch becomes Float64Array or Float32Array of the same values).
 */
export function convertMatrix<T extends TypedArray>(
  m: Matrix<NumericArray>,
  Ctor: { new (n: number): T; from(a: ArrayLike<number>): T },
): Matrix<T> {
  if (m.data instanceof Ctor) return m as Matrix<T>;
  return { data: Ctor.from(m.data), rows: m.rows, cols: m.cols };
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
