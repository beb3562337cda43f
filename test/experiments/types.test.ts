import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { agreesWithin, resolvePreset } from '../../src/experiments/types.js';

const presets = {
  quick: { n: 1, grid: [1, 2], dir: undefined as string | undefined },
  full: { n: 9, grid: [1, 2, 3], dir: undefined },
};

describe('experiment helpers', () => {
  it('resolvePreset merges overrides and reports custom only for real changes', () => {
    expect(resolvePreset('f', {}, presets)).toEqual({ config: presets.quick, preset: 'quick' });
    expect(resolvePreset('f', { preset: 'full' }, presets).config.n).toBe(9);
    expect(resolvePreset('f', { grid: [1, 2] }, presets).preset).toBe('quick'); // equal by value
    expect(resolvePreset('f', { n: 2 }, presets)).toEqual({
      config: { ...presets.quick, n: 2 },
      preset: 'custom',
    });
    expect(resolvePreset('f', { dir: '/data' }, presets, ['dir']).preset).toBe('quick');
    expect(() => resolvePreset('runX', { preset: 'huge' as never }, presets)).toThrow(/runX: config.preset/);
    expect(() => resolvePreset('runX', null as never, presets)).toThrow(DomainError);
  });

  it('agreesWithin uses the error bar and refuses a missing one', () => {
    expect(agreesWithin({ mean: 1.1, error: 0.05 }, 1)).toBe(true);
    expect(agreesWithin({ mean: 1.2, error: 0.05 }, 1)).toBe(false);
    expect(agreesWithin({ mean: 1, error: Number.NaN }, 1)).toBe(false);
  });
});
