import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { hiddenMeans, visibleMeans } from '../../src/models/rbm.js';
import { stackDown, stackUp, trainRbmStack } from '../../src/models/rbmStack.js';

describe('trainRbmStack', () => {
  const rng = createRng(91);
  const data = Float64Array.from({ length: 200 * 16 }, () => (rng.uniform() < 0.5 ? 1 : -1));

  it('trains layers greedily on mean-field outputs; stackUp/stackDown compose the layer means', () => {
    const stages: string[] = [];
    const { stack, histories } = trainRbmStack(
      data,
      [16, 8, 4],
      { rng: createRng(92), train: { epochs: 2, batchSize: 20 } },
      { onProgress: (p) => stages.push(p.stage) },
    );
    expect(stack.layers.map((l) => [l.nVisible, l.nHidden])).toEqual([
      [16, 8],
      [8, 4],
    ]);
    expect(histories.map((h) => h.length)).toEqual([2, 2]);
    expect(stages).toEqual(['layer 1/2 epoch', 'layer 1/2 epoch', 'layer 2/2 epoch', 'layer 2/2 epoch']);
    const v = data.subarray(0, 5 * 16);
    const ups = stackUp(stack, v);
    const h1 = hiddenMeans(stack.layers[0]!, v.slice());
    const h2 = hiddenMeans(stack.layers[1]!, h1);
    expect(Array.from(ups[0]!)).toEqual(Array.from(h1));
    expect(Array.from(ups[1]!)).toEqual(Array.from(h2));
    for (const x of ups[0]!) expect(Math.abs(x)).toBeLessThan(1); // tanh outputs, real-valued
    const downs = stackDown(stack, h2);
    expect(Array.from(downs[1]!)).toEqual(
      Array.from(visibleMeans(stack.layers[0]!, visibleMeans(stack.layers[1]!, h2))),
    );
  });

  it('is reproducible, supports sampled propagation and covariance init, and validates sizes', () => {
    const opts = {
      rng: createRng(93),
      train: { epochs: 1, batchSize: 50 },
      propagate: 'sample' as const,
      init: 'covariance' as const,
    };
    const a = trainRbmStack(data, [16, 6, 3], opts);
    const b = trainRbmStack(data, [16, 6, 3], { ...opts, rng: createRng(93) });
    expect(Array.from(a.stack.layers[1]!.weights)).toEqual(Array.from(b.stack.layers[1]!.weights));
    const s = stackUp(a.stack, data.subarray(0, 32), { mode: 'sample', rng: createRng(1) });
    for (const x of s[1]!) expect(x === 1 || x === -1).toBe(true);
    expect(() => trainRbmStack(data, [16], opts)).toThrow(/layerSizes/);
    expect(() => trainRbmStack(data, [16, 0], opts)).toThrow(/layerSizes\[1\]/);
    expect(() => trainRbmStack(data, [15, 4], opts)).toThrow(/trainRbmStack: data/);
  });
});
