/**
 * The IDX format of MNIST (browser-safe). A file is: two zero bytes, a type code, the number of
 * dimensions d, then d big-endian uint32 sizes, then the elements big-endian in C order.
 * Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 * Images are magic 0x00000803 (uint8, 3 dims), labels 0x00000801 (uint8, 1 dim).
 * Reference: http://yann.lecun.com/exdb/mnist/ (section "file formats").
 * @module
 */
import { FormatError } from '../core/errors.js';
import type { TypedArray } from '../core/tensor.js';
import { describeValue, shapeError } from '../core/validate.js';
import { type NpyDtype, readLittleEndian } from './npy.js';

/** A decoded IDX array: flat C-order data, its shape, and its element type. */
export interface IdxArray {
  readonly data: TypedArray;
  readonly shape: number[];
  readonly dtype: NpyDtype;
}

const TYPES: Record<number, { dtype: NpyDtype; size: number }> = {
  8: { dtype: 'uint8', size: 1 },
  9: { dtype: 'int8', size: 1 },
  11: { dtype: 'int16', size: 2 },
  12: { dtype: 'int32', size: 4 },
  13: { dtype: 'float32', size: 4 },
  14: { dtype: 'float64', size: 8 },
};

/** True if `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflate gzip bytes with the platform's `DecompressionStream` (browsers, Node >= 18).
 * @throws FormatError if the stream is corrupt or truncated, or `DecompressionStream` is unavailable.
 */
export async function gunzip(bytes: Uint8Array, fn = 'gunzip'): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new FormatError(
      `${fn}: bytes: expected a platform with DecompressionStream to inflate gzip, received none`,
    );
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new FormatError(
      `${fn}: bytes: expected a complete gzip stream, received a corrupt or truncated one (${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Decode raw (uncompressed) IDX bytes. For gzip input use {@link decodeIdxAsync} or `loadIdx`.
 * @returns `{ data, shape, dtype }`: uint8 -> Uint8Array, int8 -> Int8Array, int16 -> Int16Array,
 * int32 -> Int32Array, float32/float64 -> Float32Array/Float64Array (converted from big-endian). O(n).
 * @throws FormatError (`decodeIdx: <part>: expected ..., received ...`) for gzip input, a bad magic or
 * type code, zero dimensions, or a payload whose length differs from the product of the sizes
 * (truncated file, or trailing bytes: e.g. a labels file read as images).
 * @example
 * ```ts
 * import { decodeIdx, encodeIdx } from 'coarsegrain';
 * const bytes = encodeIdx(Uint8Array.of(0, 255, 128, 64), [2, 2]); // e.g. the bytes of an MNIST file
 * const { data, shape, dtype } = decodeIdx(bytes); // Uint8Array [0, 255, 128, 64], [2, 2], 'uint8'
 * ```
 */
export function decodeIdx(bytes: Uint8Array): IdxArray {
  const fn = 'decodeIdx';
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`${fn}: bytes: expected a Uint8Array, received ${typeof bytes}`);
  if (isGzip(bytes)) {
    throw new FormatError(
      `${fn}: bytes: expected raw IDX bytes, received gzip data (use decodeIdxAsync or loadIdx)`,
    );
  }
  if (bytes.length < 4)
    throw new FormatError(
      `${fn}: header: expected at least 4 bytes, received ${bytes.length} (truncated file)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES[bytes[2]!];
  const ndim = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || ndim === 0) {
    throw new FormatError(
      `${fn}: magic: expected 0x000008nn-0x00000Enn (two zero bytes, a type code 08/09/0B/0C/0D/0E, dims >= 1), received 0x${magic.toString(16).padStart(8, '0')}`,
    );
  }
  const dataOffset = 4 + 4 * ndim;
  if (bytes.length < dataOffset) {
    throw new FormatError(
      `${fn}: header: expected ${dataOffset} bytes for ${ndim} dimensions, received ${bytes.length} (truncated file)`,
    );
  }
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < ndim; d++) {
    const s = view.getUint32(4 + 4 * d, false);
    shape.push(s);
    size *= s;
  }
  const need = size * type.size;
  const have = bytes.length - dataOffset;
  if (have !== need) {
    throw new FormatError(
      `${fn}: payload: expected ${need} bytes for shape [${shape.join(', ')}] ${type.dtype}, received ${have}${have < need ? ' (truncated file)' : ' (trailing bytes: wrong header or mislabelled file)'}`,
    );
  }
  let data: TypedArray;
  switch (type.dtype) {
    case 'uint8':
      data = readLittleEndian(bytes, dataOffset, 'uint8', size);
      break;
    case 'int8':
      data = readLittleEndian(bytes, dataOffset, 'int8', size);
      break;
    case 'int16': {
      const a = new Int16Array(size);
      for (let i = 0; i < size; i++) a[i] = view.getInt16(dataOffset + 2 * i, false);
      data = a;
      break;
    }
    case 'int32': {
      const a = new Int32Array(size);
      for (let i = 0; i < size; i++) a[i] = view.getInt32(dataOffset + 4 * i, false);
      data = a;
      break;
    }
    case 'float32': {
      const a = new Float32Array(size);
      for (let i = 0; i < size; i++) a[i] = view.getFloat32(dataOffset + 4 * i, false);
      data = a;
      break;
    }
    default: {
      const a = new Float64Array(size);
      for (let i = 0; i < size; i++) a[i] = view.getFloat64(dataOffset + 8 * i, false);
      data = a;
    }
  }
  return { data, shape, dtype: type.dtype };
}

/**
 * Decode IDX bytes, inflating them first (with `DecompressionStream`) if they are gzip. See {@link decodeIdx}.
 * @example
 * ```ts
 * import { decodeIdxAsync, encodeIdx } from 'coarsegrain';
 * // plain or gzip bytes (e.g. train-images-idx3-ubyte.gz fetched in a browser)
 * const { data, shape } = await decodeIdxAsync(encodeIdx(Uint8Array.of(1, 2, 3), [3])); // Uint8Array [1, 2, 3], [3]
 * ```
 */
export async function decodeIdxAsync(bytes: Uint8Array): Promise<IdxArray> {
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`decodeIdxAsync: bytes: expected a Uint8Array, received ${typeof bytes}`);
  return decodeIdx(isGzip(bytes) ? await gunzip(bytes, 'decodeIdxAsync') : bytes);
}

/**
 * Encode an array as IDX bytes (big-endian; mainly for tests and for writing MNIST-like files).
 * @throws FormatError for an unsupported type; ShapeError if the shape does not match.
 * @example
 * ```ts
 * import { encodeIdx } from 'coarsegrain';
 * const bytes = encodeIdx(Uint8Array.of(7, 2, 1), [3]); // 3 labels: 8 header bytes + 3 data bytes
 * ```
 */
export function encodeIdx(data: TypedArray, shape: readonly number[]): Uint8Array {
  const entry = Object.entries(TYPES).find(([, t]) => {
    const ctor = {
      uint8: Uint8Array,
      int8: Int8Array,
      int16: Int16Array,
      int32: Int32Array,
      float32: Float32Array,
      float64: Float64Array,
    }[t.dtype as 'uint8'];
    return data instanceof ctor || (t.dtype === 'uint8' && data instanceof Uint8ClampedArray);
  });
  if (!entry)
    throw new FormatError(
      `encodeIdx: data: expected a Uint8/Int8/Int16/Int32/Float32/Float64Array, received ${data?.constructor?.name}`,
    );
  if (!Array.isArray(shape)) throw shapeError('encodeIdx: shape', 'an array of sizes', describeValue(shape));
  let size = 1;
  for (const s of shape) size *= s;
  if (
    shape.length === 0 ||
    shape.length > 255 ||
    size !== data.length ||
    shape.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)
  ) {
    throw new FormatError(
      `encodeIdx: shape: expected 1-255 sizes with product ${data.length}, received [${shape.join(', ')}]`,
    );
  }
  const code = Number(entry[0]);
  const { size: bytesPer, dtype } = entry[1];
  const out = new Uint8Array(4 + 4 * shape.length + bytesPer * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((s, d) => {
    view.setUint32(4 + 4 * d, s, false);
  });
  const o = 4 + 4 * shape.length;
  for (let i = 0; i < size; i++) {
    const v = data[i]!;
    if (dtype === 'uint8') out[o + i] = v;
    else if (dtype === 'int8') view.setInt8(o + i, v);
    else if (dtype === 'int16') view.setInt16(o + 2 * i, v, false);
    else if (dtype === 'int32') view.setInt32(o + 4 * i, v, false);
    else if (dtype === 'float32') view.setFloat32(o + 4 * i, v, false);
    else view.setFloat64(o + 8 * i, v, false);
  }
  return out;
}
