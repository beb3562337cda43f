/**
 * The bad-input harness shared by the property-based suites (fast-check): each {@link Case} names one
 * public function, fresh valid baseline arguments and the kind of each checked argument slot. The
 * harness replaces one slot at a time by generated bad input (null, undefined, wrong types, NaN/Infinity
 * inside arrays, negative/zero/fractional/huge sizes, unknown option keys at the top level and in nested
 * options) and asserts a CoarseGrainError whose message has the contract form "fn: arg: expected ...,
 * received ...": never a TypeError/RangeError from deep inside, never a silent result. An optional
 * options slot must also accept `null` and `undefined` as "not given".
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CoarseGrainError } from '../../../src/core/errors.js';

/** "fn: arg: expected ..., received ..." (fn may be dotted, e.g. 'metropolis.step'; arg may be nested). */
export const CONTRACT = /^[\w.:-]+: [^\n]*expected [^\n]+, received/;

/** What kind of value an argument slot takes, which decides the bad values generated for it. */
export type Kind =
  | 'size' // integer >= 1 whose huge values (2^40) must be refused too
  | 'int' // integer >= 1 where a huge value is valid (a divisor, a stride)
  | 'count' // integer >= 0
  | 'positive' // finite number > 0
  | 'finite' // finite number
  | 'data' // numeric array whose elements must be finite
  | 'numbers' // numeric array of any values (pure arithmetic: NaN propagates by contract)
  | 'matrix' // a Matrix { data, rows, cols } whose entries must be finite
  | 'matrixNumbers' // a Matrix of any values (pure arithmetic: NaN propagates by contract)
  | 'rng'
  | 'options' // optional options object (null/undefined = not given)
  | 'required' // required options/config object
  | 'object' // required non-options object (a model, an ensemble, a checkpoint, a pool, ...)
  | 'model' // a lattice model
  | 'shape'
  | 'enum' // one of a few strings
  | 'string' // a non-empty string
  | 'bytes' // a Uint8Array
  | 'function'
  | 'list'; // a non-empty array of objects (ensembles, steps, series)

const nonsense = [null, undefined, {}, [], 'abc', true, Symbol.for('x'), () => 1] as const;
/** 2^40: any size derived from it must be refused (limit or shape mismatch), never allocated. */
export const HUGE = 2 ** 40;

const unknownKeyName = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => k !== '__proto__')
  .map((k) => `${k}_bogus`);

function withUnknownKey(base: unknown): fc.Arbitrary<unknown> {
  return unknownKeyName.map((k) => ({ ...(base as object), [k]: 1 }));
}

/**
 * The bad values for a slot of `kind` whose valid baseline value is `baseline`: fixed values (each one
 * tried) and generated ones (an unknown option key, a non-finite value at a random index of the data).
 */
export function badValues(
  kind: Kind,
  baseline: unknown,
): { fixed: unknown[]; generated?: fc.Arbitrary<unknown> } {
  switch (kind) {
    case 'size':
      return { fixed: [...nonsense, -1, 0, 0.5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '4', -0.5, HUGE] };
    case 'int':
      return { fixed: [...nonsense, -1, 0, 0.5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '4', -0.5] };
    case 'count':
      return { fixed: [...nonsense, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '4', HUGE] };
    case 'positive':
      return {
        fixed: [...nonsense, -1, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1'],
      };
    case 'finite':
      return { fixed: [...nonsense, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1'] };
    case 'data': {
      const base = baseline as ArrayLike<number>;
      const generated = fc
        .tuple(
          fc.integer({ min: 0, max: Math.max(0, base.length - 1) }),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        )
        .map(([i, v]) => {
          const copy = ArrayBuffer.isView(base) ? (base as Float64Array).slice() : Array.from(base);
          (copy as number[])[i] = v;
          return copy;
        });
      return { fixed: [null, undefined, {}, 'abc', 42, true], generated };
    }
    case 'numbers':
      return { fixed: [null, undefined, {}, 'abc', 42, true] };
    case 'matrix':
    case 'matrixNumbers': {
      const base = baseline as { data: ArrayLike<number>; rows: number; cols: number };
      const fixed: unknown[] = [
        ...[null, undefined, 42, 'x', [], true, {}],
        base.data, // the flat array of the positional (kernel) form
        { ...base, rows: base.rows + 1 }, // data.length is not rows x cols
        { ...base, cols: -1 },
        { ...base, rows: 0.5 },
        { ...base, rows: HUGE },
        { ...base, data: 'abc' },
        { ...base, data: null },
      ];
      if (kind === 'matrixNumbers') return { fixed };
      const generated = fc
        .tuple(
          fc.integer({ min: 0, max: Math.max(0, base.data.length - 1) }),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        )
        .map(([i, v]) => {
          const copy = ArrayBuffer.isView(base.data)
            ? (base.data as Float64Array).slice()
            : Array.from(base.data);
          (copy as number[])[i] = v;
          return { ...base, data: copy };
        });
      return { fixed, generated };
    }
    case 'rng':
      return { fixed: [null, undefined, {}, 42, 'rng', { uniform: 1 }, []] };
    case 'options':
      return { fixed: [42, 'x', [], true, () => 1], generated: withUnknownKey(baseline ?? {}) };
    case 'required':
      return { fixed: [null, undefined, 42, 'x', [], true], generated: withUnknownKey(baseline) };
    case 'object':
      return { fixed: [null, undefined, 42, 'x', [], true, {}] };
    case 'model':
      return { fixed: [null, undefined, {}, 42, 'ising2d', { kind: 'bogus' }, { kind: 'ising2d', L: -1 }] };
    case 'shape':
      return { fixed: [null, undefined, '4,4', 4, {}, [], [0], [-2], [2.5], [Number.NaN], [HUGE, HUGE]] };
    case 'enum':
      return { fixed: [null, undefined, 'bogus', 42, {}, ''] };
    case 'string':
      return { fixed: [null, undefined, 42, {}, [], ''] };
    case 'bytes':
      return { fixed: [null, undefined, 42, 'abc', {}, [1, 2, 3]] };
    case 'function':
      return { fixed: [null, undefined, 42, 'f', {}] };
    case 'list':
      return { fixed: [null, undefined, 42, 'x', {}, [null], [42]] };
  }
}

/** One public function under test. */
export interface Case {
  readonly name: string;
  readonly call: (...args: unknown[]) => unknown;
  /** Fresh valid arguments (the call must succeed with them). */
  readonly args: () => unknown[];
  /** Kind of each argument that is checked (undefined: left alone). */
  readonly kinds: readonly (Kind | undefined)[];
  /** Paths (from an argument slot) to nested options objects that must also reject unknown keys. */
  readonly nested?: readonly (readonly [slot: number, ...path: (string | number)[]])[];
  /** Extra fixed bad argument lists (each must give a contract-form error). */
  readonly extra?: () => unknown[][];
  /** False when the valid baseline is too costly to run here (an experiment): only `extra` is checked. */
  readonly baseline?: false;
  /** Argument slots not checked yet (pending another change), each with what it does today. */
  readonly skip?: Readonly<Record<number, string>>;
  /** Fewer generated runs for costly baselines (default 25). */
  readonly runs?: number;
}

function describeError(thrown: unknown): string {
  return thrown === undefined
    ? 'no error'
    : thrown instanceof Error
      ? `${thrown.name}: ${thrown.message}`
      : String(thrown);
}

/** Assert a thrown CoarseGrainError in the contract form (sync or async `run`). */
export async function expectContractError(
  run: () => unknown,
  label: string,
  mention?: RegExp,
): Promise<void> {
  let thrown: unknown;
  try {
    const out = run();
    if (out instanceof Promise) await out;
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof CoarseGrainError))
    throw new Error(`${label}: expected a CoarseGrainError, got ${describeError(thrown)}`);
  if (!CONTRACT.test(thrown.message))
    throw new Error(`${label}: message not in the contract form: ${JSON.stringify(thrown.message)}`);
  if (mention && !mention.test(thrown.message))
    throw new Error(`${label}: message does not mention ${mention}: ${JSON.stringify(thrown.message)}`);
}

/** Render an argument for a failure label. */
export function show(v: unknown): string {
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (ArrayBuffer.isView(v)) {
    const a = Array.from(v as Float64Array);
    return `${v.constructor.name}[${a.slice(0, 8).join(',')}${a.length > 8 ? ',...' : ''}]`;
  }
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 120 ? `${s.slice(0, 120)}...` : s;
  } catch {
    return String(v);
  }
}

function setAt(root: unknown[], path: readonly (string | number)[], value: unknown): void {
  let o = root as unknown as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) o = o[path[i]!] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
}

function getAt(root: unknown[], path: readonly (string | number)[]): unknown {
  let o: unknown = root;
  for (const p of path) o = (o as Record<string | number, unknown>)[p];
  return o;
}

async function runProperty(
  c: Case,
  arb: fc.Arbitrary<unknown>,
  place: (args: unknown[], bad: unknown) => void,
  what: string,
  mention?: RegExp,
) {
  await fc.assert(
    fc.asyncProperty(arb, async (bad) => {
      const args = c.args();
      place(args, bad);
      await expectContractError(() => c.call(...args), `${c.name} ${what} = ${show(bad)}`, mention);
    }),
    { numRuns: c.runs ?? 25, seed: 14 },
  );
}

/** Register one vitest test per case. */
export function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(`${c.name}: valid baseline succeeds; each bad argument gives a typed contract-form error`, async () => {
      if (c.baseline !== false) await c.call(...c.args());
      for (let slot = 0; slot < c.kinds.length; slot++) {
        const kind = c.kinds[slot];
        if (!kind || c.skip?.[slot] !== undefined) continue;
        if (kind === 'options') {
          for (const absent of [null, undefined]) {
            const args = c.args();
            args[slot] = absent;
            await c.call(...args);
          }
        }
        const { fixed, generated } = badValues(kind, c.args()[slot]);
        for (const bad of fixed) {
          const args = c.args();
          args[slot] = bad;
          await expectContractError(() => c.call(...args), `${c.name} argument ${slot} = ${show(bad)}`);
        }
        if (generated)
          await runProperty(
            c,
            generated,
            (args, bad) => {
              args[slot] = bad;
            },
            `argument ${slot}`,
            kind === 'options' || kind === 'required' ? /unknown key/ : undefined,
          );
      }
      for (const [slot, ...path] of c.nested ?? []) {
        const full = [slot, ...path];
        await runProperty(
          c,
          unknownKeyName,
          (args, key) => {
            setAt(args, full, { ...(getAt(args, full) as object), [key as string]: 1 });
          },
          `argument ${full.join('.')} with an unknown key`,
          /unknown key/,
        );
      }
      for (const [i, args] of (c.extra?.() ?? []).entries())
        await expectContractError(
          () => c.call(...args),
          `${c.name} extra ${i}: ${args.map(show).join(', ')}`,
        );
    });
  }
}

/** Names covered by a list of cases (for the completeness test). */
export function caseNames(cases: readonly Case[]): string[] {
  return cases.map((c) => c.name.split(' ')[0]!);
}

export { expect };
