import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { decodeNpy } from '../../src/data/npy.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { loadEnsemble, saveEnsemble, saveEnsembleNpy } from '../../src/node/ensembleFiles.js';
import { sampleEnsemble } from '../../src/sampling/ensemble.js';
import {
  configsFromNpy,
  decodeEnsemble,
  encodeEnsemble,
  ensembleToNpy,
} from '../../src/sampling/ensembleIO.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-ensemble-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ensembles = [
  sampleEnsemble(createIsing2D({ L: 5 }), { temperature: 2.4, samples: 17, burnIn: 5, rng: createRng(1) }),
  sampleEnsemble(createLongRangeChain({ N: 20, sigma: 0.4 }), {
    temperature: 3,
    sampler: 'lr-metropolis',
    samples: 9,
    burnIn: 5,
    thin: 2,
    rng: createRng(2),
  }),
];

describe('ensemble I/O', () => {
  for (const ens of ensembles) {
    it(`${ens.model.kind}: container round trip is exact (bytes and file)`, async () => {
      const back = decodeEnsemble(encodeEnsemble(ens));
      expect(back).toEqual(ens);
      const path = join(dir, `${ens.model.kind}.cgens`);
      await saveEnsemble(path, ens);
      expect(await loadEnsemble(path)).toEqual(ens);
    });

    it(`${ens.model.kind}: .npy holds int8 configurations [samples, ...shape]`, async () => {
      const npy = decodeNpy(ensembleToNpy(ens));
      expect(npy.dtype).toBe('int8');
      expect(npy.shape).toEqual(ens.shape);
      expect(Array.from(npy.data)).toEqual(Array.from(ens.configs));
      const path = join(dir, `${ens.model.kind}.npy`);
      await saveEnsembleNpy(path, ens);
      const back = configsFromNpy(new Uint8Array(readFileSync(path)));
      expect(back.shape).toEqual(ens.shape);
      expect(Array.from(back.configs)).toEqual(Array.from(ens.configs));
    });
  }

  it('a truncated or corrupted file throws a FormatError, never returns data', async () => {
    const bytes = encodeEnsemble(ensembles[0]!);
    for (const cut of [10, 100, bytes.length - 1]) {
      expect(() => decodeEnsemble(bytes.subarray(0, cut))).toThrow(FormatError);
    }
    const flipped = bytes.slice();
    flipped[200] = flipped[200]! ^ 1;
    expect(() => decodeEnsemble(flipped)).toThrow(/checksum/);
    const path = join(dir, 'half.cgens');
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    await expect(loadEnsemble(path)).rejects.toThrow(FormatError);
    await expect(loadEnsemble(path)).rejects.toThrow(/half\.cgens/);
    expect(() => configsFromNpy(ensembleToNpy(ensembles[1]!).subarray(0, 100))).toThrow(FormatError);
  });
});
