import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { hiddenMeans, visibleMeans } from '../../src/models/rbm.js';
import { stackDown, stackUp, trainRbmStack } from '../../src/models/rbmStack.js';

describe('trainRbmStack', () => {
  const rng = createRng(91);
  const data = matrix(
    Int8Array.from({ length: 200 * 16 }, () => (rng.uniform() < 0.5 ? 1 : -1)),
    200,
    16,
  );

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
    const v = matrix(data.data.subarray(0, 5 * 16), 5, 16);
    const ups = stackUp(stack, v);
    const h1 = hiddenMeans(stack.layers[0]!, v);
    const h2 = hiddenMeans(stack.layers[1]!, h1);
    expect(ups[0]!).toEqual(h1);
    expect(ups[1]!).toEqual(h2);
    expect([ups[1]!.rows, ups[1]!.cols]).toEqual([5, 4]);
    for (const x of ups[0]!.data) expect(Math.abs(x)).toBeLessThan(1); // tanh outputs, real-valued
    const downs = stackDown(stack, h2);
    expect(downs[1]!).toEqual(visibleMeans(stack.layers[0]!, visibleMeans(stack.layers[1]!, h2)));
    // swapped shapes: 5 x 16 spins read as 16 x 5, or top values that are not 4 wide, throw
    expect(() => stackUp(stack, matrix(v.data, 16, 5))).toThrow(
      'stackUp: v.cols: expected 16 (stack.layers[0].nVisible), received 5',
    );
    expect(() => stackDown(stack, matrix(h2.data, 4, 5))).toThrow(
      'stackDown: h.cols: expected 4 (the top nHidden), received 5',
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
    const s = stackUp(a.stack, matrix(data.data.subarray(0, 32), 2, 16), {
      mode: 'sample',
      rng: createRng(1),
    });
    for (const x of s[1]!.data) expect(x === 1 || x === -1).toBe(true);
    expect(() => trainRbmStack(data, [16], opts)).toThrow(/layerSizes/);
    expect(() => trainRbmStack(data, [16, 0], opts)).toThrow(/layerSizes\[1\]/);
    expect(() => trainRbmStack(data, [15, 4], opts)).toThrow(
      'trainRbmStack: data.cols: expected 15 (layerSizes[0]), received 16',
    );
  });
});
