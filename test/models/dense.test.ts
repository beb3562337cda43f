import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { activationBackwardKernel, activationKernel } from '../../src/models/activation.js';
import { createDenseLayer, denseForward } from '../../src/models/denseLayer.js';
import { bceLossKernel, softmaxCrossEntropyKernel } from '../../src/models/denseLoss.js';

describe('activations', () => {
  it('computes each activation exactly and softmax rows sum to 1', () => {
    const z = Float64Array.of(-2, 0, 3);
    const y = new Float64Array(3);
    activationKernel('relu', z, y, 1, 3);
    expect(Array.from(y)).toEqual([0, 0, 3]);
    activationKernel('tanh', z, y, 1, 3);
    expect(y[2]).toBe(Math.tanh(3));
    activationKernel('sigmoid', z, y, 1, 3);
    expect(y[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
    expect(y[1]).toBe(0.5);
    activationKernel('softmax', z, y, 1, 3);
    const e = [Math.exp(-5), Math.exp(-3), 1];
    const s = e[0]! + e[1]! + e[2]!;
    expect(y[2]).toBeCloseTo(1 / s, 15);
    expect(y[0]! + y[1]! + y[2]!).toBeCloseTo(1, 15);
  });

  it('is stable for huge logits (no NaN), in place', () => {
    const z = Float64Array.of(-1000, 1000, 800);
    activationKernel('sigmoid', z, z, 1, 3);
    expect(Array.from(z)).toEqual([0, 1, 1]);
    const w = Float64Array.of(1000, 999, -1000);
    activationKernel('softmax', w, w, 1, 3);
    expect(w[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 14);
  });

  it('activation derivatives match central differences', () => {
    const rng = createRng(3);
    for (const act of ['linear', 'sigmoid', 'tanh', 'relu', 'softmax'] as const) {
      const z = rng.fillNormal(new Float64Array(8));
      const dy = rng.fillNormal(new Float64Array(8));
      const y = new Float64Array(8);
      activationKernel(act, z, y, 2, 4);
      const dz = new Float64Array(8);
      activationBackwardKernel(act, y, dy, dz, 2, 4);
      const h = 1e-6;
      for (let i = 0; i < 8; i++) {
        const zp = z.slice();
        const zm = z.slice();
        zp[i]! += h;
        zm[i]! -= h;
        const yp = new Float64Array(8);
        const ym = new Float64Array(8);
        activationKernel(act, zp, yp, 2, 4);
        activationKernel(act, zm, ym, 2, 4);
        let fd = 0;
        for (let j = 0; j < 8; j++) fd += (dy[j]! * (yp[j]! - ym[j]!)) / (2 * h);
        expect(Math.abs(fd - dz[i]!)).toBeLessThan(1e-8);
      }
    }
  });
});

describe('losses', () => {
  it('bce from logits equals -[t log y + (1-t) log(1-y)] and stays finite for saturated logits', () => {
    const z = Float64Array.of(0.3, -1.2, 40, -40);
    const y = new Float64Array(4);
    activationKernel('sigmoid', z, y, 1, 4);
    const t = Float64Array.of(1, 0, 0, 1);
    const sum = bceLossKernel(z, y, t, 1, 4, null, 1);
    const direct = -Math.log(1 / (1 + Math.exp(-0.3))) - Math.log(1 - 1 / (1 + Math.exp(1.2)));
    expect(sum).toBeCloseTo(direct + 40 + 40, 10);
    expect(Number.isFinite(sum)).toBe(true);
  });

  it('softmax cross-entropy equals -log p[label] and its gradient is (p - onehot) scale', () => {
    const z = Float64Array.of(1, 2, 3, 0, 0, 0);
    const y = new Float64Array(6);
    activationKernel('softmax', z, y, 2, 3);
    const dz = new Float64Array(6);
    const sum = softmaxCrossEntropyKernel(z, y, Int32Array.of(2, 0), 2, 3, dz, 0.5);
    expect(sum).toBeCloseTo(-Math.log(y[2]!) - Math.log(1 / 3), 14);
    expect(dz[2]).toBeCloseTo(0.5 * (y[2]! - 1), 15);
    expect(dz[4]).toBeCloseTo(0.5 / 3, 15);
  });
});

describe('createDenseLayer / denseForward', () => {
  it('computes activation(x W + b) for float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const layer = createDenseLayer({ nIn: 2, nOut: 3, activation: 'relu', rng: createRng(1), dtype });
      layer.weights.set([1, -1, 0.5, 2, 1, -0.25]);
      layer.bias.set([0, 0.5, 0]);
      const y = denseForward(layer, [1, 2, -1, 0]);
      expect(y).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      expect(Array.from(y)).toEqual([5, 1.5, 0, 0, 1.5, 0]);
    }
  });

  it('is reproducible from the seed and rejects bad arguments with typed errors', () => {
    const a = createDenseLayer({ nIn: 4, nOut: 2, activation: 'tanh', rng: createRng(9) });
    const b = createDenseLayer({ nIn: 4, nOut: 2, activation: 'tanh', rng: createRng(9) });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(() => createDenseLayer({ nIn: 0, nOut: 2, activation: 'tanh', rng: createRng(9) })).toThrow(
      /createDenseLayer: nIn: expected an integer >= 1, received 0/,
    );
    expect(() =>
      createDenseLayer({ nIn: 2, nOut: 2, activation: 'gelu' as 'tanh', rng: createRng(9) }),
    ).toThrow(DomainError);
    expect(() => denseForward(a, [1, 2, 3])).toThrow(ShapeError);
    expect(() => denseForward(a, [1, 2, Number.NaN, 4])).toThrow(/denseForward: x\[2\]/);
  });
});
