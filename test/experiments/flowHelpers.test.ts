import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { alignStackToLattice, flowDirection, spreadSummary } from '../../src/experiments/flowHelpers.js';
import { createRbm } from '../../src/models/init.js';
import { type RbmStack, stackUp } from '../../src/models/rbmStack.js';

describe('alignStackToLattice', () => {
  it('is the same model in another gauge: outputs are permuted and flipped copies, the top layer matches up to that', () => {
    const rng = createRng(4);
    const stack: RbmStack = {
      kind: 'rbm-stack',
      version: 1,
      layers: [
        createRbm({ nVisible: 16, nHidden: 4, rng, init: { kind: 'gaussian', sigma: 0.5 } }),
        createRbm({ nVisible: 4, nHidden: 1, rng, init: { kind: 'gaussian', sigma: 0.5 } }),
      ],
    };
    const { stack: aligned } = alignStackToLattice(
      stack,
      [4, 4],
      [
        [2, 2],
        [1, 1],
      ],
    );
    const v = Float64Array.from({ length: 5 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
    const a = stackUp(stack, v);
    const b = stackUp(aligned, v);
    // layer 1: every aligned output column equals +- some original column
    for (let s = 0; s < 4; s++) {
      const match = [0, 1, 2, 3].some((u) =>
        [1, -1].some((sg) =>
          [0, 1, 2, 3, 4].every((r) => Math.abs(b[0]![r * 4 + s]! - sg * a[0]![r * 4 + u]!) < 1e-12),
        ),
      );
      expect(match).toBe(true);
    }
    // top layer (one unit): equal up to a global sign
    const sg = Math.sign(b[1]![0]! * a[1]![0]!);
    for (let r = 0; r < 5; r++) expect(b[1]![r]!).toBeCloseTo(sg * a[1]![r]!, 12);
    // every aligned unit has non-negative weight sum
    const l0 = aligned.layers[0]!;
    for (let s = 0; s < 4; s++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) sum += l0.weights[i * 4 + s]!;
      expect(sum).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('flowDirection and spreadSummary', () => {
  it('calls a change beyond 2 sigma up or down, else flat', () => {
    const level = (T: number, e: number) => ({
      level: 0,
      sites: 1,
      shape: [1],
      temperature: { mean: T, error: e },
      energy: { mean: 0, error: 0 },
      absMagnetization: { mean: 0, error: 0 },
    });
    expect(flowDirection([level(2, 0.01), level(3, 0.01)]).direction).toBe('up');
    expect(flowDirection([level(2, 0.01), level(1, 0.01)]).direction).toBe('down');
    expect(flowDirection([level(2, 1), level(2.5, 1)]).direction).toBe('flat');
    const s = spreadSummary([1, 2, 3, Number.NaN]);
    expect(s.count).toBe(3);
    expect(s.mean).toBe(2);
    expect(s.spread).toBeCloseTo(1, 12);
    expect(s.error).toBeCloseTo(1 / Math.sqrt(3), 12);
  });
});
