/**
 * Save and load plain-data models (RBMs, autoencoders, MLPs, optimiser states, training checkpoints, or
 * any plain object of typed arrays, numbers, strings, booleans, null and arrays) bit-exactly, as a compact
 * binary file or as JSON. Browser-safe: no Node modules here (the file helpers are in node/modelFiles.ts,
 * entry `coarsegrain/node`).
 *
 * Binary layout (all integers little-endian):
 * ```
 * offset 0   8 bytes  magic "CGMODEL\0"
 *        8   u32      format version (currently 1)
 *        12  u32      header length H in bytes (UTF-8 JSON)
 *        16  u32 x 2  total file length (low, high word)
 *        24  H bytes  header JSON: { root, arrays: [{ type, length, offset }] }
 *            padding to a multiple of 8, then each typed array's raw little-endian bytes at its 8-aligned
 *            offset (relative to the end of the padded header)
 *        end-4 u32    CRC-32 (IEEE) of every preceding byte
 * ```
 * In the header (and in the JSON format), a typed array is `{ "$array": index }` (JSON: `{ "$array":
 * { "type", "base64" } }`), a non-finite number or -0 is `{ "$number": "NaN" | "Infinity" | "-Infinity" |
 * "-0" }`, and an object with a key starting with `$` is `{ "$object": [[key, value], ...] }`.
 * @module
 */
import { base64Decode, base64Encode } from '../core/base64.js';
import { crc32 } from '../core/crc32.js';
import { CoarseGrainError, FormatError, StateError } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import { TYPED_ARRAY_CONSTRUCTORS, type TypedArrayConstructor } from '../core/typedArrays.js';
import { checkObject, domainError } from '../core/validate.js';
import { checkAutoencoder } from './autoencoder.js';
import { checkMlp } from './mlp.js';
import { checkRbm } from './rbm.js';
import type { Rbm } from './types.js';

/** Current binary format version. Files of a later version are refused with a StateError. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * Current JSON format version. Version 2 stores a CRC-32 of every array's bytes beside its base64 text,
 * as the binary format checksums its payload; version 1 files carried no checksum (a flipped base64
 * character could turn a weight of -0.0049 into -9e16 unnoticed) and are refused with a StateError.
 */
export const MODEL_JSON_VERSION = 2;

/** Deepest nesting of objects and arrays a model may have (models are a few levels deep). */
export const MAX_MODEL_NESTING = 64;

/** Set `key` as an own data property (no `__proto__` setter, whatever the key). */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

const MAGIC = [0x43, 0x47, 0x4d, 0x4f, 0x44, 0x45, 0x4c, 0x00]; // "CGMODEL\0"
const PREAMBLE = 24;
const JSON_FORMAT = 'coarsegrain-model';

type TypedArrayCtor = TypedArrayConstructor;

const CTORS: Readonly<Record<string, TypedArrayCtor>> = TYPED_ARRAY_CONSTRUCTORS;

type AnyTypedArray = InstanceType<TypedArrayCtor>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function typedName(a: ArrayBufferView): string | null {
  const name = a.constructor?.name;
  return name !== undefined && CTORS[name] === a.constructor ? name : null;
}

/** Little-endian bytes of a typed array (a view when the platform is little-endian). */
function leBytes(a: AnyTypedArray): Uint8Array {
  if (LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (a instanceof Float64Array) view.setFloat64(i * 8, v, true);
    else if (a instanceof Float32Array) view.setFloat32(i * 4, v, true);
    else if (a instanceof Int32Array) view.setInt32(i * 4, v, true);
    else if (a instanceof Uint32Array) view.setUint32(i * 4, v, true);
    else if (a instanceof Int16Array) view.setInt16(i * 2, v, true);
    else view.setUint16(i * size, v, true);
  }
  return out;
}

/** A typed array of class `type` from little-endian bytes (copied, so the result is aligned and owned). */
function fromLeBytes(type: string, bytes: Uint8Array): AnyTypedArray {
  const Ctor = CTORS[type]!;
  const copy = bytes.slice();
  if (LITTLE_ENDIAN || Ctor.BYTES_PER_ELEMENT === 1) return new Ctor(copy.buffer);
  const n = copy.length / Ctor.BYTES_PER_ELEMENT;
  const out = new Ctor(n);
  const view = new DataView(copy.buffer);
  for (let i = 0; i < n; i++) {
    if (Ctor === Float64Array) out[i] = view.getFloat64(i * 8, true);
    else if (Ctor === Float32Array) out[i] = view.getFloat32(i * 4, true);
    else if (Ctor === Int32Array) out[i] = view.getInt32(i * 4, true);
    else if (Ctor === Uint32Array) out[i] = view.getUint32(i * 4, true);
    else if (Ctor === Int16Array) out[i] = view.getInt16(i * 2, true);
    else out[i] = view.getUint16(i * 2, true);
  }
  return out;
}

function encodeNumber(v: number): unknown {
  if (Number.isNaN(v)) return { $number: 'NaN' };
  if (v === Number.POSITIVE_INFINITY) return { $number: 'Infinity' };
  if (v === Number.NEGATIVE_INFINITY) return { $number: '-Infinity' };
  if (Object.is(v, -0)) return { $number: '-0' };
  return v; // JSON.stringify prints the shortest string that round-trips exactly
}

/** Walk a value; typed arrays go through `onArray`, the rest becomes JSON-safe data. */
function encodeValue(
  value: unknown,
  onArray: (a: AnyTypedArray) => unknown,
  path: string,
  where: string,
  depth = 0,
): unknown {
  if (depth > MAX_MODEL_NESTING)
    throw domainError(`${where}: ${path}`, `at most ${MAX_MODEL_NESTING} levels of nesting`, value);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (ArrayBuffer.isView(value)) {
    if (typedName(value) === null)
      throw domainError(
        `${where}: ${path}`,
        'a float or integer typed array (not BigInt64Array / DataView)',
        value,
      );
    return onArray(value as AnyTypedArray);
  }
  if (Array.isArray(value))
    return value.map((v, i) => encodeValue(v, onArray, `${path}[${i}]`, where, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw domainError(
        `${where}: ${path}`,
        'plain data (objects, arrays, typed arrays, numbers, strings)',
        value,
      );
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const encoded = entries.map(
      ([k, v]) => [k, encodeValue(v, onArray, `${path}.${k}`, where, depth + 1)] as const,
    );
    if (entries.some(([k]) => k.startsWith('$'))) return { $object: encoded };
    return Object.fromEntries(encoded);
  }
  throw domainError(
    `${where}: ${path}`,
    'plain data (objects, arrays, typed arrays, numbers, strings)',
    value,
  );
}

function decodeValue(
  value: unknown,
  onArray: (spec: unknown, path: string) => unknown,
  path: string,
  where: string,
  depth = 0,
): unknown {
  if (depth > MAX_MODEL_NESTING)
    throw new FormatError(
      `${where}: ${path}: expected at most ${MAX_MODEL_NESTING} levels of nesting, received more`,
    );
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (Array.isArray(value))
    return value.map((v, i) => decodeValue(v, onArray, `${path}[${i}]`, where, depth + 1));
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$array') return onArray(o.$array, path);
    if (keys.length === 1 && keys[0] === '$number') {
      const s = o.$number;
      if (s === 'NaN') return Number.NaN;
      if (s === 'Infinity') return Number.POSITIVE_INFINITY;
      if (s === '-Infinity') return Number.NEGATIVE_INFINITY;
      if (s === '-0') return -0;
      throw new FormatError(
        `${where}: ${path}: expected a special number (NaN, Infinity, -Infinity, -0), received ${JSON.stringify(s)}`,
      );
    }
    if (keys.length === 1 && keys[0] === '$object') {
      if (!Array.isArray(o.$object))
        throw new FormatError(
          `${where}: ${path}: expected $object to be a list of [key, value] entries, received ${typeof o.$object}`,
        );
      const out: Record<string, unknown> = {};
      for (const entry of o.$object as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string')
          throw new FormatError(
            `${where}: ${path}: expected a [key, value] entry of $object, received a malformed one`,
          );
        setOwn(out, entry[0], decodeValue(entry[1], onArray, `${path}.${entry[0]}`, where, depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) setOwn(out, k, decodeValue(o[k], onArray, `${path}.${k}`, where, depth + 1));
    return out;
  }
  throw new FormatError(`${where}: ${path}: unexpected value`);
}

/** Structural check of known model kinds (and of the model inside known checkpoints). */
function checkKnownKinds(value: unknown, where: string): void {
  const v = value as { kind?: unknown; model?: unknown } | null;
  if (v === null || typeof v !== 'object') return;
  switch (v.kind) {
    case 'autoencoder':
      checkAutoencoder(v, where);
      return;
    case 'mlp':
      checkMlp(v, where);
      return;
    case 'rbm':
      checkRbmShape(v, where);
      return;
    case 'autoencoder-checkpoint':
    case 'mlp-checkpoint':
    case 'rbm-checkpoint':
      checkKnownKinds(v.model, `${where}.model`);
      return;
  }
}

function checkRbmShape(value: unknown, where: string): void {
  const r = value as Rbm<FloatArray>;
  if (r.version !== 1)
    throw new StateError(`${where}: expected an Rbm of version 1, received version ${String(r.version)}`);
  checkRbm(r, where);
}

function checkDecodedModel(value: unknown, where: string): void {
  try {
    checkKnownKinds(value, where);
  } catch (e) {
    if (e instanceof StateError || e instanceof FormatError) throw e;
    if (e instanceof CoarseGrainError)
      throw new FormatError(`${where}: expected a valid model, received one that is not (${e.message})`);
    throw e;
  }
}

/**
 * Serialise a plain-data model (or checkpoint, or any plain object of typed arrays and JSON values) into
 * the compact binary format described in the module comment. Typed arrays are stored as raw
 * little-endian bytes, so the round trip is bit-exact (NaN payloads included). Cost O(size).
 * @throws DomainError naming the path of an unsupported value (Map, class instance, function, BigInt64Array);
 *   StateError / ShapeError if a known model kind is malformed.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, deserializeModel, serializeModel } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], rng: createRng(1) });
 * const bytes = serializeModel(ae); // Uint8Array; coarsegrain/node saveModel writes it to a file
 * const copy = deserializeModel(bytes); // deep-equal to ae, typed arrays bit-identical
 * ```
 */
export function serializeModel(model: unknown): Uint8Array {
  const where = 'serializeModel';
  checkObject(model as object, `${where}: model`, 'a model object');
  checkKnownKinds(model, `${where}: model`);
  const arrays: AnyTypedArray[] = [];
  const specs: { type: string; length: number; offset: number }[] = [];
  let payload = 0;
  const root = encodeValue(
    model,
    (a) => {
      specs.push({ type: typedName(a)!, length: a.length, offset: payload });
      arrays.push(a);
      payload += Math.ceil(a.byteLength / 8) * 8;
      return { $array: arrays.length - 1 };
    },
    'model',
    where,
  );
  const header = new TextEncoder().encode(JSON.stringify({ root, arrays: specs }));
  const headerEnd = Math.ceil((PREAMBLE + header.length) / 8) * 8;
  const total = headerEnd + payload + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, MODEL_FORMAT_VERSION, true);
  view.setUint32(12, header.length, true);
  view.setUint32(16, total % 2 ** 32, true);
  view.setUint32(20, Math.floor(total / 2 ** 32), true);
  out.set(header, PREAMBLE);
  for (let i = 0; i < arrays.length; i++) out.set(leBytes(arrays[i]!), headerEnd + specs[i]!.offset);
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

/**
 * Read a model written by {@link serializeModel}. Typed arrays come back as the same classes with the
 * same bytes; known kinds (autoencoder, mlp, rbm and their checkpoints) are checked structurally.
 * Cost O(size).
 * @throws FormatError for a wrong magic, a truncated or over-long buffer, a checksum mismatch, a malformed
 *   header or payload; StateError for a format version newer than `MODEL_FORMAT_VERSION` (or a known
 *   model kind of an unknown version).
 * @example
 * ```ts
 * import { createRbm, createRng, deserializeModel, serializeModel, type Rbm } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 16, nHidden: 8, rng: createRng(1) });
 * const copy = deserializeModel<Rbm<Float64Array>>(serializeModel(rbm)); // bit-identical weights
 * ```
 */
export function deserializeModel<T = unknown>(bytes: Uint8Array): T {
  const where = 'deserializeModel';
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`${where}: bytes: expected a Uint8Array, received ${typeof bytes}`);
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new FormatError(
      `${where}: bytes: expected a coarsegrain model file (magic bytes "CGMODEL\\0"), received other bytes`,
    );
  }
  if (bytes.length < PREAMBLE + 4)
    throw new FormatError(
      `${where}: bytes: expected at least ${PREAMBLE + 4} bytes, received ${bytes.length} (truncated)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MODEL_FORMAT_VERSION) {
    throw new StateError(
      `${where}: format version ${version} is not supported (this library reads version ${MODEL_FORMAT_VERSION}${version > MODEL_FORMAT_VERSION ? '; the file was written by a newer version' : ''})`,
    );
  }
  const headerLength = view.getUint32(12, true);
  const total = view.getUint32(16, true) + view.getUint32(20, true) * 2 ** 32;
  if (bytes.length < total)
    throw new FormatError(
      `${where}: bytes: expected the ${total} bytes the header declares, received ${bytes.length} (truncated)`,
    );
  if (bytes.length > total)
    throw new FormatError(
      `${where}: ${bytes.length - total} unexpected bytes after the declared end (${total} bytes)`,
    );
  const headerEnd = Math.ceil((PREAMBLE + headerLength) / 8) * 8;
  if (headerEnd + 4 > total)
    throw new FormatError(`${where}: header: expected a length within the file, received ${headerLength}`);
  const stored = view.getUint32(total - 4, true);
  const actual = crc32(bytes.subarray(0, total - 4));
  if (stored !== actual) {
    throw new FormatError(
      `${where}: checksum mismatch (stored CRC-32 ${stored.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')}): the file is corrupt`,
    );
  }
  let header: { root: unknown; arrays: { type: string; length: number; offset: number }[] };
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength)),
    );
  } catch (e) {
    throw new FormatError(
      `${where}: header: expected valid JSON, received invalid JSON (${(e as Error).message})`,
    );
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.arrays))
    throw new FormatError(`${where}: header: expected an array table, received none`);
  const payloadEnd = total - 4;
  const root = decodeValue(
    header.root,
    (spec, path) => {
      const index = spec as number;
      const s = header.arrays[index];
      if (!Number.isInteger(index) || !s || typeof s !== 'object')
        throw new FormatError(
          `${where}: ${path}: expected an array reference, received ${JSON.stringify(spec)}`,
        );
      const Ctor = CTORS[s.type];
      if (!Ctor)
        throw new FormatError(
          `${where}: ${path}: expected a typed array type name, received ${JSON.stringify(s.type)}`,
        );
      if (
        !Number.isInteger(s.length) ||
        s.length < 0 ||
        !Number.isInteger(s.offset) ||
        s.offset < 0 ||
        s.offset % 8 !== 0
      )
        throw new FormatError(
          `${where}: ${path}: expected an integer length and an aligned offset, received ${JSON.stringify(spec)}`,
        );
      const start = headerEnd + s.offset;
      const end = start + s.length * Ctor.BYTES_PER_ELEMENT;
      if (end > payloadEnd)
        throw new FormatError(
          `${where}: ${path}: expected an array within the payload, received one that extends past it`,
        );
      return fromLeBytes(s.type, bytes.subarray(start, end));
    },
    'model',
    where,
  );
  checkDecodedModel(root, `${where}: model`);
  return root as T;
}

/**
 * Serialise a model as JSON text: `{ format: 'coarsegrain-model', version: 2, root }`, typed arrays as
 * `{ $array: { type, base64, crc32 } }`: base64 of their little-endian bytes (so floats round-trip
 * bit-exactly) and the CRC-32 of those bytes; special numbers tagged. Cost O(size).
 * @throws as {@link serializeModel}.
 * @example
 * ```ts
 * import { createRbm, createRng, modelToJson } from 'coarsegrain';
 * const text = modelToJson(createRbm({ nVisible: 16, nHidden: 8, rng: createRng(1) }));
 * // '{"format":"coarsegrain-model","version":2,"root":{...}}': arrays as base64 with a CRC-32
 * ```
 */
export function modelToJson(model: unknown): string {
  const where = 'modelToJson';
  checkObject(model as object, `${where}: model`, 'a model object');
  checkKnownKinds(model, `${where}: model`);
  const root = encodeValue(
    model,
    (a) => {
      const bytes = leBytes(a);
      return { $array: { type: typedName(a)!, base64: base64Encode(bytes), crc32: crc32(bytes) } };
    },
    'model',
    where,
  );
  return JSON.stringify({ format: JSON_FORMAT, version: MODEL_JSON_VERSION, root });
}

/**
 * Read JSON written by {@link modelToJson}.
 * @throws FormatError for text that is not JSON or not a coarsegrain model, malformed arrays, an array
 *   whose bytes do not match its CRC-32, or nesting deeper than {@link MAX_MODEL_NESTING}; StateError for
 *   another format version (version 1, without checksums, cannot be read safely: re-save the model).
 * @example
 * ```ts
 * import { createMlp, createRng, modelFromJson, modelToJson, type Mlp } from 'coarsegrain';
 * const mlp = createMlp({ layers: [4, 3], rng: createRng(1) });
 * const copy = modelFromJson<Mlp<Float64Array>>(modelToJson(mlp)); // the same model, bit for bit
 * ```
 */
export function modelFromJson<T = unknown>(text: string): T {
  const where = 'modelFromJson';
  let doc: { format?: unknown; version?: unknown; root?: unknown };
  if (typeof text !== 'string' || text.length === 0)
    throw domainError(`${where}: text`, 'a non-empty JSON string', text);
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FormatError(
      `${where}: text: expected valid JSON, received invalid JSON (${(e as Error).message})`,
    );
  }
  if (!doc || typeof doc !== 'object' || doc.format !== JSON_FORMAT)
    throw new FormatError(
      `${where}: text: expected a coarsegrain model (format "${JSON_FORMAT}"), received ${doc === null || typeof doc !== 'object' ? typeof doc : `format ${JSON.stringify(doc.format) ?? 'undefined'}`}`,
    );
  if (doc.version === 1)
    throw new StateError(
      `${where}: version: expected JSON format version ${MODEL_JSON_VERSION}, received 1 (version 1 stored no ` +
        'checksum of the weights, so a corrupted file cannot be told from a good one; re-save the model ' +
        'with saveModel / modelToJson from the code that wrote it, or use the binary format)',
    );
  if (doc.version !== MODEL_JSON_VERSION)
    throw new StateError(
      `${where}: version: expected format version ${MODEL_JSON_VERSION}, received ${String(doc.version)}`,
    );
  const root = decodeValue(
    doc.root,
    (spec, path) => {
      const s = spec as { type?: unknown; base64?: unknown; crc32?: unknown } | null;
      if (
        !s ||
        typeof s.type !== 'string' ||
        typeof s.base64 !== 'string' ||
        typeof s.crc32 !== 'number' ||
        !Object.hasOwn(CTORS, s.type)
      )
        throw new FormatError(`${where}: ${path}: malformed array (expected { type, base64, crc32 })`);
      const raw = base64Decode(s.base64);
      const actual = crc32(raw);
      if (actual !== s.crc32)
        throw new FormatError(
          `${where}: ${path}: checksum mismatch (stored CRC-32 ${(s.crc32 >>> 0).toString(16).padStart(8, '0')}, ` +
            `computed ${actual.toString(16).padStart(8, '0')}): the file is corrupt`,
        );
      const size = CTORS[s.type]!.BYTES_PER_ELEMENT;
      if (raw.length % size !== 0)
        throw new FormatError(
          `${where}: ${path}: ${raw.length} bytes is not a whole number of ${s.type} elements`,
        );
      return fromLeBytes(s.type, raw);
    },
    'model',
    where,
  );
  checkDecodedModel(root, `${where}: model`);
  return root as T;
}
