/**
 * One test per resource limit added with the bad-input suite: each oversized request is refused at once
 * with a DomainError naming the size and the limit (never a RangeError, an out-of-memory or a hang).
 */
import { describe, expect, it } from 'vitest';
import {
  createChainState,
  createIsing2D,
  createMetropolisUpdater,
  createRng,
  resizeImage,
  runChain,
  runE1,
  runE2,
  runE6,
  trainTestSplit,
  trainThermometer,
} from '../../src/index.js';
import { sharedFloatArray } from '../../src/parallel/index.js';

const HUGE = 2 ** 40;

describe('resource limits of the bad-input change', () => {
  it('runChain: steps x sites <= MAX_WORK spin updates', () => {
    const model = createIsing2D({ L: 4 });
    const state = createChainState(model, { rng: createRng(1) });
    expect(() => runChain(createMetropolisUpdater(model, 0.5), state, HUGE)).toThrow(
      'runChain: steps x sites: expected at most 1099511627776 spin updates, received 17592186044416 spin updates',
    );
    expect(state.steps).toBe(0);
  });

  it('trainTestSplit, resizeImage, sharedFloatArray: element caps (2^28)', () => {
    expect(() => trainTestSplit(createRng(1), HUGE, 0.5)).toThrow(
      'trainTestSplit: n: expected at most 268435456 elements, received 1099511627776 elements',
    );
    const img = { data: new Float64Array(4), width: 2, height: 2, channels: 1 };
    expect(() => resizeImage(img, 2 ** 20, 2 ** 20)).toThrow(
      /^resizeImage: width x height x channels: expected at most 268435456 elements, received 1099511627776 elements$/,
    );
    expect(() => sharedFloatArray('float64', HUGE)).toThrow(
      /^sharedFloatArray: length: expected at most 268435456/,
    );
  });

  it('trainThermometer: epochs x samples x parameters <= MAX_WORK', () => {
    const ensembles = [1.5, 3.5].map((temperature) => ({
      temperature,
      configs: new Int8Array(16 * 10).fill(1),
      shape: [4, 4],
    }));
    expect(() => trainThermometer(ensembles, { hidden: [4], epochs: HUGE, rng: createRng(1) })).toThrow(
      /^trainThermometer: epochs x samples x parameters: expected at most 1099511627776 multiply-adds, received \d/,
    );
  });

  it('experiments: training and flow work caps refuse before any sampling', () => {
    expect(() => runE1({ flowSteps: HUGE, fixedPointSteps: 1 })).toThrow(
      /^runE1: config\.flowSteps x flowSamples x weights: expected at most 1099511627776 multiply-adds/,
    );
    expect(() => runE1({ updates: HUGE })).toThrow(
      /^runE1: config\.updates x batchSize x weights: expected at most/,
    );
    expect(() => runE2({ epochs: HUGE })).toThrow(
      /^runE2: config: epochs x samples x parameters: expected at most/,
    );
    expect(() => runE6({ epochs: HUGE })).toThrow(
      /^runE6: config: epochs x samples x parameters: expected at most/,
    );
  });
});
