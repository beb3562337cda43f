/**
 * The root entry is portable: esbuild bundles src/index.ts for platform 'browser' and no module of the
 * bundle is a Node built-in (`node:fs`, `zlib`, ... directly or through a dependency). Dependencies that
 * map a built-in away with their `browser` field (seedrandom's optional `crypto`) resolve to nothing and
 * are fine. The other entries are the counter-check: coarsegrain/node does reach Node built-ins.
 */
import { builtinModules } from 'node:module';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Bundle `entry` for the browser; the Node built-ins it imports, as `specifier <- importer`. */
async function nodeImports(entry: string): Promise<{ hits: string[]; metafile: Metafile }> {
  const hits: string[] = [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-node-builtins',
        setup(b) {
          // Runs after esbuild's own resolution failed: a browser-field mapping (`"crypto": false`)
          // resolves without coming here.
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData === 'retry' || !BUILTINS.has(args.path.split('/')[0]!)) return undefined;
            const r = await b.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: 'retry',
            });
            if (r.errors.length === 0 && !r.external) return undefined; // resolvable: let esbuild do it
            hits.push(`${args.path} <- ${args.importer.replace(process.cwd(), '.')}`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return { hits, metafile: result.metafile };
}

describe('browser bundle of the root entry', () => {
  it('imports no Node built-in', async () => {
    const { hits, metafile } = await nodeImports('src/index.ts');
    expect(hits).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('src/index.ts');
    expect(inputs.filter((p) => p.startsWith('src/node/') || p.startsWith('src/parallel/'))).toEqual([]);
  }, 60_000);

  it('kernels is portable too; node and parallel are not (the check detects built-ins)', async () => {
    expect((await nodeImports('src/kernels/index.ts')).hits).toEqual([]);
    const node = (await nodeImports('src/node/index.ts')).hits;
    expect(node.some((h) => h.startsWith('node:fs/promises <- ./src/node/files.ts'))).toBe(true);
    expect(node.some((h) => h.startsWith('zlib <- ./node_modules/pngjs/'))).toBe(true);
  }, 60_000);
});
