/**
 * The API report: the sorted export list, with kinds, of every entry point, compared with the committed
 * files in test/package/api/. A change to the public surface fails here until the report is updated
 * (`npx vitest run test/package/api.test.ts -u`), so every change is deliberate and visible in review.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExportEntry, exportLists } from './exportList.js';

const ENTRIES = {
  root: 'src/index.ts',
  kernels: 'src/kernels/index.ts',
  node: 'src/node/index.ts',
  parallel: 'src/parallel/index.ts',
  distributed: 'src/distributed/index.ts',
} as const;

const names = Object.keys(ENTRIES) as (keyof typeof ENTRIES)[];
const lists = new Map<keyof typeof ENTRIES, ExportEntry[]>();
const isValue = (e: ExportEntry) => e.kind === 'function' || e.kind === 'const' || e.kind === 'class';

describe('API report', () => {
  beforeAll(() => {
    const all = exportLists(names.map((n) => ENTRIES[n]));
    for (const [i, n] of names.entries()) lists.set(n, all[i]!);
  }, 60_000);

  for (const n of names) {
    it(`${n}: the export list matches test/package/api/${n}.txt`, async () => {
      const text = lists
        .get(n)!
        .map((e) => `${e.kind.padEnd(9)} ${e.name}`)
        .join('\n');
      await expect(`${text}\n`).toMatchFileSnapshot(`./api/${n}.txt`);
    });
  }

  it('the root holds at most 200 runtime names, no unchecked kernel and no validator', () => {
    const root = lists.get('root')!;
    const values = root.filter(isValue);
    expect(values.length).toBeLessThanOrEqual(200);
    expect(values.filter((e) => e.name.endsWith('Kernel'))).toEqual([]);
    expect(values.filter((e) => /^check[A-Z]/.test(e.name))).toEqual([]);
    for (const internal of [
      'evaluateStack',
      'lossScale',
      'fmt',
      'text',
      'invertCurve',
      'endToEndModes',
      'encode',
      'decode',
    ])
      expect(root.map((e) => e.name)).not.toContain(internal);
  });

  it('kernels holds only *Kernel functions, their types and the GEMM backend switch; no name is in two entries', () => {
    expect(
      lists
        .get('kernels')!
        .filter(isValue)
        .filter((e) => !(e.kind === 'function' && e.name.endsWith('Kernel')))
        .map((e) => e.name),
    ).toEqual(['setGemmBackend']);
    const seen = new Map<string, string>();
    for (const n of names)
      for (const e of lists.get(n)!.filter(isValue)) {
        expect(seen.get(e.name), `${e.name} in ${n} and ${seen.get(e.name)}`).toBeUndefined();
        seen.set(e.name, n);
      }
  });
});
