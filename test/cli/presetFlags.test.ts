/**
 * src/cli/presetFlags.ts: the data folder flags become config fields only for the experiments that have
 * them (E11 reads MNIST only: `reproduce-all --data DIR` passes all three folders to every data script, and
 * runE11 rejects a `flowersDir`, which stopped the first E11 full run).
 */
import { describe, expect, it } from 'vitest';
import { dataFolders } from '../../src/cli/presetFlags.js';
import { E4_PRESETS } from '../../src/experiments/e4.js';
import { E8_PRESETS } from '../../src/experiments/e8.js';
import { runE11 } from '../../src/experiments/e11.js';
import { E11_PRESETS } from '../../src/experiments/e11Config.js';

describe('dataFolders', () => {
  const given = { mnist: 'data/m', flowers: 'data/f', swimseg: 'data/s' };

  it('keeps only the folder fields of the preset it is given', () => {
    expect(dataFolders(given, E11_PRESETS.quick)).toEqual({ mnistDir: 'data/m' });
    expect(dataFolders(given, E8_PRESETS.quick)).toEqual({
      mnistDir: 'data/m',
      flowersDir: 'data/f',
      swimsegDir: 'data/s',
    });
    expect(dataFolders(given, E4_PRESETS.quick)).toEqual({});
    // without a preset every given folder is passed
    expect(Object.keys(dataFolders(given))).toEqual(['mnistDir', 'flowersDir', 'swimsegDir']);
  });

  it('is what runE11 accepts (a folder field it does not have is rejected)', async () => {
    await expect(runE11({ preset: 'quick', flowersDir: 'data/f' } as never, {})).rejects.toThrow(
      /runE11: config\.flowersDir/,
    );
  });
});
