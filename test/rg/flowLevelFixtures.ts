/** Flow levels for the tests of flowDirection and of the comparisons built on it. */
import type { FlowLevel } from '../../src/rg/flowLevels.js';

export const level = (T: number, e: number, index = 0): FlowLevel => ({
  level: index,
  sites: 1,
  shape: [1],
  temperature: { inRange: true, temperature: T, error: e },
  energy: { mean: 0, error: 0 },
  absMagnetization: { mean: 0, error: 0 },
});
export const beyond = (bound: 'above' | 'below', edge: number, index: number): FlowLevel => ({
  ...level(0, 0, index),
  temperature: { inRange: false, bound, edge },
});
