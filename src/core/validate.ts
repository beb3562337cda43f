/**
 * Argument validation for the public (checked) tier. Each helper throws a typed error whose message reads
 * `<name>: expected <what>, received <value>`; `name` should say where, e.g. `'sampleEnsemble: temperature'`.
 * @module
 */
import { AbortError, DomainError, FileError, ShapeError } from './errors.js';
import type { Rng } from './rng.js';

/** Render a received value compactly for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  return typeof value;
}

/** Throw a {@link DomainError} for `name`. */
export function domainError(name: string, expected: string, received: unknown): DomainError {
  return new DomainError(`${name}: expected ${expected}, received ${describeValue(received)}`);
}

/** Throw a {@link ShapeError} for `name`. */
export function shapeError(name: string, expected: string, received: string): ShapeError {
  return new ShapeError(`${name}: expected ${expected}, received ${received}`);
}

/** Assert a finite number (not NaN, not +-Infinity). Returns it. */
export function checkFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw domainError(name, 'a finite number', value);
  return value;
}

/** Assert a finite number > 0 (temperatures, learning rates, ...). Returns it. */
export function checkPositive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw domainError(name, 'a finite number > 0', value);
  }
  return value;
}

/** Assert a finite number >= 0. Returns it. */
export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw domainError(name, 'a finite number >= 0', value);
  }
  return value;
}

/** Assert an integer in [min, max] (inclusive; defaults: no bound). Returns it. */
export function checkInteger(
  value: unknown,
  name: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range =
      min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER
        ? 'an integer'
        : max === Number.MAX_SAFE_INTEGER
          ? `an integer >= ${min}`
          : `an integer in [${min}, ${max}]`;
    throw domainError(name, range, value);
  }
  return value;
}

/**
 * Assert a finite number in a range; `lo`/`hi` are inclusive unless `openLo`/`openHi`. Returns it.
 * @example checkRange(sigma, 'sigma', 0, 2, true) // sigma in (0, 2]
 */
export function checkRange(
  value: unknown,
  name: string,
  lo: number,
  hi: number,
  openLo = false,
  openHi = false,
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (openLo ? value > lo : value >= lo) &&
    (openHi ? value < hi : value <= hi);
  if (!ok)
    throw domainError(name, `a number in ${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}`, value);
  return value as number;
}

/** Assert one of a fixed set of string options. Returns it. */
export function checkOneOf<T extends string>(value: unknown, name: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw domainError(name, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`, value);
  }
  return value as T;
}

/** Any typed array or plain array of numbers. */
export type NumericArray = ArrayLike<number>;

/** Assert an array-like of exactly `length` elements. */
export function checkLength(array: NumericArray, name: string, length: number): void {
  if (array === null || array === undefined || typeof array.length !== 'number') {
    throw shapeError(name, `an array of length ${length}`, describeValue(array));
  }
  if (array.length !== length) throw shapeError(name, `length ${length}`, `length ${array.length}`);
}

/**
 * Assert every element is finite (no NaN/Inf); reports the first bad index. O(n), one pass: Float64Array
 * and Float32Array are scanned by a loop of their own (monomorphic element loads, several times faster
 * than one loop shared by every array type), integer typed arrays are finite by construction and not
 * scanned.
 */
export function checkAllFinite(array: NumericArray, name: string): void {
  const bad =
    array instanceof Float64Array
      ? firstNonFinite64(array)
      : array instanceof Float32Array
        ? firstNonFinite32(array)
        : isIntegerTypedArray(array)
          ? -1
          : firstNonFiniteAny(array);
  if (bad >= 0) throw domainError(`${name}[${bad}]`, 'a finite number', array[bad]);
}

function isIntegerTypedArray(a: NumericArray): boolean {
  return (
    a instanceof Int8Array ||
    a instanceof Uint8Array ||
    a instanceof Uint8ClampedArray ||
    a instanceof Int16Array ||
    a instanceof Uint16Array ||
    a instanceof Int32Array ||
    a instanceof Uint32Array
  );
}

// One copy of the scan per array type (see checkAllFinite): x - x is 0 for a finite x, NaN otherwise.
function firstNonFinite64(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

function firstNonFinite32(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

function firstNonFiniteAny(a: NumericArray): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** Assert every element is +1 or -1 (spin configurations). O(n). */
export function checkSpins(array: NumericArray, name: string): void {
  for (let i = 0; i < array.length; i++) {
    const s = array[i];
    if (s !== 1 && s !== -1) throw domainError(`${name}[${i}]`, 'a spin +1 or -1', s);
  }
}

/** Assert a shape: a non-empty list of positive integers. Returns the number of elements. */
export function checkShape(shape: readonly number[], name: string): number {
  if (!Array.isArray(shape) || shape.length === 0)
    throw shapeError(name, 'a non-empty list of sizes', describeValue(shape));
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    checkInteger(shape[i], `${name}[${i}]`, 1);
    size *= shape[i]!;
  }
  return size;
}

/**
 * The {@link FileError} for a failed file-system call (pure: no `node:fs` here): "fn: arg: expected
 * <expected>, received "<path>" (<cause in words>)", the cause from the system code: no such file or
 * folder (ENOENT), is a directory (EISDIR), permission denied (EACCES, EPERM), a parent is not a
 * directory (ENOTDIR), no space left (ENOSPC), else the system message.
 */
export function fileError(
  fn: string,
  arg: string,
  path: string,
  expected: string,
  cause: unknown,
): FileError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a parent is not a directory'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : cause instanceof Error
                ? cause.message
                : String(cause);
  return new FileError(
    `${fn}: ${arg}: expected ${expected}, received ${JSON.stringify(path)} (${why})`,
    path,
    typeof code === 'string' ? code : undefined,
    { cause },
  );
}

/** Assert a non-empty string file path. Returns it. */
export function checkPath(path: unknown, name: string): string {
  if (typeof path !== 'string' || path.length === 0) throw domainError(name, 'a non-empty file path', path);
  return path;
}

/** Throw an {@link AbortError} if `signal` is aborted. Call between units of work. */
export function checkAbort(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new AbortError(`${where}: aborted`);
}

/**
 * The complete list of the keys of an options type, checked by the compiler: `optionKeys<FooOptions>({ a:
 * true, b: true })` fails to compile if a key of `FooOptions` is missing or an extra one is given, so the
 * run-time list used by {@link checkOptions} can never drift from the type.
 */
export type OptionKeys<T> = { readonly [K in keyof T]-?: true };

/** The key list of {@link OptionKeys} as an array (in declaration order). See {@link checkOptions}. */
export function optionKeys<T>(keys: OptionKeys<T>): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/**
 * Check an options object at a public boundary (the one shared rule for every options object):
 *
 * - `null` or `undefined` count as not given (an empty options object) when the options argument is
 *   optional; when it is `required` (it holds a required field) they are a {@link DomainError};
 * - anything else that is not a plain object (number, string, array, function) is a {@link DomainError};
 * - a key that is not in `known` is a {@link DomainError} that names the key and lists the known ones,
 *   even when its value is `undefined` (a misspelt key is a mistake whatever its value);
 * - a known key whose value is `undefined` counts as not given: it is left out of the returned copy, so
 *   `{ ...defaults, ...checked }` keeps the default.
 *
 * - the two run keys shared by every long call are checked here too: `onProgress` must be a function
 *   and `signal` an AbortSignal (an object with a boolean `aborted`), so a bad one is refused before any
 *   work instead of failing (or being ignored) hours later.
 *
 * Otherwise only the keys are checked here; each function still checks the values it reads. Cost
 * O(number of keys).
 * @param value - The options object as received (may be `null`/`undefined`).
 * @param name - Where, e.g. `'trainRbm: options'`.
 * @param known - The accepted keys, from {@link optionKeys}.
 * @param required - Whether the argument itself is required (default false).
 * @returns A shallow copy of `value` without its `undefined` entries (a new empty object if not given).
 * @throws DomainError if `value` is not an object or holds an unknown key.
 * @example
 * checkOptions({ burnin: 10 }, 'sampleEnsemble: options', ['burnIn', 'thin']);
 * // DomainError "sampleEnsemble: options: expected only the known keys burnIn, thin,
 * //   received unknown key 'burnin' (did you mean 'burnIn'?)"
 */
export function checkOptions<T extends object>(
  value: T | null | undefined,
  name: string,
  known: readonly string[],
  required = false,
): T {
  if ((value === null || value === undefined) && !required) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value))
    throw domainError(name, 'an options object', value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (!known.includes(key)) {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      throw new DomainError(
        `${name}: expected only the known keys ${known.length > 0 ? known.join(', ') : '(none)'}, ` +
          `received unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}`,
      );
    }
    if (v === undefined) continue;
    if (key === 'onProgress' && typeof v !== 'function')
      throw domainError(`${name}.onProgress`, 'a function', v);
    if (key === 'signal' && !isAbortSignal(v)) throw domainError(`${name}.signal`, 'an AbortSignal', v);
    out[key] = v;
  }
  return out as T;
}

function isAbortSignal(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as { aborted?: unknown }).aborted === 'boolean' &&
    typeof (v as { addEventListener?: unknown }).addEventListener === 'function'
  );
}

/**
 * Assert that `value` is a plain object (not null, not an array or typed array), for a required
 * non-options argument such as a model or a config. Returns it.
 */
export function checkObject<T extends object>(
  value: T | null | undefined,
  name: string,
  what = 'an object',
): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value))
    throw domainError(name, what, value);
  return value;
}

/** Structural check that `rng` is a generator from `createRng`/`deriveRng`/`restoreRng`. */
export function checkRng(rng: unknown, name: string): asserts rng is Rng {
  const r = rng as Partial<Rng> | null | undefined;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.uniform !== 'function' ||
    typeof r.int !== 'function' ||
    typeof r.save !== 'function'
  ) {
    throw domainError(name, 'an Rng (see createRng)', rng);
  }
}

/** Assert an array-like of numbers (plain array or typed array), possibly empty. Returns it. */
export function checkNumericArray<T extends NumericArray>(
  value: T,
  name: string,
  what = 'an array of numbers',
): T {
  if (
    value === null ||
    typeof value !== 'object' ||
    (!Array.isArray(value) && !ArrayBuffer.isView(value)) ||
    value instanceof DataView
  )
    throw domainError(name, what, value);
  return value;
}

/**
 * The default cap on the number of elements of any array whose size is derived from user input: 2^28
 * (268,435,456) elements, i.e. 2 GiB of float64 or 256 MiB of int8. Above it a request is far more likely
 * a mistake (an extra zero, a misread header) than a computation this library can finish, and V8 would
 * fail with a RangeError or run out of memory instead of a readable message.
 */
export const MAX_ELEMENTS = 2 ** 28;

/**
 * The default cap on the number of elementary steps (sweeps x sites, epochs x samples, ...) of one call
 * whose count is derived from user input: 2^40 (about 1.1e12), hours of work at the fastest kernels here.
 * Above it a call would not finish in any useful time; it is refused instead of hanging.
 */
export const MAX_WORK = 2 ** 40;

/**
 * The one resource-limit check: assert that an allocation (or an amount of work) of `size` units derived
 * from user input stays within `limit`, before it is made. `size` may be a product computed in floating
 * point (it may exceed 2^53: it is only compared).
 * @param size - Units requested (elements for an allocation, steps for work).
 * @param name - What is sized and from what, e.g. `'sampleEnsemble: L'` or `'decodeImage: width x height'`.
 * @param limit - The cap (default {@link MAX_ELEMENTS}; use {@link MAX_WORK} for step counts).
 * @param unit - Unit word for the message (default `'elements'`).
 * @throws DomainError "name: expected at most <limit> <unit>, received <size> <unit>" if `size` is not a
 *   finite number <= limit.
 */
export function checkLimit(size: number, name: string, limit = MAX_ELEMENTS, unit = 'elements'): number {
  if (!(typeof size === 'number' && size >= 0 && size <= limit))
    throw new DomainError(
      `${name}: expected at most ${limit} ${unit}, received ${describeValue(size)} ${unit}`,
    );
  return size;
}

/** Assert a `Uint8Array` (file bytes). Returns it. */
export function checkBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw domainError(name, 'a Uint8Array', value);
  return value;
}

/** Assert a function (a callback such as an observable or a progress handler). Returns it. */
export function checkFunction<F extends (...args: never[]) => unknown>(value: unknown, name: string): F {
  if (typeof value !== 'function') throw domainError(name, 'a function', value);
  return value as F;
}

/**
 * Assert a plain array of at least `min` entries, each a non-null object (a list of ensembles, flow
 * steps, series, ...). Returns it. Each entry's fields are still checked by the caller.
 */
export function checkObjectList<T>(
  value: readonly T[],
  name: string,
  min = 1,
  what = 'objects',
): readonly T[] {
  if (!Array.isArray(value) || value.length < min)
    throw domainError(name, min > 0 ? `a list of at least ${min} ${what}` : `a list of ${what}`, value);
  value.forEach((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw domainError(`${name}[${i}]`, `one of ${what}`, v);
  });
  return value;
}

/**
 * The training work cap: epochs x samples x parameters (one multiply-add per parameter per sample per
 * epoch, the order of the work of one gradient pass) must stay within `limit` (default {@link MAX_WORK}).
 * @throws DomainError "fn: epochs x samples x parameters: expected at most <limit> multiply-adds, received ..."
 */
export function checkTrainingWork(
  fn: string,
  epochs: number,
  samples: number,
  parameters: number,
  limit = MAX_WORK,
): void {
  checkLimit(epochs * samples * parameters, `${fn}: epochs x samples x parameters`, limit, 'multiply-adds');
}
