/**
 * Property-based bad-input suite (fast-check): every public function listed below is called with its
 * valid baseline arguments, one argument replaced by generated bad input (null, undefined, wrong types,
 * NaN/Infinity inside arrays, negative/zero/fractional sizes, unknown option keys). Each call must throw
 * a CoarseGrainError whose message has the contract form "fn: arg: expected ..., received ...": never
 * a TypeError/RangeError from deep inside, never a silent result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { DomainError, StateError } from '../../src/core/errors.js';
import { gemm } from '../../src/core/gemm.js';
import { createRng, restoreRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { runE1 } from '../../src/experiments/e1.js';
import { runE6 } from '../../src/experiments/e6.js';
import { deserializeModel, modelFromJson, modelToJson, serializeModel } from '../../src/models/serialize.js';
import { decodeImage } from '../../src/node/decodeImage.js';
import { gemmParallel } from '../../src/parallel/gemmParallel.js';
import { builtinTasks } from '../../src/parallel/tasks.js';
import { createChainState, runChain } from '../../src/sampling/chain.js';
import { sampleEnsemble } from '../../src/sampling/ensemble.js';
import { decodeEnsemble } from '../../src/sampling/ensembleIO.js';
import { createMetropolisUpdater } from '../../src/sampling/metropolis.js';
import { baseCases, f64, ising, pngBytes, rbm } from './badInput/casesBase.js';
import { expectContractError, runCases, show } from './badInput/harness.js';

describe('bad input never crashes, hangs or passes silently (property-based)', () => {
  runCases(baseCases);

  it('every options object rejects an unknown key, naming it and listing the known ones', () => {
    expect(() =>
      sampleEnsemble(ising(), { temperature: 2, samples: 2, burnin: 10, rng: createRng(1) } as never),
    ).toThrow(
      /^sampleEnsemble: options: expected only the known keys temperature, sampler, samples, burnIn, thin, rng, init, onProgress, signal, received unknown key 'burnin' \(did you mean 'burnIn'\?\)$/,
    );
  });

  it('null/undefined for an optional options argument count as not given; undefined values too', () => {
    const a = f64(12, (i) => Math.sin(i));
    const ref = covarianceMatrix(matrix(a, 4, 3));
    expect(covarianceMatrix(matrix(a, 4, 3), null as never).matrix).toEqual(ref.matrix);
    expect(covarianceMatrix(matrix(a, 4, 3), undefined).matrix).toEqual(ref.matrix);
    expect(covarianceMatrix(matrix(a, 4, 3), { center: undefined }).matrix).toEqual(ref.matrix);
    expect(
      gemm(null, matrix(Float64Array.of(1, 2), 1, 2), matrix(Float64Array.of(3, 4), 2, 1), null as never)
        .data,
    ).toEqual(Float64Array.of(11));
  });

  it('decoders refuse generated garbage with a FormatError (never a generic error)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (tail) => {
        const png = new Uint8Array(8 + tail.length);
        png.set(pngBytes());
        png.set(tail, 8);
        await expectContractError(() => decodeImage(png), 'decodeImage');
        await expectContractError(() => decodeEnsemble(tail), 'decodeEnsemble');
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('the model formats refuse truncated or garbage input in the contract form (binary and JSON)', async () => {
    const bytes = serializeModel(rbm());
    const text = modelToJson(rbm());
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: text.length - 1 }),
        fc.uint8Array({ maxLength: 64 }),
        async (cut, cutText, tail) => {
          await expectContractError(
            () => deserializeModel(bytes.subarray(0, cut)),
            `deserializeModel(cut ${cut})`,
          );
          await expectContractError(
            () => modelFromJson(text.slice(0, cutText)),
            `modelFromJson(cut ${cutText})`,
          );
          await expectContractError(() => deserializeModel(tail), 'deserializeModel(garbage)');
        },
      ),
      { numRuns: 100, seed: 14 },
    );
  });

  it('restoreRng refuses a carry of 2.5 and registers outside [0, 1)', () => {
    const state = createRng(1).save();
    expect(() => restoreRng({ ...state, state: { ...state.state, c: 2.5 } })).toThrow(
      'restoreRng: state.c: expected an integer carry in [0, 2091639], received 2.5',
    );
    expect(() => restoreRng({ ...state, state: { ...state.state, s1: 1.5 } })).toThrow(/state\.s1/);
    expect(restoreRng(state).uniform()).toBe(createRng(1).uniform());
  });

  it('experiments: a null options argument counts as not given (typed errors come from the config)', () => {
    expect(() => runE1({ L: -1 } as never, null as never)).toThrow(DomainError);
    expect(() => runE1({ L: -1 } as never, null as never)).toThrow(/^runE1: config\.L: expected/);
    expect(() => runE6({ N: -1 }, null as never)).toThrow(/^runE6: config\.N: expected/);
    expect(() => runE6({ N: 32 }, { seeed: 1 } as never)).toThrow(/received unknown key 'seeed'/);
  });

  it('runChain refuses spins of 0 (naming the index) and a chain without a generator', () => {
    const state = createChainState(ising(), { rng: createRng(1) });
    state.spins[5] = 0;
    const updater = createMetropolisUpdater(ising(), 0.5);
    expect(() => runChain(updater, state, 1)).toThrow(
      'runChain: state.spins[5]: expected a spin +1 or -1, received 0',
    );
    const noRng = { ...createChainState(ising(), { rng: createRng(1) }), rng: null };
    expect(() => runChain(updater, noRng as never, 1)).toThrow(/^runChain: state\.rng: expected an Rng/);
  });

  it('gemmParallel refuses a pool that is not one ({}) or a destroyed one, before any work', async () => {
    const a = matrix(Float64Array.of(1, 2, 3, 4), 2, 2);
    await expect(gemmParallel({} as never, null, a, a)).rejects.toThrow(
      /^gemmParallel: pool: expected a pool made by createWorkerPool, received object$/,
    );
    const destroyed = { slots: [], destroyed: true };
    await expect(gemmParallel(destroyed as never, null, a, a)).rejects.toThrow(StateError);
  });

  it('built-in worker tasks refuse unknown payloads with typed errors instead of returning undefined', async () => {
    for (const [name, task] of Object.entries(builtinTasks)) {
      for (const bad of [null, undefined, {}, 42, 'x'])
        await expectContractError(() => task(bad), `${name}(${show(bad)})`);
    }
  });
});
