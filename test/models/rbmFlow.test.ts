import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { gibbsStep, hiddenMeans, visibleMeans } from '../../src/models/rbm.js';
import { rbmFlow } from '../../src/models/rbmFlow.js';
import { batch } from './batch.js';
import { randomRbm } from './rbmBrute.js';

describe('rbmFlow', () => {
  const rbm = randomRbm(6, 4, ['spin', 'spin'], 81, 0.5);
  const v0 = Float64Array.from({ length: 3 * 6 }, (_, i) => (i % 4 === 0 ? -1 : 1));

  it('stochastic flow equals repeated Gibbs steps with the same stream, recording every step', () => {
    const steps = 5;
    const flow = rbmFlow(rbm, v0, steps, { rng: createRng(1) });
    expect(flow.shape).toEqual([steps, 3, 6]);
    const rng = createRng(1);
    let v: Float64Array = v0.slice();
    for (let n = 0; n < steps; n++) {
      v = gibbsStep(rbm, batch(v, rbm.nVisible), rng).visible.data;
      expect(Array.from(flow.configurations.subarray(n * 18, (n + 1) * 18))).toEqual(Array.from(v));
    }
    const last = rbmFlow(rbm, v0, steps, { rng: createRng(1), record: 'last' });
    expect(Array.from(last.configurations)).toEqual(Array.from(v));
  });

  it('mean-field flow composes tanh means, and 0 steps returns the input', () => {
    const flow = rbmFlow(rbm, v0, 2, { mode: 'mean-field', record: 'last' });
    const once = visibleMeans(rbm, batch(hiddenMeans(rbm, batch(v0, rbm.nVisible)).data, rbm.nHidden)).data;
    const twice = visibleMeans(
      rbm,
      batch(hiddenMeans(rbm, batch(once, rbm.nVisible)).data, rbm.nHidden),
    ).data;
    for (let i = 0; i < twice.length; i++) expect(flow.configurations[i]).toBeCloseTo(twice[i]!, 14);
    expect(Array.from(rbmFlow(rbm, v0, 0, { mode: 'mean-field', record: 'last' }).configurations)).toEqual(
      Array.from(v0),
    );
  });

  it('validates its arguments', () => {
    expect(() => rbmFlow(rbm, v0, -1, { rng: createRng(1) })).toThrow(/rbmFlow: steps/);
    expect(() => rbmFlow(rbm, v0, 1)).toThrow(/options\.rng/);
    expect(() => rbmFlow(rbm, new Float64Array(5), 1, { rng: createRng(1) })).toThrow(/rbmFlow: v0/);
  });
});
