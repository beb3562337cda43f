/**
 * The root entry's TSDoc is a contract a researcher can rely on: every exported name (the list of
 * test/package/api/root.txt) has a doc comment; every function, class and constant has an `@example`
 * holding a ```ts block that imports it from 'coarsegrain' as a user script would; and these examples
 * type-check, strictly, against the package (each as a module of its own, 'coarsegrain' mapped to src/
 * by the tsconfig paths), so they cannot rot. The cheap ones also run (their comments give the output).
 * A name tagged `@internal` (still exported for another layer) needs a doc comment but no example.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkExamples, type ExportDoc, exampleCode, exportDocs } from './tsdoc.js';

/**
 * Examples only type-checked, never run here, with why: whole experiments (seconds to minutes even at
 * the quick preset; tested in test/experiments) and examples that need files or data a user brings.
 */
const SLOW = 'a whole experiment: a minute or more at the quick preset (run by test/experiments)';
const NOT_RUN = new Map<string, string>([
  ...[
    'runE1',
    'runE2',
    'runE3',
    'runE4',
    'runE5',
    'runE6',
    'runE7',
    'runE8',
    'runE9',
    'runE10',
    'runE11',
  ].map((name) => [name, SLOW] as const),
]);

/** The names an example imports from the package's root entry (`import { a, type B } from 'coarsegrain'`). */
function importedNames(example: string): string[] {
  return [...example.matchAll(/import\s*\{([^}]*)\}\s*from\s*'coarsegrain'/g)].flatMap((m) =>
    m[1]!.split(',').map((s) => s.trim().replace(/^type\s+/, '')),
  );
}

const isValue = (e: ExportDoc) => e.kind === 'function' || e.kind === 'const' || e.kind === 'class';
let docs: ExportDoc[] = [];
let program: ReturnType<typeof exportDocs>['program'] | undefined;
const code = new Map<string, string>();
const dir = mkdtempSync(join(tmpdir(), 'cg-examples-'));

beforeAll(() => {
  ({ docs, program } = exportDocs('src/index.ts'));
  for (const e of docs.filter(isValue)) {
    const text = e.examples.map(exampleCode).join('\n');
    if (text !== '') code.set(e.name, text);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('root entry TSDoc', () => {
  it('lists the exports of the API report', () => {
    expect(docs.length).toBeGreaterThan(100);
    expect(docs.map((e) => e.name)).toContain('createRng');
  });

  it('every export has a doc comment', () => {
    expect(docs.filter((e) => !e.documented).map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it("every function, class and constant has an @example with a ```ts block importing it from 'coarsegrain'", () => {
    const missing = docs
      .filter((e) => isValue(e) && !e.internal)
      .filter((e) => !importedNames(code.get(e.name) ?? '').includes(e.name))
      .map((e) => `${e.name} (${e.file})`);
    expect(missing).toEqual([]);
  });

  it('the examples type-check against the package', () => {
    const errors = checkExamples(code, join(process.cwd(), 'test/package/examples'), program);
    expect(errors.map((d) => `${d.name}:${d.line}: ${d.message}`)).toEqual([]);
  }, 120_000);

  it('the cheap examples run', async () => {
    const failures: string[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {}); // the error examples print
    for (const [name, text] of code) {
      if (NOT_RUN.has(name)) continue;
      const file = join(dir, `${name}.example.ts`);
      writeFileSync(file, text);
      try {
        await import(/* @vite-ignore */ file);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
    quiet.mockRestore();
    expect(failures).toEqual([]);
  }, 120_000);
});
