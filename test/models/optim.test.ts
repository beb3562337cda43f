import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  cloneOptimizerState,
  createOptimizer,
  currentLearningRate,
  learningRateAt,
  optimizerStep,
} from '../../src/models/optim.js';

describe('learningRateAt', () => {
  it('evaluates each schedule exactly', () => {
    const base = { kind: 'sgd' as const, learningRate: 0.1 };
    expect(learningRateAt(base, 1000)).toBe(0.1);
    expect(learningRateAt({ ...base, schedule: { kind: 'step', every: 10, factor: 0.5 } }, 25)).toBeCloseTo(
      0.025,
      15,
    );
    expect(learningRateAt({ ...base, schedule: { kind: 'exponential', rate: 0.9 } }, 2)).toBeCloseTo(
      0.081,
      15,
    );
    expect(learningRateAt({ ...base, schedule: { kind: 'inverse', decay: 0.5 } }, 2)).toBeCloseTo(0.05, 15);
    const cos = { ...base, schedule: { kind: 'cosine' as const, totalSteps: 100, minLearningRate: 0.01 } };
    expect(learningRateAt(cos, 0)).toBeCloseTo(0.1, 15);
    expect(learningRateAt(cos, 50)).toBeCloseTo(0.055, 15);
    expect(learningRateAt(cos, 100)).toBeCloseTo(0.01, 15);
    expect(learningRateAt(cos, 500)).toBeCloseTo(0.01, 15);
    const warm = { ...base, schedule: { kind: 'constant' as const, warmupSteps: 4 } };
    expect(learningRateAt(warm, 0)).toBeCloseTo(0.025, 15);
    expect(learningRateAt(warm, 3)).toBeCloseTo(0.1, 15);
  });
});

describe('optimizerStep', () => {
  it('plain SGD is p -= lr g, with weight decay and L1 only on regularised arrays', () => {
    const st = createOptimizer(
      { kind: 'sgd', learningRate: 0.5, weightDecay: 0.1, l1: 0.2 },
      [2, 1],
      [true, false],
    );
    const w = Float64Array.of(1, -2);
    const b = Float64Array.of(3);
    optimizerStep(st, [w, b], [[1, 1], [1]]);
    // w0: g = 1 + 0.1*1 + 0.2 = 1.3 -> 1 - 0.65; w1: g = 1 - 0.2 - 0.2 = 0.6 -> -2 - 0.3
    expect(w[0]).toBeCloseTo(0.35, 15);
    expect(w[1]).toBeCloseTo(-2.3, 15);
    expect(b[0]).toBeCloseTo(2.5, 15);
    expect(st.step).toBe(1);
  });

  it('SGD momentum accumulates v = mu v + g', () => {
    const st = createOptimizer({ kind: 'sgd', learningRate: 1, momentum: 0.5 }, [1]);
    const p = Float64Array.of(0);
    optimizerStep(st, [p], [[1]]); // v = 1
    optimizerStep(st, [p], [[1]]); // v = 1.5
    expect(p[0]).toBeCloseTo(-2.5, 15);
  });

  it('Adam matches a hand computation and its two epsilon forms differ as documented', () => {
    const st = createOptimizer({ kind: 'adam', learningRate: 0.1, epsilon: 1e-2 }, [1]);
    const p = Float64Array.of(1);
    optimizerStep(st, [p], [[2]]);
    // t=1: mhat = 2, vhat = 4 -> step = 0.1 * 2 / (2 + 0.01)
    expect(p[0]).toBeCloseTo(1 - 0.2 / 2.01, 14);
    optimizerStep(st, [p], [[-1]]);
    const m = 0.9 * 0.2 + 0.1 * -1;
    const v = 0.999 * 0.004 + 0.001 * 1;
    const mhat = m / (1 - 0.81);
    const vhat = v / (1 - 0.999 ** 2);
    expect(p[0]).toBeCloseTo(1 - 0.2 / 2.01 - (0.1 * mhat) / (Math.sqrt(vhat) + 0.01), 14);
    const tf = createOptimizer(
      { kind: 'adam', learningRate: 0.1, epsilon: 1e-2, epsilonForm: 'tensorflow' },
      [1],
    );
    const q = Float64Array.of(1);
    optimizerStep(tf, [q], [[2]]);
    // lr_t = 0.1 sqrt(0.001)/0.1; m = 0.2, v = 0.004
    expect(q[0]).toBeCloseTo(1 - ((0.1 * Math.sqrt(0.001)) / 0.1) * (0.2 / (Math.sqrt(0.004) + 0.01)), 14);
  });

  it('Adam minimises a quadratic and works on Float32Array parameters', () => {
    const st = createOptimizer({ kind: 'adam', learningRate: 0.05 }, [3]);
    const p = Float32Array.of(3, -2, 1);
    const target = [1, 2, 3];
    const g = new Float64Array(3);
    for (let t = 0; t < 2000; t++) {
      for (let i = 0; i < 3; i++) g[i] = 2 * (p[i]! - target[i]!);
      optimizerStep(st, [p], [g]);
    }
    for (let i = 0; i < 3; i++) expect(Math.abs(p[i]! - target[i]!)).toBeLessThan(1e-3);
  });

  it('cloned states evolve identically and independently', () => {
    const a = createOptimizer({ kind: 'adam', learningRate: 0.01 }, [2]);
    const pa = Float64Array.of(1, 2);
    optimizerStep(a, [pa], [[0.3, -0.1]]);
    const b = cloneOptimizerState(a);
    const pb = pa.slice();
    optimizerStep(a, [pa], [[0.5, 0.5]]);
    optimizerStep(b, [pb], [[0.5, 0.5]]);
    expect(Array.from(pb)).toEqual(Array.from(pa));
    expect(b.moments1[0]).not.toBe(a.moments1[0]);
    expect(currentLearningRate(b)).toBe(0.01);
  });

  it('rejects bad configs and shapes with typed errors naming the argument', () => {
    expect(() => createOptimizer({ kind: 'adam', learningRate: 0 }, [1])).toThrow(DomainError);
    expect(() => createOptimizer({ kind: 'adam', learningRate: -1 }, [1])).toThrow(/config\.learningRate/);
    expect(() => createOptimizer({ kind: 'sgd', learningRate: 1, momentum: 1 }, [1])).toThrow(/momentum/);
    expect(() => createOptimizer({ kind: 'nope' as 'sgd', learningRate: 1 }, [1])).toThrow(/config\.kind/);
    expect(() =>
      createOptimizer(
        { kind: 'sgd', learningRate: 1, schedule: { kind: 'step', every: 0, factor: 0.5 } },
        [1],
      ),
    ).toThrow(/schedule\.every/);
    const st = createOptimizer({ kind: 'sgd', learningRate: 1 }, [2]);
    expect(() => optimizerStep(st, [new Float64Array(3)], [[1, 2, 3]])).toThrow(ShapeError);
    expect(() => optimizerStep(st, [new Float64Array(2)], [[1, Number.NaN]])).toThrow(/grads\[0\]\[1\]/);
  });
});
