import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import type { RbmStack } from '../../src/models/rbmStack.js';
import type { Rbm } from '../../src/models/types.js';
import { blockAverage } from '../../src/rg/block.js';
import { blockFlow, rbmFlowEnsemble, stackFlow } from '../../src/rg/flow.js';
import { kaufmanLevelThermometer, temperatureGrid } from '../../src/rg/levelThermometer.js';

function spinRbm(nVisible: number, nHidden: number, weight: (i: number, a: number) => number): Rbm {
  const weights = new Float64Array(nVisible * nHidden);
  for (let i = 0; i < nVisible; i++)
    for (let a = 0; a < nHidden; a++) weights[i * nHidden + a] = weight(i, a);
  return {
    kind: 'rbm',
    version: 1,
    visibleUnits: 'spin',
    hiddenUnits: 'spin',
    nVisible,
    nHidden,
    weights,
    visibleBias: new Float64Array(nVisible),
    hiddenBias: new Float64Array(nHidden),
  };
}

function randomSpins(n: number, seed: number): Int8Array {
  const rng = createRng(seed);
  return Int8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : -1));
}

/** Configurations on 4 x 4 whose 2 x 2 blocks are uniform. */
function blockUniform(n: number, seed: number): Int8Array {
  const blocks = randomSpins(n * 4, seed);
  const out = new Int8Array(n * 16);
  for (let c = 0; c < n; c++)
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) out[c * 16 + y * 4 + x] = blocks[c * 4 + (y >> 1) * 2 + (x >> 1)]!;
  return out;
}

describe('flows', () => {
  it('a copying RBM (W = 20 I) leaves every step equal to the data; the thermometer is called per step', () => {
    const rbm = spinRbm(16, 16, (i, a) => (i === a ? 20 : 0));
    const configs = randomSpins(50 * 16, 1);
    let calls = 0;
    const steps = rbmFlowEnsemble(rbm, configs, [4, 4], {
      steps: 3,
      rng: createRng(2),
      thermometer: () => {
        calls++;
        return { inRange: true, temperature: 2, error: 0.1 };
      },
    });
    expect(steps.length).toBe(4);
    expect(calls).toBe(4);
    for (const s of steps) {
      expect([...s.configs]).toEqual([...configs]);
      expect(s.energy.mean).toBe(steps[0]!.energy.mean);
      expect(s.temperature).toEqual({ inRange: true, temperature: 2, error: 0.1 });
    }
  });

  it('flows carry out-of-range readings step by step: all up (cold) then decoupled (hot)', () => {
    const thermometer = kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025));
    const decoupled = spinRbm(64, 16, () => 0);
    const steps = rbmFlowEnsemble(decoupled, new Int8Array(200 * 64).fill(1), [8, 8], {
      steps: 2,
      rng: createRng(3),
      thermometer,
    });
    expect(steps[0]!.temperature).toEqual({ inRange: false, bound: 'below', edge: 0.5 });
    expect(steps[1]!.temperature).toEqual({ inRange: false, bound: 'above', edge: 10 });
    expect(steps[2]!.temperature).toEqual({ inRange: false, bound: 'above', edge: 10 });
    // a stack of decoupled layers: the input is cold, every layer above is infinitely hot
    const stack: RbmStack = { kind: 'rbm-stack', version: 1, layers: [spinRbm(64, 16, () => 0)] };
    const up = stackFlow(stack, new Int8Array(200 * 64).fill(1), [8, 8], {
      layerShapes: [[4, 4]],
      mode: 'sample',
      rng: createRng(4),
      thermometer,
    });
    expect(up.map((s) => s.temperature)).toEqual([
      { inRange: false, bound: 'below', edge: 0.5 },
      { inRange: false, bound: 'above', edge: 10 },
    ]);
  });

  it('stochastic flows are reproducible from the seed', () => {
    const rng = createRng(12);
    const rbm = spinRbm(16, 9, () => 0.3 * rng.normal());
    const configs = randomSpins(30 * 16, 13);
    const a = rbmFlowEnsemble(rbm, configs, [4, 4], { steps: 3, rng: createRng(5) });
    const b = rbmFlowEnsemble(rbm, configs, [4, 4], { steps: 3, rng: createRng(5) });
    expect([...a[3]!.configs]).toEqual([...b[3]!.configs]);
  });

  it('a decoupled RBM (W = 0) sends the ensemble to infinite temperature: energy 0, |m| ~ 1/sqrt(N)', () => {
    const rbm = spinRbm(64, 16, () => 0);
    const configs = new Int8Array(400 * 64).fill(1);
    const steps = rbmFlowEnsemble(rbm, configs, [8, 8], { steps: 1, rng: createRng(3), keepConfigs: false });
    expect(steps[0]!.energy.mean).toBe(-2);
    expect(Math.abs(steps[1]!.energy.mean)).toBeLessThan(4 * steps[1]!.energy.error);
    expect(steps[0]!.configs.length).toBe(0);
    expect(steps[1]!.configs.length).toBe(400 * 64);
    // mean-field: v' = tanh(0) = 0
    const mf = rbmFlowEnsemble(rbm, configs, [8, 8], { steps: 1, mode: 'mean-field' });
    expect(mf[1]!.configs.every((v) => v === 0)).toBe(true);
    expect(() => rbmFlowEnsemble(rbm, configs, [8, 8], { steps: 1 })).toThrow(/rbmFlowEnsemble: options.rng/);
    expect(() => rbmFlowEnsemble(rbm, configs, [4, 16], { steps: 1, mode: 'mean-field' })).not.toThrow();
    expect(() => rbmFlowEnsemble(rbm, configs, [4, 4], { steps: 1, mode: 'mean-field' })).toThrow(ShapeError);
  });

  it('a stack of block RBMs equals the block-average RG on block-uniform configurations', () => {
    const layer0 = spinRbm(16, 4, (i, a) => (((i >> 2) >> 1) * 2 + ((i % 4) >> 1) === a ? 10 : 0));
    const layer1 = spinRbm(4, 1, () => 10);
    const stack: RbmStack = { kind: 'rbm-stack', version: 1, layers: [layer0, layer1] };
    const configs = blockUniform(20, 4);
    const steps = stackFlow(stack, configs, [4, 4], { layerShapes: [[2, 2], [1]] });
    expect(steps.length).toBe(3);
    const avg = blockAverage(configs, [4, 4], 2).data;
    for (let i = 0; i < avg.length; i++) expect(steps[1]!.configs[i]).toBeCloseTo(avg[i]!, 12);
    const rg = blockFlow(configs, [4, 4], { levels: 1 });
    expect(steps[1]!.energy.mean).toBeCloseTo(rg[1]!.energy.mean, 12);
    expect(() => stackFlow(stack, configs, [4, 4], { layerShapes: [[2, 2]] })).toThrow(/options.layerShapes/);
    expect(() => stackFlow(stack, configs, [4, 4], { layerShapes: [[3, 1], [1]] })).toThrow(ShapeError);
  });

  it('block flow: levels of a uniform lattice stay ordered; majority keeps +-1; bad levels rejected', () => {
    const up = new Int8Array(3 * 64).fill(1);
    const avg = blockFlow(up, [8, 8], { levels: 3 });
    expect(avg.map((s) => s.shape)).toEqual([
      [8, 8],
      [4, 4],
      [2, 2],
      [1, 1],
    ]);
    for (const s of avg) expect(s.absMagnetization.mean).toBe(1);
    const maj = blockFlow(randomSpins(10 * 64, 5), [8, 8], {
      levels: 2,
      rule: 'majority',
      rng: createRng(6),
    });
    for (const s of maj) for (const v of s.configs) expect(Math.abs(v)).toBe(1);
    expect(() => blockFlow(up, [8, 8], { levels: 4 })).toThrow(DomainError);
    expect(() => blockFlow(up, [8, 8], { levels: 1, rule: 'majority' })).toThrow(/options.rng/);
  });
});
