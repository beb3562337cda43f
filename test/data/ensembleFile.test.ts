import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc32.js';
import { DomainError, FormatError, ShapeError } from '../../src/core/errors.js';
import { decodeEnsembleFile, encodeEnsembleFile } from '../../src/data/ensembleFile.js';
import { loadEnsembleFile, loadNpy, saveEnsembleFile, saveNpy } from '../../src/node/files.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-ens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spins = Int8Array.from({ length: 3 * 4 * 5 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : -1));
const contents = {
  metadata: {
    model: 'ising2d',
    temperature: 2.269,
    sampler: 'wolff',
    seed: 42,
    shape: [4, 5],
    note: 'ünïcode',
  },
  arrays: {
    spins,
    energy: new Float64Array([-1.5, -1.25, Math.PI]),
    magnetisation: new Float32Array([0.1, -0.2, 0.3]),
    clusterSizes: new Int32Array([1, 20, 300]),
    flags: new Uint8Array([1, 0, 1]),
  },
  shapes: { spins: [3, 4, 5] },
};

describe('ensemble container', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const a = new TextEncoder().encode('12345');
    expect(crc32(new TextEncoder().encode('6789'), crc32(a))).toBe(0xcbf43926);
  });

  it('round-trips metadata, shapes and every array bit-exactly, 8-byte aligned', () => {
    const bytes = encodeEnsembleFile(contents);
    expect(String.fromCharCode(...bytes.subarray(0, 5))).toBe('CGENS');
    expect(String.fromCharCode(...bytes.subarray(bytes.length - 8))).toBe('CGENSEND');
    const back = decodeEnsembleFile(bytes);
    expect(back.version).toBe(1);
    expect(back.metadata).toEqual(contents.metadata);
    expect(back.shapes).toEqual({
      spins: [3, 4, 5],
      energy: [3],
      magnetisation: [3],
      clusterSizes: [3],
      flags: [3],
    });
    for (const [name, data] of Object.entries(contents.arrays)) {
      expect(back.arrays[name]).toEqual(data);
      expect(back.arrays[name]!.constructor).toBe(data.constructor);
    }
    for (const f of back.fields) expect(f.offset % 8).toBe(0);
    expect(Object.keys(back.arrays)).toEqual(Object.keys(contents.arrays));
    // Deterministic: same input, same bytes.
    expect(encodeEnsembleFile(contents)).toEqual(bytes);
    // Zero-copy views read the same values.
    expect(decodeEnsembleFile(bytes, { copy: false }).arrays.energy).toEqual(contents.arrays.energy);
  });

  it('handles no arrays and empty arrays', () => {
    const back = decodeEnsembleFile(encodeEnsembleFile({ metadata: {}, arrays: {} }));
    expect(back.arrays).toEqual({});
    const e = decodeEnsembleFile(
      encodeEnsembleFile({ metadata: { a: 1 }, arrays: { x: new Float64Array(0) } }),
    );
    expect(e.arrays.x).toEqual(new Float64Array(0));
  });

  it('detects every truncation and any flipped byte', () => {
    const bytes = encodeEnsembleFile(contents);
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(() => decodeEnsembleFile(bytes.subarray(0, cut))).toThrow(FormatError);
    }
    expect(() => decodeEnsembleFile(bytes.subarray(0, bytes.length - 1))).toThrow(
      /decodeEnsembleFile: end marker: expected 'CGENSEND' .*truncated or half-written file/,
    );
    for (let i = 8; i < bytes.length - 12; i += 13) {
      const bad = bytes.slice();
      bad[i]! ^= 0x10;
      expect(() => decodeEnsembleFile(bad)).toThrow(
        /decodeEnsembleFile: checksum: expected CRC-32 [0-9a-f]{8}, received [0-9a-f]{8} \(corrupt file\)/,
      );
    }
    const badMagic = bytes.slice();
    badMagic[0] = 0x41;
    expect(() => decodeEnsembleFile(badMagic)).toThrow(/decodeEnsembleFile: magic: expected 'CGENS'/);
    const v2 = bytes.slice();
    v2[6] = 2;
    expect(() => decodeEnsembleFile(v2)).toThrow(/decodeEnsembleFile: version: expected 1, received 2/);
  });

  it('rejects a header that does not describe the payload, even with a valid checksum', () => {
    const bytes = encodeEnsembleFile({ metadata: {}, arrays: { x: new Float64Array([1, 2]) } });
    const resign = (edit: (text: string) => string) => {
      const out = bytes.slice();
      const headerLength = new DataView(out.buffer).getUint32(8, true);
      const text = edit(new TextDecoder().decode(out.subarray(16, 16 + headerLength)));
      expect(text.length).toBe(headerLength);
      out.set(new TextEncoder().encode(text), 16);
      new DataView(out.buffer).setUint32(out.length - 12, crc32(out.subarray(0, out.length - 12)), true);
      return out;
    };
    expect(() => decodeEnsembleFile(resign((t) => t.replace('"length":2', '"length":3')))).toThrow(
      /decodeEnsembleFile: header: expected a valid array entry, received .*"length":3/,
    );
    expect(() =>
      decodeEnsembleFile(resign((t) => t.replace('"dtype":"float64"', '"dtype":"float65"'))),
    ).toThrow(/valid array entry/);
    expect(() => decodeEnsembleFile(resign((t) => t.replace('{"format"', '["format"')))).toThrow(
      /decodeEnsembleFile: header: expected UTF-8 JSON/,
    );
  });

  it('rejects metadata that JSON cannot hold and mismatched shapes', () => {
    expect(() => encodeEnsembleFile({ metadata: { t: Number.NaN }, arrays: {} })).toThrow(DomainError);
    expect(() => encodeEnsembleFile({ metadata: { t: Number.NaN }, arrays: {} })).toThrow(
      /encodeEnsembleFile: metadata.t: expected a finite number/,
    );
    expect(() =>
      encodeEnsembleFile({ metadata: {}, arrays: { a: new Float64Array(5) }, shapes: { a: [2, 3] } }),
    ).toThrow(ShapeError);
    expect(() => encodeEnsembleFile({ metadata: {}, arrays: {}, shapes: { b: [1] } })).toThrow(/shapes.b/);
  });

  it('saves atomically (no temp files left) and loads from disk; a half-written file is refused', async () => {
    const path = join(dir, 'ens.cgens');
    await saveEnsembleFile(path, contents);
    await saveEnsembleFile(path, contents); // overwrite
    expect(readdirSync(dir).filter((f) => f.startsWith('ens.cgens'))).toEqual(['ens.cgens']);
    const back = await loadEnsembleFile(path);
    expect(back.arrays.spins).toEqual(spins);
    const half = join(dir, 'half.cgens');
    writeFileSync(half, encodeEnsembleFile(contents).subarray(0, 100));
    await expect(loadEnsembleFile(half)).rejects.toThrow(
      /truncated or half-written file\) \(in .*half\.cgens\)/,
    );
    await expect(loadEnsembleFile(join(dir, 'missing.cgens'))).rejects.toThrow(
      /loadEnsembleFile: path: expected a readable file, received .*missing.cgens.* \(no such file or folder\)/,
    );
  });

  it('saveNpy/loadNpy round-trip through a file', async () => {
    const path = join(dir, 'a.npy');
    await saveNpy(path, new Float64Array([1, 2, 3, 4]), [2, 2]);
    expect(existsSync(path)).toBe(true);
    const back = await loadNpy(path);
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data)).toEqual([1, 2, 3, 4]);
  });
});
