/**
 * Lossless JSON for task outputs and configs. Plain JSON loses what experiment results can hold: NaN and
 * +-Infinity (become null), -0 (becomes 0) and typed arrays (become index-keyed objects). Here they are
 * written as tagged objects `{ "$number": "NaN" | "Infinity" | "-Infinity" | "-0" }` and
 * `{ "$typed": "Float64Array", "values": [...] }`, so `decodeJson(encodeJson(x))` equals `x` bit for bit
 * (every finite double is printed by JSON.stringify in its shortest round-trip form). `canonicalJson` also
 * sorts object keys, so equal values give equal text (used for content hashes).
 * @module
 */
import { FormatError } from '../core/errors.js';
import { TYPED_ARRAY_CONSTRUCTORS, type TypedArrayName } from '../core/typedArrays.js';
import { domainError } from '../core/validate.js';

const TYPED = TYPED_ARRAY_CONSTRUCTORS;

type TypedName = TypedArrayName;

function encodeNumber(x: number): unknown {
  if (Object.is(x, -0)) return { $number: '-0' };
  if (Number.isFinite(x)) return x;
  return { $number: String(x) };
}

/** The value with its specials replaced by tagged objects and (when `sortKeys`) object keys sorted. */
function toTagged(value: unknown, sortKeys: boolean, path: string): unknown {
  if (typeof value === 'number') return encodeNumber(value);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if (!(name in TYPED)) throw domainError(path, 'a typed array of numbers', value);
    return { $typed: name, values: Array.from(value as unknown as ArrayLike<number>, encodeNumber) };
  }
  if (Array.isArray(value)) return value.map((v, i) => toTagged(v, sortKeys, `${path}[${i}]`));
  if (typeof value === 'object' && value !== undefined) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw domainError(path, 'plain data (objects, arrays, numbers, strings, booleans)', value);
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (sortKeys) keys.sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = toTagged((value as Record<string, unknown>)[k], sortKeys, `${path}.${k}`);
    return out;
  }
  throw domainError(path, 'plain data (objects, arrays, numbers, strings, booleans)', value);
}

/**
 * JSON text of plain data, lossless for NaN, +-Infinity, -0 and typed arrays (see the module notes).
 * Fields whose value is `undefined` are left out, as JSON.stringify does.
 * @throws DomainError for a function, class instance, symbol or bigint anywhere in `value` (names the path).
 */
export function encodeJson(value: unknown, name = 'encodeJson: value'): string {
  return JSON.stringify(toTagged(value, false, name));
}

/** Like {@link encodeJson} with object keys sorted: equal data give equal text (for content hashes). */
export function canonicalJson(value: unknown, name = 'canonicalJson: value'): string {
  return JSON.stringify(toTagged(value, true, name));
}

function fromTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTagged);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.$number === 'string') {
    const n = Number(record.$number);
    if (record.$number === '-0') return -0;
    if (!Number.isNaN(n) || record.$number === 'NaN') return n;
    throw new FormatError(
      `decodeJson: expected a $number tag NaN, Infinity, -Infinity or -0, received ${record.$number}`,
    );
  }
  if (keys.length === 2 && typeof record.$typed === 'string' && Array.isArray(record.values)) {
    const Ctor = TYPED[record.$typed as TypedName];
    if (!Ctor) throw new FormatError(`decodeJson: expected a typed array name, received ${record.$typed}`);
    return Ctor.from(record.values.map((v) => fromTagged(v) as number));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromTagged(record[k]);
  return out;
}

/**
 * Read text written by {@link encodeJson} or {@link canonicalJson}.
 * @throws FormatError when `text` is not JSON or holds a malformed tag.
 */
export function decodeJson(text: string): unknown {
  if (typeof text !== 'string')
    throw new FormatError(`decodeJson: text: expected a JSON string, received ${typeof text}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FormatError(
      `decodeJson: expected JSON text, received invalid JSON (${(error as Error).message})`,
    );
  }
  return fromTagged(raw);
}
