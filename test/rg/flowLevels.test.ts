import { describe, expect, it } from 'vitest';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { blockFlow } from '../../src/rg/flow.js';
import { flowDirection, flowLevels } from '../../src/rg/flowLevels.js';
import {
  curveLevelThermometer,
  kaufmanLevelThermometer,
  temperatureGrid,
} from '../../src/rg/levelThermometer.js';
import { curveFromEnsembles, curveFromFunction } from '../../src/rg/thermometer.js';
import { sampleEnsembles } from '../../src/sampling/ensemble.js';
import { beyond, level } from './flowLevelFixtures.js';

describe('flowDirection', () => {
  it('calls a change beyond 2 sigma up or down, else flat', () => {
    expect(flowDirection([level(2, 0.01), level(3, 0.01)]).direction).toBe('up');
    expect(flowDirection([level(2, 0.01), level(1, 0.01)]).direction).toBe('down');
    expect(flowDirection([level(2, 1), level(2.5, 1)]).direction).toBe('flat');
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

describe('curveLevelThermometer', () => {
  it('reads each level on the curve of its number of sites; a size without a curve is refused', () => {
    // exact toy curves: energy -2 / T at 16 sites, -1 / T at 4 sites (distinct, so the key matters)
    const grid = temperatureGrid(1, 4, 0.5);
    const curves = new Map([
      [16, curveFromFunction((T) => -2 / T, grid)],
      [4, curveFromFunction((T) => -1 / T, grid)],
    ]);
    const thermometer = curveLevelThermometer(curves);
    const up = new Float64Array(16).fill(1); // energy per site -2 on a 4 x 4 torus: T = 1, the grid's edge
    expect(thermometer(up, [4, 4])).toEqual({ inRange: false, bound: 'below', edge: 1 });
    expect(() => thermometer(new Float64Array(9).fill(1), [3, 3])).toThrow(
      /^curveLevelThermometer: shape: expected one of 16,4 sites, received 9$/,
    );
    expect(() => curveLevelThermometer(new Map())).toThrow(
      /curveLevelThermometer: curves: expected a non-empty Map/,
    );
  });

  it('on Monte Carlo curves of the long-range chain, reads an independent ensemble within its error', () => {
    const grid = [0.8, 1.2, 1.6, 2, 2.6, 3.4];
    const curves = new Map(
      [16, 8].map((N) => {
        const ensembles = sampleEnsembles(createLongRangeChain({ N, sigma: 0.5 }), grid, {
          samples: 400,
          seed: N,
        });
        return [N, curveFromEnsembles(ensembles, [N])] as const;
      }),
    );
    const thermometer = curveLevelThermometer(curves);
    const level = sampleEnsembles(createLongRangeChain({ N: 8, sigma: 0.5 }), [1.8], {
      samples: 800,
      seed: 99,
    })[0]!;
    const reading = thermometer(Float64Array.from(level.configs), [8]);
    expect(reading.inRange).toBe(true);
    // over seeds 90..109 the reading's z = (T - 1.8) / error ran from -1.8 to 0.1 (a bias of -0.045 from the
    // linear interpolation between grid points 0.4 apart and the curves' own noise): 4 sigma holds
    if (reading.inRange) expect(Math.abs(reading.temperature - 1.8)).toBeLessThan(4 * reading.error);
  });
});
