/**
 * Seeded random numbers. A generator is a value that is passed explicitly to every stochastic function;
 * nothing in coarsegrain uses `Math.random` or hidden global state. Built on seedrandom's `alea`
 * (about 1.4e8 draws/s here, four times faster than seedrandom's default ARC4): seedrandom seeds it, and
 * the generator steps its four registers with alea's own arithmetic, so the stream is seedrandom's bit for
 * bit while kernels may advance the same registers inline (see {@link aleaRegistersOf}). The state is a
 * small JSON-safe object, so a checkpointed run resumes bit-identically.
 * @module
 */
import seedrandom from 'seedrandom';
import { StateError } from './errors.js';
import { checkInteger, checkLimit, checkRng, domainError } from './validate.js';

/** A seed: a finite integer (0 is a seed like any other) or a non-empty string. */
export type Seed = number | string;

/** JSON-safe saved state of an {@link Rng}; restore with {@link restoreRng}. */
export interface RngState {
  readonly algorithm: 'alea';
  readonly version: 1;
  /** The alea registers. */
  readonly state: { readonly c: number; readonly s0: number; readonly s1: number; readonly s2: number };
  /** The cached second normal variate of the Box-Muller pair, or null. */
  readonly spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator. Methods are closures, so `const u = rng.uniform` may be taken out
 * and called unbound in a hot loop.
 * @example
 * ```ts
 * import { createRng, permutation, type Rng } from 'coarsegrain';
 * // every random function takes the generator explicitly: no hidden global state
 * function noisy(rng: Rng, n: number): Float64Array {
 *   return rng.fillNormal(new Float64Array(n));
 * }
 * const rng = createRng(7);
 * const x = noisy(rng, 10); // 10 standard normal draws
 * const order = permutation(rng, 10); // continues the same stream
 * ```
 */
export interface Rng {
  /** Uniform variate in [0, 1) with 32-bit resolution. */
  readonly uniform: () => number;
  /** Uniform variate in [0, 1) with 53-bit resolution (two draws). */
  readonly uniform53: () => number;
  /** Uniform unsigned 32-bit integer in [0, 2^32). */
  readonly uint32: () => number;
  /** Uniform integer in [0, n) for an integer 1 <= n <= 2^32 (unchecked: see {@link randomInt}). */
  readonly int: (n: number) => number;
  /** Standard normal variate (Box-Muller, the pair's spare is cached in the state). */
  readonly normal: () => number;
  /** Fill `out` with uniform variates in [0, 1); returns `out`. */
  readonly fillUniform: <T extends Float32Array | Float64Array>(out: T) => T;
  /** Fill `out` with standard normal variates; returns `out`. */
  readonly fillNormal: <T extends Float32Array | Float64Array>(out: T) => T;
  /** A JSON-safe snapshot; {@link restoreRng} resumes the identical stream from it. */
  readonly save: () => RngState;
}

interface AleaPrng {
  (): number;
  state(): AleaRegisters;
}

/** The four alea registers: carry c (an integer in [0, 2091639]) and s0, s1, s2 in [0, 1). */
export interface AleaRegisters {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/**
 * One step of alea on `r`, in place: seedrandom's `Alea.next` (seedrandom/lib/alea.js), the same
 * operations in the same order, so the same stream bit for bit. Returns the next uniform in [0, 1).
 */
function aleaNext(r: AleaRegisters): number {
  const t = 2091639 * r.s0 + r.c * 2.3283064365386963e-10; // 2^-32
  r.s0 = r.s1;
  r.s1 = r.s2;
  return (r.s2 = t - (r.c = t | 0));
}

/**
 * Fill `out` with the next `out.length` uniforms of alea registers `r` (advanced in place): exactly what
 * as many calls of {@link aleaNext} give, so the same stream bit for bit. A generator's `fillUniform`
 * runs it on its live registers; a worker runs it on a copy of them (see {@link aleaRegistersOf}).
 */
export function aleaFill(r: AleaRegisters, out: Float32Array | Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = aleaNext(r);
}

/**
 * {@link aleaFill} on registers packed as [c, s0, s1, s2] in `registers` (e.g. on a SharedArrayBuffer,
 * for another thread), which are written back advanced.
 */
export function aleaFillPacked(registers: Float64Array, out: Float32Array | Float64Array): void {
  const r = { c: registers[0]!, s0: registers[1]!, s1: registers[2]!, s2: registers[3]! };
  aleaFill(r, out);
  registers.set([r.c, r.s0, r.s1, r.s2]);
}

/** The live registers of each generator made here (see {@link aleaRegistersOf}). */
const liveRegisters = new WeakMap<Rng, AleaRegisters>();

/**
 * The live alea registers of a generator made by this module (createRng, deriveRng, splitRng,
 * restoreRng), or null for any other object implementing {@link Rng}. For kernels that run the same
 * generator inline (in WebAssembly, say): read the registers, advance them exactly as {@link aleaNext}
 * would, and write them back, and the generator continues as if its `uniform` had been called. Internal:
 * not exported from the package entries.
 */
export function aleaRegistersOf(rng: Rng): AleaRegisters | null {
  return liveRegisters.get(rng) ?? null;
}

/**
 * A generator over alea registers `r` (seeded by seedrandom's alea, then stepped by {@link aleaNext};
 * `uint32` and `uniform53` are seedrandom's `int32 >>> 0` and `double`, operation for operation).
 */
function wrap(r: AleaRegisters, spare: number | null): Rng {
  let spareNormal = spare;
  const uniform = (): number => aleaNext(r);
  const uint32 = (): number => ((aleaNext(r) * 0x100000000) | 0) >>> 0;
  const uniform53 = (): number => aleaNext(r) + ((aleaNext(r) * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  const normal = (): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    const u1 = 1 - uniform53(); // (0, 1]
    const u2 = aleaNext(r);
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  const rng: Rng = {
    uniform,
    uniform53,
    uint32,
    int: (n: number) => Math.floor(aleaNext(r) * n),
    normal,
    fillUniform: (out) => {
      aleaFill(r, out);
      return out;
    },
    fillNormal: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = normal();
      return out;
    },
    save: () => ({
      algorithm: 'alea',
      version: 1,
      state: { c: r.c, s0: r.s0, s1: r.s1, s2: r.s2 },
      spareNormal,
    }),
  };
  liveRegisters.set(rng, r);
  return rng;
}

/** The registers of seedrandom's alea seeded with `seed` (its Mash seeding, before any draw). */
function seededRegisters(seed: string): AleaRegisters {
  return (seedrandom.alea(seed, { state: true }) as unknown as AleaPrng).state();
}

function seedString(seed: Seed, name: string): string {
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw domainError(name, 'an integer or a non-empty string', seed);
    return `n:${seed}`;
  }
  if (typeof seed !== 'string' || seed.length === 0) {
    throw domainError(name, 'an integer or a non-empty string', seed);
  }
  return `s:${seed}`;
}

/**
 * Create a generator from a seed. The same seed always gives the same stream; seed 0 is an ordinary seed.
 * @throws DomainError if `seed` is not an integer or a non-empty string.
 * @example
 * ```ts
 * import { createRng } from 'coarsegrain';
 * const rng = createRng(42); // the same seed gives the same stream, in Node and browsers
 * const u = rng.uniform(); // a number in [0, 1)
 * const z = rng.normal(); // a standard normal draw
 * const k = rng.int(10); // an integer in [0, 10)
 * ```
 */
export function createRng(seed: Seed): Rng {
  return wrap(seededRegisters(seedString(seed, 'createRng: seed')), null);
}

/**
 * An independent stream for a labelled sub-task: the path is hashed together with the seed (never
 * `seed + i`), so `deriveRng(7, 'temperature', 3)` and `deriveRng(7, 'temperature', 4)` are unrelated.
 * Used to give each replica, temperature or worker its own reproducible stream.
 * @example
 * ```ts
 * import { deriveRng } from 'coarsegrain';
 * // one independent, reproducible stream per temperature of a scan
 * const streams = [2.0, 2.27, 2.5].map((_, i) => deriveRng(7, 'temperature', i));
 * const u = streams[0]!.uniform(); // a number in [0, 1)
 * ```
 */
export function deriveRng(seed: Seed, ...path: readonly (string | number)[]): Rng {
  const base = seedString(seed, 'deriveRng: seed');
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (typeof p !== 'string' && !(typeof p === 'number' && Number.isFinite(p))) {
      throw domainError(`deriveRng: path[${i}]`, 'a string or finite number', p);
    }
  }
  return wrap(seededRegisters(JSON.stringify([base, ...path])), null);
}

/**
 * A new independent generator seeded from two 32-bit draws of `rng` and a label. Advances `rng` by two
 * draws. Use it when only a generator (not its seed) is at hand.
 * @example
 * ```ts
 * import { createRng, splitRng } from 'coarsegrain';
 * const rng = createRng(1);
 * const forInit = splitRng(rng, 'init'); // independent of rng's later draws; rng advanced by 2 draws
 * const w = forInit.normal();
 * ```
 */
export function splitRng(rng: Rng, label: string | number = 0): Rng {
  checkRng(rng, 'splitRng: rng');
  const a = rng.uint32();
  const b = rng.uint32();
  return deriveRng(`${a}.${b}`, label);
}

/**
 * Resume a generator from a state saved by `rng.save()`.
 * @throws StateError if the state is not an alea state of version 1 or its registers are not finite.
 * @example
 * ```ts
 * import { createRng, restoreRng } from 'coarsegrain';
 * const rng = createRng(1);
 * const state = rng.save(); // plain data, JSON-serializable
 * const a = rng.uniform();
 * const b = restoreRng(state).uniform(); // b === a
 * ```
 */
export function restoreRng(state: RngState): Rng {
  if (state?.algorithm !== 'alea' || state.version !== 1 || !state.state) {
    throw new StateError(
      `restoreRng: expected an RngState { algorithm: 'alea', version: 1 }, received ${JSON.stringify(state)?.slice(0, 80)}`,
    );
  }
  const { c, s0, s1, s2 } = state.state;
  for (const [k, v] of Object.entries({ c, s0, s1, s2 })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StateError(`restoreRng: state.${k}: expected a finite number, received ${String(v)}`);
    }
  }
  // alea's carry is an integer in [0, 2091639] and its registers are fractions in [0, 1); anything else
  // would resume a stream alea can never produce (a carry of 2.5 gives non-uniform output)
  if (!Number.isInteger(c) || c < 0 || c > 2091639)
    throw new StateError(
      `restoreRng: state.c: expected an integer carry in [0, 2091639], received ${String(c)}`,
    );
  for (const [k, v] of Object.entries({ s0, s1, s2 }))
    if (!(v >= 0 && v < 1))
      throw new StateError(`restoreRng: state.${k}: expected a register in [0, 1), received ${String(v)}`);
  const spare = state.spareNormal ?? null;
  if (spare !== null && !Number.isFinite(spare))
    throw new StateError(
      `restoreRng: state.spareNormal: expected a finite number or null, received ${String(spare)}`,
    );
  return wrap({ c, s0, s1, s2 }, spare);
}

/**
 * Checked uniform integer in [0, n).
 * @throws DomainError unless n is an integer in [1, 2^32].
 * @example
 * ```ts
 * import { createRng, randomInt } from 'coarsegrain';
 * const site = randomInt(createRng(1), 100); // an integer in [0, 100)
 * ```
 */
export function randomInt(rng: Rng, n: number): number {
  checkRng(rng, 'randomInt: rng');
  checkInteger(n, 'randomInt: n', 1, 2 ** 32);
  return rng.int(n);
}

/**
 * Fisher-Yates shuffle of `array` in place using `rng`; returns `array`. O(n).
 * @throws DomainError if `rng` is not an Rng or `array` is not an array or typed array.
 * @example
 * ```ts
 * import { createRng, shuffleInPlace } from 'coarsegrain';
 * const order = shuffleInPlace(createRng(1), [0, 1, 2, 3, 4]); // the same array, shuffled
 * ```
 */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(rng: Rng, array: T): T {
  checkRng(rng, 'shuffleInPlace: rng');
  if (!Array.isArray(array) && !(ArrayBuffer.isView(array) && !(array instanceof DataView)))
    throw domainError('shuffleInPlace: array', 'an array or typed array', array);
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/**
 * A random permutation of 0..n-1 as an Int32Array. O(n).
 * @example
 * ```ts
 * import { createRng, permutation } from 'coarsegrain';
 * const order = permutation(createRng(1), 5); // Int32Array of 0..4 in random order
 * ```
 */
export function permutation(rng: Rng, n: number): Int32Array {
  checkRng(rng, 'permutation: rng');
  checkInteger(n, 'permutation: n', 0);
  checkLimit(n, 'permutation: n');
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(rng, p);
}
