/**
 * Single-spin-flip Metropolis for the long-range ring with incrementally updated local fields: an attempt
 * costs O(1) (plus one addition per queued flip), an accepted flip O(N) (contiguous loops over a
 * doubled coupling table, no modulo, applied in batches of queued flips).
 * @module
 */
import { base64Decode } from '../core/base64.js';
import { type AleaRegisters, aleaRegistersOf, type Rng } from '../core/rng.js';
import { checkOneOf, checkOptions, checkPositive, optionKeys, shapeError } from '../core/validate.js';
import { checkLongRangeChain, longRangeDoubledCouplings } from '../lattice/longRangeChain.js';
import type { LongRangeChain } from '../lattice/types.js';
import type { Updater } from './types.js';
import { lrFieldWasmBase64 } from './wasm/lrfield.wasm.generated.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const LONG_RANGE_METROPOLIS_OPTIONS_KEYS = optionKeys<LongRangeMetropolisOptions>({ backend: true });

interface LrFieldExports {
  readonly memory: WebAssembly.Memory;
  readonly flush: (fieldsByte: number, rowsByte: number, p: number, n: number) => void;
  readonly sweep: (
    n: number,
    beta: number,
    h: number,
    fieldsByte: number,
    rowsByte: number,
    constantsByte: number,
    spinsByte: number,
  ) => number;
}

/**
 * Accepted flips queued before their O(N) field update is applied in one batched pass (see lrfield.wat).
 * Each queued flip costs a later attempt one addition to read an up-to-date field; a batch of 16 reads
 * and writes every field once per 16 flips instead of once per flip.
 */
const FLIP_BATCH = 16;

let wasmModule: WebAssembly.Module | null | undefined;

/** The compiled field-update module (once), or null without WebAssembly SIMD. */
function lrFieldModule(): WebAssembly.Module | null {
  if (wasmModule !== undefined) return wasmModule;
  wasmModule = null;
  try {
    if (typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function') {
      const bytes = base64Decode(lrFieldWasmBase64);
      wasmModule = new WebAssembly.Module(bytes as BufferSource);
    }
  } catch {
    wasmModule = null; // no SIMD support: the TypeScript loop is used
  }
  return wasmModule;
}

/** True if this engine runs the WebAssembly SIMD field update (checked once, then cached). */
export function longRangeWasmAvailable(): boolean {
  return lrFieldModule() !== null;
}

/**
 * Signed coupling rows, fields and the queue of pending flips. `T` (4N doubles) holds the doubled coupling
 * table K times +2, then times -2: the change of every field when site i flips to s' = +-1 is
 * T[(s' > 0 ? 0 : 2N) + N - i + j] = 2 s' K[N - i + j] (exact: a power-of-two scaling), the same value the
 * one-flip-at-a-time update adds. In WebAssembly memory: T at 0, fields (N doubles) at 32 N, the queue's
 * row offsets (FLIP_BATCH int32) at 40 N.
 */
interface FieldStorage {
  readonly T: Float64Array;
  readonly fields: Float64Array;
  /** Offset in T of the signed coupling row of each queued flip. */
  readonly rows: Int32Array;
  /** Apply the p >= 1 queued flips to every field, in queue order. */
  readonly flush: (p: number) => void;
  /**
   * With WebAssembly: one whole sweep of {@link createLongRangeMetropolisUpdater}'s step, generator
   * included, on `spins` (updated in place) and the alea registers `r` (advanced in place); the same
   * chain and the same registers afterwards as the TypeScript loop, bit for bit. Returns the flips.
   */
  readonly sweep: ((spins: Int8Array, r: AleaRegisters, beta: number, h: number) => number) | null;
  readonly backend: 'wasm' | 'js';
}

/** Couplings, fields and queue in WebAssembly memory (with its batched update) or in plain arrays. */
function fieldStorage(couplings: Float64Array, N: number, useWasm: boolean): FieldStorage {
  const fill = (T: Float64Array): Float64Array => {
    for (let k = 0; k < 2 * N; k++) {
      T[k] = 2 * couplings[k]!;
      T[2 * N + k] = -2 * couplings[k]!;
    }
    return T;
  };
  const module = useWasm ? lrFieldModule() : null;
  if (module) {
    try {
      const exp = new WebAssembly.Instance(module, { math: { exp: Math.exp } })
        .exports as unknown as LrFieldExports;
      const fieldsByte = 32 * N;
      const rowsByte = 40 * N;
      const constantsByte = rowsByte + 4 * FLIP_BATCH;
      const spinsByte = constantsByte + 8 * SWEEP_CONSTANTS;
      const bytes = spinsByte + N;
      const have = exp.memory.buffer.byteLength;
      if (have < bytes) exp.memory.grow(Math.ceil((bytes - have) / 65536));
      const { flush: wasmFlush, sweep: wasmSweep, memory } = exp;
      const constants = new Float64Array(memory.buffer, constantsByte, SWEEP_CONSTANTS);
      constants.set([EXP_SCALE, EXP_STEP, 1 / 6, 1 / 24, 1 - 1e-9, 1 + 1e-9]);
      constants.set(EXP2_FRACTION, 10);
      constants.set(EXP2_NEGATIVE, 42);
      const wasmSpins = new Int8Array(memory.buffer, spinsByte, N);
      return {
        T: fill(new Float64Array(memory.buffer, 0, 4 * N)),
        fields: new Float64Array(memory.buffer, fieldsByte, N),
        rows: new Int32Array(memory.buffer, rowsByte, FLIP_BATCH),
        flush: (p) => wasmFlush(fieldsByte, rowsByte, p, N),
        sweep: (spins, r, beta, h) => {
          wasmSpins.set(spins);
          constants[6] = r.s0;
          constants[7] = r.s1;
          constants[8] = r.s2;
          constants[9] = r.c;
          const flipped = wasmSweep(N, beta, h, fieldsByte, rowsByte, constantsByte, spinsByte);
          r.s0 = constants[6]!;
          r.s1 = constants[7]!;
          r.s2 = constants[8]!;
          r.c = constants[9]!;
          spins.set(wasmSpins);
          return flipped;
        },
        backend: 'wasm',
      };
    } catch {
      // fall through to the TypeScript storage
    }
  }
  const T = fill(new Float64Array(4 * N));
  const fields = new Float64Array(N);
  const rows = new Int32Array(FLIP_BATCH);
  return {
    T,
    fields,
    rows,
    flush: (p) => {
      for (let b = 0; b < p; b++) {
        const off = rows[b]!;
        for (let j = 0; j < N; j++) fields[j]! += T[off + j]!;
      }
    },
    sweep: null,
    backend: 'js',
  };
}

/**
 * Doubles handed to the WebAssembly sweep (see lrfield.wat): the constants of
 * {@link acceptMetropolisKernel}, the four alea registers and the two exp2 tables.
 */
const SWEEP_CONSTANTS = 106;

/** 2^(j/32), j = 0..31 (each within one ulp). */
const EXP2_FRACTION = Float64Array.from({ length: 32 }, (_, j) => 2 ** (j / 32));
/** 2^-m, m = 0..63 (exact). */
const EXP2_NEGATIVE = Float64Array.from({ length: 64 }, (_, m) => 2 ** -m);
/** 32 / ln 2 and ln 2 / 32. */
const EXP_SCALE = 32 / Math.LN2;
const EXP_STEP = Math.LN2 / 32;

/**
 * The Metropolis test `u < Math.exp(x)` for x <= 0, with the same result for every (u, x), most of the
 * time without calling Math.exp. exp(x) = 2^m 2^(j/32) e^r (k = round(32 x / ln 2) = 32 m + j,
 * |r| <= ln 2 / 64, e^r by its Taylor polynomial of degree 4) is within a relative 1e-11 of the true
 * value, and Math.exp within one ulp of it, so u below the estimate times (1 - 1e-9) is below Math.exp(x)
 * and u above it times (1 + 1e-9) is not; only u inside that band (about one call in 10^9 for a 32-bit u),
 * x < -40 or x not a number go to Math.exp. Unchecked. O(1).
 */
export function acceptMetropolisKernel(u: number, x: number): boolean {
  if (x >= -40) {
    const k = Math.round(x * EXP_SCALE);
    const r = x - k * EXP_STEP;
    const e =
      EXP2_NEGATIVE[-(k >> 5)]! *
      EXP2_FRACTION[k & 31]! *
      (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24)))));
    if (u < e * (1 - 1e-9)) return true;
    if (u > e * (1 + 1e-9)) return false;
  }
  return u < Math.exp(x);
}

/** Options of `createLongRangeMetropolisUpdater`. */
export interface LongRangeMetropolisOptions {
  /**
   * Field-update backend: `'auto'` (default: WebAssembly SIMD when available and N >= 32, else
   * TypeScript) or `'js'`. Both give bit-identical chains.
   */
  readonly backend?: 'auto' | 'js';
}

/**
 * The doubled coupling table of the model with every coupling rounded to a multiple of a power of two
 * q = 2^-k, k chosen so that any sum of up to N couplings stays below 2^51 q. Sums of such numbers are
 * exact in float64, so local fields updated incrementally are bit-identical to fields computed from
 * scratch, whatever the order of the flips: a restored chain continues exactly as the original would.
 * The rounding changes each coupling by at most q/2 (about 1e-15 times the sum of the couplings). O(N).
 */
export function quantizedDoubledCouplings(model: LongRangeChain): Float64Array {
  const table = longRangeDoubledCouplings(model);
  let sum = 0;
  for (let d = 1; d < model.N; d++) sum += table[d]!;
  const exponent = Math.ceil(Math.log2(sum)) - 50;
  const q = 2 ** exponent;
  for (let k = 0; k < table.length; k++) table[k] = Math.round(table[k]! / q) * q;
  return table;
}

/** Unchecked: fields f_i = sum_{j} K[N - i + j] s_j (K[N] = 0, so j = i drops out). O(N^2). */
function recomputeFields(K: Float64Array, N: number, spins: Int8Array, fields: Float64Array): void {
  for (let i = 0; i < N; i++) {
    const off = N - i;
    let f = 0;
    for (let j = 0; j < N; j++) f += K[off + j]! * spins[j]!;
    fields[i] = f;
  }
}

/**
 * Unchecked field update after spin `site` changed by `delta` (= new - old = +-2): fields[j] +=
 * delta * K[N - site + j] for all j. O(N), allocates nothing.
 */
export function longRangeFieldUpdateKernel(
  K: Float64Array,
  N: number,
  fields: Float64Array,
  site: number,
  delta: number,
): void {
  const off = N - site;
  for (let j = 0; j < N; j++) fields[j] += delta * K[off + j]!;
}

/** A long-range Metropolis updater; `fields()` exposes the maintained local fields (without h). */
export interface LongRangeMetropolisUpdater extends Updater {
  readonly name: 'lr-metropolis';
  /** Current fields sum_j J(r_ij) s_j (without h) of the last configuration stepped (a copy). */
  readonly fields: () => Float64Array;
  /** The field-update backend in use. */
  readonly backend: 'wasm' | 'js';
}

/**
 * Metropolis updater for the long-range ring at inverse temperature beta. A step is one sweep: N attempts
 * at uniformly random sites (two uniform draws per attempt: site, acceptance), accepting a flip with
 * probability min(1, exp(-beta dE)), dE = 2 s_i (f_i + h). The updater keeps the local fields of the last
 * configuration it stepped and a copy of it; at the start of a step it compares that copy with `spins`
 * (O(N)) and updates the fields for any spins changed outside (by another updater, a replica exchange or a
 * restore), so it can be mixed freely with other moves. Fields are exact (see
 * {@link quantizedDoubledCouplings}), so results never depend on that history. Accepted flips are queued
 * (up to 16) and their O(N) field updates applied in one pass over the fields; an attempt reads its field
 * as the stored value plus the queued flips' couplings, added in the order of the flips, so every field sees
 * the same operations in the same order as with one full update per flip (the same chain, bit for bit).
 * The batched pass runs in a small WebAssembly SIMD module (f64x2) when available, else in a TypeScript
 * loop; with WebAssembly and a generator made by `createRng`, `deriveRng`, `splitRng` or `restoreRng`,
 * the whole sweep runs in the module, the generator's alea registers advanced inline (about 15% faster
 * at N = 1024); any other {@link Rng} gets the TypeScript loop. All give bit-identical chains and leave
 * the generator in the same state.
 * Cost per sweep: O(N * queue length + N * acceptance * N); memory O(N) (about 40 N bytes of WebAssembly
 * memory).
 * @param beta - inverse temperature 1/T > 0.
 * @throws DomainError for a bad model, beta or backend.
 */
export function createLongRangeMetropolisUpdater(
  model: LongRangeChain,
  beta: number,
  options: LongRangeMetropolisOptions = {},
): LongRangeMetropolisUpdater {
  options = checkOptions(
    options,
    'createLongRangeMetropolisUpdater: options',
    LONG_RANGE_METROPOLIS_OPTIONS_KEYS,
  );
  const fn = 'createLongRangeMetropolisUpdater';
  checkLongRangeChain(model, fn);
  checkPositive(beta, `${fn}: beta`);
  const backendOption = checkOneOf(options.backend ?? 'auto', `${fn}: options.backend`, [
    'auto',
    'js',
  ] as const);
  const N = model.N;
  const h = model.h;
  const K = quantizedDoubledCouplings(model);
  const { T, fields, rows, flush, sweep, backend } = fieldStorage(K, N, backendOption === 'auto' && N >= 32);
  const shadow = new Int8Array(N);
  let initialised = false;

  const sync = (spins: Int8Array): void => {
    if (spins.length !== N)
      throw shapeError('lr-metropolis step: spins', `length ${N}`, `length ${spins.length}`);
    if (!initialised) {
      recomputeFields(K, N, spins, fields);
      shadow.set(spins);
      initialised = true;
      return;
    }
    let changed = 0;
    for (let i = 0; i < N; i++) if (spins[i] !== shadow[i]) changed++;
    if (changed === 0) return;
    if (changed * 4 > N) recomputeFields(K, N, spins, fields);
    else {
      for (let i = 0; i < N; i++) {
        const s = spins[i]!;
        if (s !== shadow[i]) longRangeFieldUpdateKernel(K, N, fields, i, 2 * s);
      }
    }
    shadow.set(spins);
  };

  return {
    name: 'lr-metropolis',
    backend,
    fields: () => fields.slice(),
    step(spins: Int8Array, rng: Rng): number {
      sync(spins);
      const registers = sweep ? aleaRegistersOf(rng) : null;
      if (sweep && registers) {
        const flipped = sweep(spins, registers, beta, h);
        shadow.set(spins);
        return flipped;
      }
      const uniform = rng.uniform;
      let flipped = 0;
      // accepted flips whose field update is pending: the field of site i is fields[i] plus their
      // contributions, added in the order of the flips (the same operations, in the same order, as when
      // every flip updates all fields at once: bit-identical)
      let pending = 0;
      for (let a = 0; a < N; a++) {
        const i = (uniform() * N) | 0;
        const s = spins[i]!;
        let f = fields[i]!;
        for (let b = 0; b < pending; b++) f += T[rows[b]! + i]!;
        const dE = 2 * s * (f + h);
        if (dE <= 0 || acceptMetropolisKernel(uniform(), -beta * dE)) {
          spins[i] = -s;
          shadow[i] = -s;
          flipped++;
          rows[pending] = (s > 0 ? 2 * N : 0) + N - i; // the row of 2 s' K, s' = -s the new spin
          if (++pending === FLIP_BATCH) {
            flush(pending);
            pending = 0;
          }
        }
      }
      if (pending > 0) flush(pending);
      return flipped;
    },
  };
}
