import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { readingComparison } from '../../src/experiments/flowCommon.js';
import {
  alignStackToLattice,
  directionComparison,
  type FlowLevel,
  flowDirection,
  flowLevels,
  spreadSummary,
} from '../../src/experiments/flowHelpers.js';
import { createRbm } from '../../src/models/init.js';
import { type RbmStack, stackUp } from '../../src/models/rbmStack.js';
import { blockFlow } from '../../src/rg/flow.js';
import { kaufmanLevelThermometer, temperatureGrid } from '../../src/rg/levelThermometer.js';

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
    const a = stackUp(stack, matrix(v, 5, 16)).map((m) => m.data);
    const b = stackUp(aligned, matrix(v, 5, 16)).map((m) => m.data);
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

const level = (T: number, e: number, index = 0): FlowLevel => ({
  level: index,
  sites: 1,
  shape: [1],
  temperature: { inRange: true, temperature: T, error: e },
  energy: { mean: 0, error: 0 },
  absMagnetization: { mean: 0, error: 0 },
});
const beyond = (bound: 'above' | 'below', edge: number, index: number): FlowLevel => ({
  ...level(0, 0, index),
  temperature: { inRange: false, bound, edge },
});

describe('flowDirection and spreadSummary', () => {
  it('calls a change beyond 2 sigma up or down, else flat', () => {
    expect(flowDirection([level(2, 0.01), level(3, 0.01)]).direction).toBe('up');
    expect(flowDirection([level(2, 0.01), level(1, 0.01)]).direction).toBe('down');
    expect(flowDirection([level(2, 1), level(2.5, 1)]).direction).toBe('flat');
    const s = spreadSummary([1, 2, 3, Number.NaN]);
    expect(s.count).toBe(3);
    expect(s.mean).toBe(2);
    expect(s.spread).toBeCloseTo(1, 12);
    expect(s.error).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it('a flow with an end out of range has no direction; an intermediate out-of-range level does not matter', () => {
    const d = flowDirection([level(2.6, 0.01, 0), beyond('above', 10, 1)]);
    expect(d.direction).toBe('out-of-range');
    expect(Number.isNaN(d.change.mean)).toBe(true);
    expect(d.outOfRange).toBe('T(level 1) > 10 (beyond grid)');
    const both = flowDirection([beyond('below', 0.5, 0), level(1, 0.1, 1), beyond('above', 10, 2)]);
    expect(both.outOfRange).toBe('T(level 0) < 0.5 (beyond grid); T(level 2) > 10 (beyond grid)');
    // E3's case: level 1 beyond the grid, level 2 back inside: the ends are judged
    expect(flowDirection([level(2.6, 0.01, 0), beyond('above', 10, 1), level(3.2, 0.1, 2)]).direction).toBe(
      'up',
    );
  });
});

describe('flowLevels', () => {
  it("keeps each level's reading as it is, in or out of range; a flow without a thermometer is refused", () => {
    const thermometer = kaufmanLevelThermometer(temperatureGrid(0.5, 10, 0.025));
    const levels = flowLevels(
      blockFlow(new Float64Array(2 * 64).fill(1), [8, 8], { levels: 1, rule: 'decimate', thermometer }),
    );
    expect(levels.map((l) => l.temperature)).toEqual([
      { inRange: false, bound: 'below', edge: 0.5 },
      { inRange: false, bound: 'below', edge: 0.5 },
    ]);
    expect(flowDirection(levels).direction).toBe('out-of-range');
    expect(() =>
      flowLevels(blockFlow(new Float64Array(64), [8, 8], { levels: 1, rule: 'decimate' })),
    ).toThrow(/flowLevels: steps\[0\]\.temperature/);
    // the index named is the position in the list, not the step's own number
    const [first] = blockFlow(new Float64Array(64).fill(1), [8, 8], {
      levels: 1,
      rule: 'decimate',
      thermometer,
    });
    expect(() => flowLevels([first!, { ...first!, step: 5, temperature: undefined }])).toThrow(
      'flowLevels: steps[1].temperature: expected a thermometer reading (pass `thermometer` to the flow)',
    );
  });
});

describe('comparisons resting on an out-of-range reading are not judged', () => {
  const fields = { quantity: 'q', reference: Number.NaN, source: 's', expectation: 'flows up' };

  it('directionComparison: agrees/disagrees in range; out of range: no verdict, said in words', () => {
    const up = flowDirection([level(2, 0.01), level(3, 0.01, 1)]);
    expect(directionComparison(fields, up, 'up').agrees).toBe(true);
    expect(directionComparison(fields, up, 'down').agrees).toBe(false);
    const out = directionComparison(fields, flowDirection([level(2.6, 0.01), beyond('above', 10, 2)]), 'up');
    expect(out.agrees).toBeUndefined();
    expect(out.agrees === true).toBe(false);
    expect(out.outOfRange).toBe('T(level 2) > 10 (beyond grid): excluded from the verdict');
    expect(Number.isNaN(out.measured.mean)).toBe(true);
  });

  it('readingComparison: a fixed point beyond the grid is neither near Tc nor far from it', () => {
    const near = (m: { mean: number }) => Math.abs(m.mean - 2.27) < 0.1;
    const inside = readingComparison(fields, { inRange: true, temperature: 2.3, error: 0.01 }, near);
    expect(inside).toMatchObject({ measured: { mean: 2.3, error: 0.01 }, agrees: true });
    // even a judge that accepts everything cannot make an out-of-range reading agree
    const outside = readingComparison(fields, { inRange: false, bound: 'above', edge: 6 }, () => true);
    expect(outside.agrees).toBeUndefined();
    expect(outside.outOfRange).toBe('T > 6 (beyond grid): excluded from the verdict');
  });
});
