import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { agreesWithin, isDataPathKey, resolvePreset } from '../../src/experiments/types.js';

const presets = {
  quick: {
    n: 1,
    grid: [1, 2] as readonly number[],
    rule: 'majority',
    nested: { a: 1, b: [2] as readonly number[] },
    dataDir: undefined as string | undefined,
    weightsPath: undefined as string | undefined,
  },
  full: {
    n: 9,
    grid: [1, 2, 3] as readonly number[],
    rule: 'majority',
    nested: { a: 1, b: [2] as readonly number[] },
    dataDir: undefined,
    weightsPath: undefined,
  },
};

describe('resolvePreset', () => {
  it('picks the quick preset by default and the full one on request', () => {
    expect(resolvePreset('f', {}, presets)).toEqual({ config: presets.quick, preset: 'quick' });
    expect(resolvePreset('f', { preset: 'full' }, presets)).toEqual({ config: presets.full, preset: 'full' });
    expect(resolvePreset('f', { preset: undefined }, presets).preset).toBe('quick');
  });

  it('merges overrides and reports custom when one differs by value', () => {
    expect(resolvePreset('f', { n: 2 }, presets)).toEqual({
      config: { ...presets.quick, n: 2 },
      preset: 'custom',
    });
    expect(resolvePreset('f', { preset: 'full', grid: [1, 2] }, presets).preset).toBe('custom');
    expect(resolvePreset('f', { nested: { a: 1, b: [3] } }, presets).preset).toBe('custom');
  });

  it('keeps the preset name when every override equals the base by value', () => {
    expect(resolvePreset('f', { n: 1, grid: [1, 2], rule: 'majority' }, presets).preset).toBe('quick');
    expect(resolvePreset('f', { grid: Float64Array.of(1, 2) as never }, presets).preset).toBe('quick');
    expect(resolvePreset('f', { nested: { b: [2], a: 1 } }, presets).preset).toBe('quick'); // key order
    expect(resolvePreset('f', { preset: 'full', n: 9, grid: [1, 2, 3] }, presets).preset).toBe('full');
  });

  it('treats undefined fields as not given', () => {
    const r = resolvePreset('f', { n: undefined, grid: undefined }, presets);
    expect(r).toEqual({ config: presets.quick, preset: 'quick' });
    expect(r.config.n).toBe(1);
    expect(r.config.grid).toEqual([1, 2]);
  });

  it('ignores data paths (names ending in Dir or Path) when deciding custom', () => {
    const r = resolvePreset('f', { dataDir: '/data', weightsPath: 'w.json' }, presets);
    expect(r.preset).toBe('quick');
    expect(r.config.dataDir).toBe('/data');
    expect(r.config.weightsPath).toBe('w.json');
    expect(resolvePreset('f', { dataDir: '/data', n: 3 }, presets).preset).toBe('custom');
    expect(isDataPathKey('mnistDir')).toBe(true);
    expect(isDataPathKey('modelPath')).toBe(true);
    expect(isDataPathKey('directory')).toBe(false);
  });

  it('rejects unknown fields, naming the field and listing the known ones', () => {
    expect(() => resolvePreset('runX', { nn: 2 } as never, presets)).toThrow(DomainError);
    expect(() => resolvePreset('runX', { nn: 2 } as never, presets)).toThrow(
      'runX: config.nn: expected one of the fields n, grid, rule, nested, dataDir, weightsPath, received "nn"',
    );
    // also when the value is undefined: a misspelt flag is an error, not a silent no-op
    expect(() => resolvePreset('runX', { mnistdir: undefined } as never, presets)).toThrow(
      /config\.mnistdir/,
    );
  });

  it('rejects a bad preset name and a config that is not an object', () => {
    expect(() => resolvePreset('runX', { preset: 'huge' as never }, presets)).toThrow(
      'runX: config.preset: expected one of "quick", "full", received "huge"',
    );
    expect(() => resolvePreset('runX', null as never, presets)).toThrow('runX: config: expected an object');
    expect(() => resolvePreset('runX', [] as never, presets)).toThrow(DomainError);
  });

  it('does not modify the presets', () => {
    const r = resolvePreset('f', { n: 5 }, presets);
    expect(r.config).not.toBe(presets.quick);
    expect(presets.quick.n).toBe(1);
  });
});

describe('agreesWithin', () => {
  it('uses the error bar and refuses a missing one', () => {
    expect(agreesWithin({ mean: 1.1, error: 0.05 }, 1)).toBe(true);
    expect(agreesWithin({ mean: 1.2, error: 0.05 }, 1)).toBe(false);
    expect(agreesWithin({ mean: 1, error: Number.NaN }, 1)).toBe(false);
  });
});
