import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { E11_PRESETS } from '../../src/experiments/e11.js';
import {
  E1_PRESETS,
  E2_PRESETS,
  E3_PRESETS,
  E4_PRESETS,
  E5_PRESETS,
  E6_PRESETS,
  E7_PRESETS,
  E8_PRESETS,
  E9_PRESETS,
  E10_PRESETS,
  runE1,
  runE2,
  runE3,
  runE4,
  runE5,
  runE6,
  runE7,
  runE8,
  runE9,
  runE10,
  runE11,
} from '../../src/experiments/index.js';

/** Every runEN merges its config with resolvePreset before doing any work: these calls return at once. */
const runs: [string, (config: never) => unknown, object][] = [
  ['runE1', runE1, E1_PRESETS.quick],
  ['runE2', runE2, E2_PRESETS.quick],
  ['runE3', runE3, E3_PRESETS.quick],
  ['runE4', runE4, E4_PRESETS.quick],
  ['runE5', runE5, E5_PRESETS.quick],
  ['runE6', runE6, E6_PRESETS.quick],
  ['runE7', runE7, E7_PRESETS.quick],
  ['runE8', runE8, E8_PRESETS.quick],
  ['runE9', runE9, E9_PRESETS.quick],
  ['runE10', runE10, E10_PRESETS.quick],
  ['runE11', runE11, E11_PRESETS.quick],
];

/** Call a run function and return its (sync or async) error. */
async function failure(run: (config: never) => unknown, config: unknown): Promise<unknown> {
  try {
    await run(config as never);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('one preset-merging rule for E1-E11', () => {
  it.each(runs)(
    '%s rejects an unknown field, naming it and listing the known ones',
    async (fn, run, quick) => {
      const e = await failure(run, { preset: 'quick', notAField: 1 });
      expect(e).toBeInstanceOf(DomainError);
      expect((e as Error).message).toBe(
        `${fn}: config.notAField: expected one of the fields ${Object.keys(quick).join(', ')}, received "notAField"`,
      );
    },
  );

  it.each(runs)('%s rejects a preset name other than quick or full', async (fn, run) => {
    const e = await failure(run, { preset: 'huge' });
    expect(e).toBeInstanceOf(DomainError);
    expect((e as Error).message).toBe(
      `${fn}: config.preset: expected one of "quick", "full", received "huge"`,
    );
  });
});
