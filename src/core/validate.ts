/**
 * Argument validation for the public (checked) tier. Each helper throws a typed error whose message reads
 * `<name>: expected <what>, received <value>`; `name` should say where, e.g. `'sampleEnsemble: temperature'`.
 * @module
 */
import { AbortError, DomainError, ShapeError } from './errors.js';

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

/** Assert every element is finite (no NaN/Inf); reports the first bad index. O(n). */
export function checkAllFinite(array: NumericArray, name: string): void {
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) {
      throw domainError(`${name}[${i}]`, 'a finite number', array[i]);
    }
  }
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

/** Throw an {@link AbortError} if `signal` is aborted. Call between units of work. */
export function checkAbort(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new AbortError(`${where}: aborted`);
}
