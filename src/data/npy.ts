/**
 * NumPy `.npy` files as bytes (browser-safe: no Node modules). Reads format versions 1.0, 2.0 and 3.0,
 * writes version 1.0 (2.0 if the header would not fit), C order, little-endian.
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 * @module
 */
import { FormatError } from '../core/errors.js';
import type { TypedArray } from '../core/tensor.js';
import { checkInteger, shapeError } from '../core/validate.js';

/** Element types supported in `.npy` files, with their NumPy descriptors. */
export type NpyDtype = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';

/** A decoded `.npy` array: flat C-order `data` and its `shape` (`[]` for a 0-d scalar). */
export interface NpyArray {
  readonly data: TypedArray;
  readonly shape: number[];
  readonly dtype: NpyDtype;
}

type Ctor = new (buffer: ArrayBuffer) => TypedArray;

const DTYPES: Record<NpyDtype, { descr: string; size: number; ctor: Ctor }> = {
  float32: { descr: '<f4', size: 4, ctor: Float32Array },
  float64: { descr: '<f8', size: 8, ctor: Float64Array },
  int8: { descr: '|i1', size: 1, ctor: Int8Array },
  uint8: { descr: '|u1', size: 1, ctor: Uint8Array },
  int16: { descr: '<i2', size: 2, ctor: Int16Array },
  uint16: { descr: '<u2', size: 2, ctor: Uint16Array },
  int32: { descr: '<i4', size: 4, ctor: Int32Array },
  uint32: { descr: '<u4', size: 4, ctor: Uint32Array },
};

/** True on little-endian hosts (all current browsers and Node platforms). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The dtype name of a typed array (`Uint8ClampedArray` counts as uint8).
 * @throws FormatError for arrays without an `.npy`/container dtype (e.g. BigInt64Array).
 */
export function dtypeOf(data: TypedArray, fn = 'dtypeOf'): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  const name = (data as unknown as { constructor?: { name?: string } })?.constructor?.name ?? typeof data;
  throw new FormatError(
    `${fn}: data: expected a Float32/Float64/Int8/Uint8/Int16/Uint16/Int32/Uint32Array, received ${name}`,
  );
}

/** The typed-array constructor of a dtype. */
export function typedArrayConstructor(dtype: NpyDtype): TypedArrayConstructor {
  return DTYPES[dtype].ctor as unknown as TypedArrayConstructor;
}

/** A constructor of one of the supported typed arrays. */
export type TypedArrayConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => TypedArray;

/** Bytes per element of a dtype. */
export function dtypeSize(dtype: NpyDtype): number {
  return DTYPES[dtype].size;
}

/** Reverse the byte order of each `size`-byte element of `bytes` in place (big-endian hosts only). */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Copy `length` little-endian elements of `dtype` starting at `bytes[offset]` into a new typed array
 * (a copy, so the result is aligned and independent of `bytes`). Internal helper shared by the formats.
 */
export function readLittleEndian(
  bytes: Uint8Array,
  offset: number,
  dtype: NpyDtype,
  length: number,
): TypedArray {
  const { size, ctor } = DTYPES[dtype];
  // Not bytes.slice: on a Node Buffer that is a view into a shared pool, not a copy.
  const copy = new Uint8Array(length * size);
  copy.set(bytes.subarray(offset, offset + length * size));
  if (!HOST_LITTLE_ENDIAN && size > 1) swapBytes(copy, size);
  return new ctor(copy.buffer);
}

/** The little-endian bytes of a typed array (a view when the host is little-endian, else a swapped copy). */
export function littleEndianBytes(data: TypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Encode a C-order array as `.npy` bytes (format 1.0; 2.0 only if the header exceeds 65535 bytes).
 * The header is padded with spaces and ends with a newline so that the data starts at a multiple of 64.
 * @param data flat row-major data; its type sets the dtype (`Uint8ClampedArray` is written as `|u1`).
 * @param shape dimensions, product = `data.length`; `[]` writes a 0-d scalar (data of length 1).
 * @returns the file bytes. O(n).
 * @throws FormatError for an unsupported array type; ShapeError/DomainError for a bad shape.
 * @example
 * ```ts
 * import { encodeNpy } from 'coarsegrain';
 * const bytes = encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
 * // 128 + 24 bytes; numpy.load gives a (2, 3) float32 array
 * ```
 */
export function encodeNpy(data: TypedArray, shape: readonly number[]): Uint8Array {
  const dtype = dtypeOf(data, 'encodeNpy');
  if (!Array.isArray(shape)) throw shapeError('encodeNpy: shape', 'an array of sizes', typeof shape);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    checkInteger(shape[i], `encodeNpy: shape[${i}]`, 0);
    size *= shape[i]!;
  }
  if (size !== data.length) {
    throw shapeError(
      'encodeNpy: data',
      `${size} elements for shape [${shape.join(', ')}]`,
      `length ${data.length}`,
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DTYPES[dtype].descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    version = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const headerLength = total - prefix;
  const header = `${dict}${' '.repeat(headerLength - dict.length - 1)}\n`;
  const payload = littleEndianBytes(data);
  const out = new Uint8Array(total + payload.length);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(payload, total);
  return out;
}

function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const fail = (what: string): never => {
    throw new FormatError(
      `decodeNpy: header: expected ${what}, received ${JSON.stringify(text.trim().slice(0, 120))}`,
    );
  };
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1] ?? fail("a 'descr' entry");
  const fortranText =
    /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1] ?? fail("a 'fortran_order' entry");
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1] ?? fail("a 'shape' tuple");
  const shape: number[] = [];
  for (const part of shapeText.split(',')) {
    const t = part.trim().replace(/L$/, '');
    if (t === '') continue;
    if (!/^\d+$/.test(t)) fail('a shape of non-negative integers');
    shape.push(Number(t));
  }
  return { descr, fortran: fortranText === 'True', shape };
}

function descrToDtype(descr: string): NpyDtype | undefined {
  // '|' (not applicable) and '=' (native, little-endian on every platform we support) are accepted for
  // one-byte types; '<' for all.
  const m = /^([<|=])([fiu])(\d)$/.exec(descr);
  if (!m) return undefined;
  const [, order, kind, bytes] = m;
  if (order === '=' && !HOST_LITTLE_ENDIAN && bytes !== '1') return undefined;
  for (const [name, d] of Object.entries(DTYPES) as [NpyDtype, (typeof DTYPES)[NpyDtype]][]) {
    if (d.descr.slice(1) === `${kind}${bytes}`) return name;
  }
  return undefined;
}

/**
 * Decode `.npy` bytes (format 1.0, 2.0 or 3.0). The data is copied into a new, aligned typed array.
 * @param bytes the whole file.
 * @returns `{ data, shape, dtype }`, data flat in C order; a 0-d array has shape `[]` and one element.
 * @throws FormatError (message `decodeNpy: <part>: expected ..., received ...`) if the magic, version or
 * header is invalid, the dtype is big-endian or not one of float32/float64/int8/uint8/int16/uint16/
 * int32/uint32, the array is in Fortran order, or the payload is truncated or has trailing bytes.
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from 'coarsegrain';
 * const { data, shape, dtype } = decodeNpy(encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]));
 * // data: Float32Array [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: 'float32' (as numpy.save wrote it)
 * ```
 */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new FormatError(`decodeNpy: bytes: expected a Uint8Array, received ${typeof bytes}`);
  }
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new FormatError(
      `decodeNpy: magic: expected the bytes \\x93NUMPY of an .npy file, received ${bytes.length < 6 ? `only ${bytes.length} bytes` : `[${Array.from(bytes.subarray(0, 6)).join(', ')}]`}`,
    );
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new FormatError(`decodeNpy: version: expected 1.0, 2.0 or 3.0, received ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix)
    throw new FormatError(
      `decodeNpy: header: expected ${prefix} bytes of preamble, received ${bytes.length}`,
    );
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = prefix + headerLength;
  if (dataOffset > bytes.length) {
    throw new FormatError(
      `decodeNpy: header: expected ${headerLength} header bytes (truncated file), received ${bytes.length - prefix}`,
    );
  }
  const headerBytes = bytes.subarray(prefix, dataOffset);
  const text =
    major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : String.fromCharCode(...headerBytes);
  const { descr, fortran, shape } = parseHeader(text);
  const dtype = descrToDtype(descr);
  if (dtype === undefined) {
    throw new FormatError(
      `decodeNpy: dtype: expected one of '<f4', '<f8', '|i1', '|u1', '<i2', '<u2', '<i4', '<u4' (little-endian), received '${descr}'`,
    );
  }
  if (fortran)
    throw new FormatError(
      'decodeNpy: fortran_order: expected False (C order), received True; save with np.ascontiguousarray',
    );
  let size = 1;
  for (const s of shape) size *= s;
  const need = size * DTYPES[dtype].size;
  const have = bytes.length - dataOffset;
  if (have < need) {
    throw new FormatError(
      `decodeNpy: payload: expected ${need} bytes for shape (${shape.join(', ')}) ${descr} (truncated file), received ${have}`,
    );
  }
  if (have > need) {
    throw new FormatError(
      `decodeNpy: payload: expected ${need} bytes for shape (${shape.join(', ')}) ${descr}, received ${have} (trailing bytes)`,
    );
  }
  return { data: readLittleEndian(bytes, dataOffset, dtype, size), shape, dtype };
}
