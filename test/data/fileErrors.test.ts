import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, FileError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createRbm } from '../../src/models/init.js';
import { loadNpy, saveNpy } from '../../src/node/files.js';
import { loadModel, saveModel } from '../../src/node/modelFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-fileerrors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = createRbm({ nVisible: 3, nHidden: 2, rng: createRng(1) });

describe('file-system errors are typed and name the function, the path and the cause', () => {
  it('loadModel on a directory, a missing file and an empty path', async () => {
    await expect(loadModel(dir)).rejects.toThrow(FileError);
    await expect(loadModel(dir)).rejects.toThrow(
      `loadModel: path: expected a readable model file, received ${JSON.stringify(dir)} (is a directory)`,
    );
    await expect(loadModel(join(dir, 'nope.json'))).rejects.toThrow(/\(no such file or folder\)$/);
    await expect(loadModel('')).rejects.toThrow(DomainError);
  });

  it('saveModel / saveNpy into a missing folder: FileError, and no file or temporary file left anywhere', async () => {
    const target = join(dir, 'missing', 'model.json');
    const err = await saveModel(target, model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).code).toBe('ENOENT');
    expect((err as FileError).path).toBe(target);
    expect((err as Error).message).toMatch(
      /^saveModel: path: expected a writable file path, received ".*model\.json" \(no such file or folder\)$/,
    );
    await expect(saveNpy(join(dir, 'missing', 'x.npy'), new Float64Array(2), [2])).rejects.toThrow(
      /^saveNpy: path: expected a writable file path, received .* \(no such file or folder\)$/,
    );
    await expect(saveModel('', model)).rejects.toThrow(DomainError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed rename (a directory at the target) leaves the directory and no temporary file', async () => {
    const target = join(dir, 'isdir');
    mkdirSync(target);
    await expect(saveModel(target, model)).rejects.toThrow(FileError);
    await expect(saveNpy(target, new Float64Array(2), [2])).rejects.toThrow(/saveNpy: path: .*isdir/);
    expect(readdirSync(dir)).toEqual(['isdir']);
    rmSync(target, { recursive: true });
  });

  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    process.stderr.write(
      'test/data/fileErrors: running as root, file permissions do not apply: permission test skipped\n',
    );
  it.skipIf(asRoot)(
    'permission denied is named as such (skipped as root: permissions do not apply)',
    async () => {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      writeFileSync(join(locked, 'a.npy'), new Uint8Array(0));
      chmodSync(locked, 0o500);
      try {
        await expect(saveNpy(join(locked, 'b.npy'), new Float64Array(2), [2])).rejects.toThrow(
          /\(permission denied\)$/,
        );
        expect(readdirSync(locked)).toEqual(['a.npy']);
      } finally {
        chmodSync(locked, 0o700);
        rmSync(locked, { recursive: true });
      }
    },
  );

  it('a good round trip still works and leaves exactly the file', async () => {
    const path = join(dir, 'ok.npy');
    await saveNpy(path, Float64Array.of(1, 2), [2]);
    expect(Array.from((await loadNpy(path)).data)).toEqual([1, 2]);
    await saveModel(join(dir, 'm.json'), model);
    expect(await loadModel(join(dir, 'm.json'))).toEqual(model);
    expect(readdirSync(dir).sort()).toEqual(['m.json', 'ok.npy']);
  });
});
