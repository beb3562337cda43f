/**
 * The root entry's TSDoc is a contract a researcher can rely on: every exported name (the list of
 * test/package/api/root.txt) has a doc comment; every function, class and constant has an `@example`
 * holding a ```ts block that imports it from 'coarsegrain' as a user script would; and these examples
 * type-check, strictly, against the package (each as a module of its own, 'coarsegrain' mapped to src/
 * by the tsconfig paths), so they cannot rot. The cheap ones also run (their comments give the output).
 * A name tagged `@internal` (still exported for another layer) needs a doc comment but no example.
 * The `coarsegrain/node` entry is held to the same rules; its examples read and write files, so they are
 * type-checked but not run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  ['DataLoaders', `runE8 with MNIST from a folder: ${SLOW}, and it needs the data`],
]);

/** The names an example imports from `module` (`import { a, type B } from 'coarsegrain'`). */
function importedNames(example: string, module: string): string[] {
  const from = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*'${module}'`, 'g');
  return [...example.matchAll(from)].flatMap((m) =>
    m[1]!.split(',').map((s) => s.trim().replace(/^type\s+/, '')),
  );
}

const isValue = (e: ExportDoc) => e.kind === 'function' || e.kind === 'const' || e.kind === 'class';
/** The entries checked: the root (examples type-checked and run) and coarsegrain/node (type-checked only). */
const ENTRIES = [
  { label: 'root', module: 'coarsegrain', file: 'src/index.ts', run: true },
  { label: 'node', module: 'coarsegrain/node', file: 'src/node/index.ts', run: false },
] as const;
const docs = new Map<string, ExportDoc[]>();
let program: ReturnType<typeof exportDocs>['program'] | undefined;
/** Example code by `<entry label>.<name>`, of every export whose examples hold ```ts blocks (types too). */
const code = new Map<string, string>();
const dir = mkdtempSync(join(tmpdir(), 'cg-examples-'));

beforeAll(() => {
  const read = exportDocs(ENTRIES.map((e) => e.file));
  program = read.program;
  for (const [i, entry] of ENTRIES.entries()) {
    docs.set(entry.label, read.docs[i]!);
    for (const e of read.docs[i]!) {
      const text = e.examples.map(exampleCode).join('\n');
      if (text !== '') code.set(`${entry.label}.${e.name}`, text);
    }
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TSDoc of the root and node entries', () => {
  it('reads the names of the API report (test/package/api/<entry>.txt)', () => {
    for (const entry of ENTRIES) {
      const report = readFileSync(join(process.cwd(), `test/package/api/${entry.label}.txt`), 'utf8');
      const names = report.split('\n').flatMap((line) => line.trim().split(/\s+/).slice(1));
      expect(docs.get(entry.label)!.map((e) => e.name)).toEqual(names);
    }
  });

  for (const entry of ENTRIES) {
    it(`${entry.label}: every export has a doc comment`, () => {
      const undocumented = docs.get(entry.label)!.filter((e) => !e.documented);
      expect(undocumented.map((e) => `${e.name} (${e.file})`)).toEqual([]);
    });

    it(`${entry.label}: every function, class and constant has a \`\`\`ts @example importing it from '${entry.module}'`, () => {
      const missing = docs
        .get(entry.label)!
        .filter((e) => isValue(e) && !e.internal)
        .filter(
          (e) => !importedNames(code.get(`${entry.label}.${e.name}`) ?? '', entry.module).includes(e.name),
        )
        .map((e) => `${e.name} (${e.file})`);
      expect(missing).toEqual([]);
    });
  }

  it('the examples type-check against the package', () => {
    const errors = checkExamples(code, join(process.cwd(), 'test/package/examples'), program);
    expect(errors.map((d) => `${d.name}:${d.line}: ${d.message}`)).toEqual([]);
  }, 120_000);

  it("the cheap examples of the root entry run (types' too)", async () => {
    const failures: string[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {}); // the error examples print
    for (const [key, text] of code) {
      const [label, name] = key.split('.') as [string, string];
      if (!ENTRIES.find((e) => e.label === label)!.run || NOT_RUN.has(name)) continue;
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
