/**
 * A binary container for Monte Carlo ensembles and other named arrays with JSON metadata
 * (browser-safe; the Node file wrappers are `saveEnsembleFile`/`loadEnsembleFile` in `node/files.ts`,
 * entry `coarsegrain/node`).
 *
 * Layout (all integers little-endian), version 1:
 * ```
 * offset 0        'CGENS' (5 bytes ASCII), 0x00, version (uint16) = 1
 * offset 8        H = byte length of the JSON header (uint32), then 4 reserved zero bytes
 * offset 16       JSON header, UTF-8, padded with spaces to a multiple of 8 bytes:
 *                 { "format": "coarsegrain-ensemble", "version": 1, "metadata": {...},
 *                   "arrays": [{ "name", "dtype", "shape", "length", "offset", "byteLength" }, ...],
 *                   "payloadEnd": E }
 * (offsets)       each array's raw little-endian elements at its 8-byte aligned `offset` (from the file
 *                 start), zero padding in between
 * offset E        CRC-32 (IEEE, as zlib) of bytes [0, E) (uint32), then the end marker 'CGENSEND'
 * ```
 * The file is E + 12 bytes long. A file cut short anywhere lacks the end marker or fails the checksum,
 * so a half-written file is detected and never read as data.
 * @module
 */

import { crc32 } from '../core/crc32.js';
import { FormatError, StateError } from '../core/errors.js';
import type { TypedArray } from '../core/tensor.js';
import { checkOptions, domainError, shapeError } from '../core/validate.js';
import {
  dtypeOf,
  dtypeSize,
  HOST_LITTLE_ENDIAN,
  littleEndianBytes,
  type NpyDtype,
  readLittleEndian,
  typedArrayConstructor,
} from './npy.js';

/** Current container version written by {@link encodeEnsembleFile}. */
export const ENSEMBLE_FILE_VERSION = 1;
const MAGIC = 'CGENS';
const END_MARKER = 'CGENSEND';
const TRAILER = 12;

/** What goes into an ensemble file. */
export interface EnsembleFileContents {
  /**
   * JSON-serialisable metadata, e.g. `{ model: 'ising2d', temperature: 2.27, sampler: 'wolff', seed: 7,
   * shape: [10, 10] }`. Numbers must be finite (JSON has no NaN/Infinity).
   */
  readonly metadata: Record<string, unknown>;
  /** Named arrays (e.g. `spins: Int8Array` of N*L*L, `energy: Float64Array` of N), written in key order. */
  readonly arrays: Readonly<Record<string, TypedArray>>;
  /** Optional shapes per array name (product = length); default `[length]`. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
}

/** Description of one stored array, as written in the header. */
export interface EnsembleArrayInfo {
  readonly name: string;
  readonly dtype: NpyDtype;
  readonly shape: number[];
  readonly length: number;
  readonly offset: number;
  readonly byteLength: number;
}

/** A decoded ensemble file. */
export interface DecodedEnsembleFile {
  readonly version: number;
  readonly metadata: Record<string, unknown>;
  readonly arrays: Record<string, TypedArray>;
  readonly shapes: Record<string, number[]>;
  readonly fields: EnsembleArrayInfo[];
}

function checkJson(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw domainError(path, 'a finite number (JSON has no NaN/Infinity)', value);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkJson(value[i], `${path}[${i}]`);
    return;
  }
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) checkJson(v, `${path}.${k}`);
    }
    return;
  }
  throw domainError(path, 'a JSON value (object, array, string, finite number, boolean or null)', value);
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Encode metadata and named arrays into the container format described in the module comment.
 * @returns the file bytes. O(total bytes).
 * @throws DomainError if metadata is not plain JSON (NaN, functions, typed arrays inside) or a name is
 * empty; ShapeError if a shape does not match its array; FormatError for an unsupported array type.
 * @example
 * ```ts
 * import { encodeEnsembleFile } from 'coarsegrain';
 * const spins = new Int8Array(3 * 100).fill(-1); // 3 configurations of 10 x 10
 * const energy = Float64Array.of(-2, -2, -2); // per site
 * const bytes = encodeEnsembleFile({ metadata: { temperature: 2.5, seed: 1 }, arrays: { spins, energy }, shapes: { spins: [3, 10, 10] } });
 * // Uint8Array: a header, the arrays, a CRC-32 and an end marker (decodeEnsembleFile checks all)
 * ```
 */
export function encodeEnsembleFile(contents: EnsembleFileContents): Uint8Array {
  const fn = 'encodeEnsembleFile';
  checkOptions(contents, `${fn}: contents`, ['metadata', 'arrays', 'shapes'], true);
  const { metadata, arrays, shapes = {} } = contents;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw domainError(`${fn}: metadata`, 'a plain object', metadata);
  }
  checkJson(metadata, `${fn}: metadata`);
  if (arrays === null || typeof arrays !== 'object')
    throw domainError(`${fn}: arrays`, 'an object of typed arrays', arrays);
  for (const name of Object.keys(shapes)) {
    if (!(name in arrays)) throw domainError(`${fn}: shapes.${name}`, 'the name of an array in arrays', name);
  }
  const names = Object.keys(arrays);
  const fields: EnsembleArrayInfo[] = [];
  // Offsets depend on the header length, which depends on the offsets: iterate until stable (2-3 rounds).
  let headerText = '';
  let start = 0;
  for (let round = 0; ; round++) {
    // The start only grows (longer offsets need more digits), so this settles in a few rounds.
    if (round > 64) throw new StateError(`${fn}: header layout did not settle (internal error)`);
    fields.length = 0;
    let offset = start;
    for (const name of names) {
      if (name.length === 0) throw domainError(`${fn}: arrays`, 'non-empty names', name);
      const data = arrays[name]!;
      const dtype = dtypeOf(data, `${fn}: arrays.${name}`);
      const shape = shapes[name] ? [...shapes[name]!] : [data.length];
      let size = 1;
      for (const s of shape) {
        if (!Number.isInteger(s) || s < 0)
          throw shapeError(`${fn}: shapes.${name}`, 'non-negative integer sizes', `[${shape.join(', ')}]`);
        size *= s;
      }
      if (size !== data.length) {
        throw shapeError(
          `${fn}: shapes.${name}`,
          `a shape with ${data.length} elements`,
          `[${shape.join(', ')}]`,
        );
      }
      const byteLength = data.length * dtypeSize(dtype);
      fields.push({ name, dtype, shape, length: data.length, offset, byteLength });
      offset = align8(offset + byteLength);
    }
    headerText = JSON.stringify({
      format: 'coarsegrain-ensemble',
      version: ENSEMBLE_FILE_VERSION,
      metadata,
      arrays: fields,
      payloadEnd: offset,
    });
    const headerBytes = new TextEncoder().encode(headerText).length;
    const nextStart = 16 + align8(headerBytes);
    if (nextStart === start) break;
    start = nextStart;
  }
  const header = new TextEncoder().encode(headerText);
  const last = fields[fields.length - 1];
  const payloadEnd = last ? align8(last.offset + last.byteLength) : start;
  const out = new Uint8Array(payloadEnd + TRAILER);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint16(6, ENSEMBLE_FILE_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 16);
  out.fill(0x20, 16 + header.length, start);
  for (const f of fields) out.set(littleEndianBytes(arrays[f.name]!), f.offset);
  view.setUint32(payloadEnd, crc32(out.subarray(0, payloadEnd)), true);
  for (let i = 0; i < END_MARKER.length; i++) out[payloadEnd + 4 + i] = END_MARKER.charCodeAt(i);
  return out;
}

/**
 * Decode an ensemble file written by {@link encodeEnsembleFile}, verifying the end marker, the CRC-32
 * and every array's bounds.
 * @param options.copy if false, arrays are views into `bytes` where alignment allows (zero-copy);
 * default true (independent copies).
 * @throws FormatError with `decodeEnsembleFile: <part>: expected ..., received ...` for a wrong magic,
 * an unknown version, a truncated or half-written file (no end marker), a checksum mismatch, or a header
 * that does not describe the payload.
 * @example
 * ```ts
 * import { decodeEnsembleFile, encodeEnsembleFile } from 'coarsegrain';
 * const spins = new Int8Array(2 * 16).fill(1); // 2 configurations of 4 x 4
 * const bytes = encodeEnsembleFile({ metadata: { temperature: 2.5 }, arrays: { spins }, shapes: { spins: [2, 4, 4] } });
 * const { metadata, arrays, shapes } = decodeEnsembleFile(bytes);
 * // metadata: { temperature: 2.5 }, arrays.spins: Int8Array(32), shapes.spins: [2, 4, 4]
 * ```
 */
export function decodeEnsembleFile(bytes: Uint8Array, options: { copy?: boolean } = {}): DecodedEnsembleFile {
  options = checkOptions(options, 'decodeEnsembleFile: options', ['copy']);
  const fn = 'decodeEnsembleFile';
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`${fn}: bytes: expected a Uint8Array, received ${typeof bytes}`);
  const ascii = (from: number, n: number) => String.fromCharCode(...bytes.subarray(from, from + n));
  if (bytes.length < 5 || ascii(0, 5) !== MAGIC) {
    throw new FormatError(
      `${fn}: magic: expected 'CGENS' (a coarsegrain ensemble file), received ${JSON.stringify(ascii(0, 5))}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 16 + TRAILER) {
    throw new FormatError(
      `${fn}: length: expected at least ${16 + TRAILER} bytes (truncated file), received ${bytes.length}`,
    );
  }
  const version = view.getUint16(6, true);
  if (version !== ENSEMBLE_FILE_VERSION) {
    throw new FormatError(
      `${fn}: version: expected ${ENSEMBLE_FILE_VERSION}, received ${version} (written by another version of coarsegrain)`,
    );
  }
  if (ascii(bytes.length - 8, 8) !== END_MARKER) {
    throw new FormatError(
      `${fn}: end marker: expected 'CGENSEND' at the end of the file, received none (truncated or half-written file)`,
    );
  }
  const payloadEnd = bytes.length - TRAILER;
  const stored = view.getUint32(payloadEnd, true);
  const actual = crc32(bytes.subarray(0, payloadEnd));
  if (stored !== actual) {
    throw new FormatError(
      `${fn}: checksum: expected CRC-32 ${stored.toString(16).padStart(8, '0')}, received ${actual.toString(16).padStart(8, '0')} (corrupt file)`,
    );
  }
  const headerLength = view.getUint32(8, true);
  if (16 + headerLength > payloadEnd)
    throw new FormatError(`${fn}: header: expected ${headerLength} bytes, received ${payloadEnd - 16}`);
  let header: { metadata?: unknown; arrays?: unknown; payloadEnd?: unknown };
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)),
    );
  } catch (e) {
    throw new FormatError(
      `${fn}: header: expected UTF-8 JSON, received text that does not parse (${(e as Error).message})`,
    );
  }
  if (
    header === null ||
    typeof header !== 'object' ||
    typeof header.metadata !== 'object' ||
    !Array.isArray(header.arrays)
  ) {
    throw new FormatError(
      `${fn}: header: expected { metadata, arrays: [...] }, received ${JSON.stringify(header)?.slice(0, 80)}`,
    );
  }
  if (header.payloadEnd !== payloadEnd) {
    throw new FormatError(
      `${fn}: length: expected payloadEnd ${String(header.payloadEnd)} from the header, received ${payloadEnd}`,
    );
  }
  const copy = options.copy ?? true;
  const arrays: Record<string, TypedArray> = {};
  const shapes: Record<string, number[]> = {};
  const fields: EnsembleArrayInfo[] = [];
  const payloadStart = 16 + align8(headerLength);
  for (const raw of header.arrays as Record<string, unknown>[]) {
    const name = String(raw?.name);
    const dtype = raw?.dtype as NpyDtype;
    const { length, offset, byteLength } = raw as { length: number; offset: number; byteLength: number };
    const shape = raw?.shape as number[];
    let size = 1;
    const okShape = Array.isArray(shape) && shape.every((s) => Number.isInteger(s) && s >= 0);
    if (okShape) for (const s of shape) size *= s;
    const okDtype = ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'].includes(
      dtype,
    );
    if (
      typeof raw?.name !== 'string' ||
      name.length === 0 ||
      !okDtype ||
      !okShape ||
      size !== length ||
      !Number.isInteger(offset) ||
      offset % 8 !== 0 ||
      offset < payloadStart ||
      byteLength !== length * dtypeSize(dtype) ||
      offset + byteLength > payloadEnd ||
      name in arrays
    ) {
      throw new FormatError(
        `${fn}: header: expected a valid array entry, received ${JSON.stringify(raw)?.slice(0, 160)}`,
      );
    }
    const size1 = dtypeSize(dtype);
    let data: TypedArray;
    if (!copy && HOST_LITTLE_ENDIAN && (bytes.byteOffset + offset) % size1 === 0) {
      const Ctor = typedArrayConstructor(dtype);
      data = new Ctor(bytes.buffer, bytes.byteOffset + offset, length);
    } else {
      data = readLittleEndian(bytes, offset, dtype, length);
    }
    arrays[name] = data;
    shapes[name] = [...shape];
    fields.push({ name, dtype, shape: [...shape], length, offset, byteLength });
  }
  return { version, metadata: header.metadata as Record<string, unknown>, arrays, shapes, fields };
}
