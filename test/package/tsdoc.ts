/**
 * The TSDoc of an entry point, read by the TypeScript checker: for every exported name, its kind, whether
 * its declaration carries a doc comment, and the code blocks of its `@example` tags. Also compiles
 * example code as modules of their own against the package (the name `coarsegrain` mapped to `src/` by
 * the `paths` of tsconfig.json), so the docs test can type-check every example without writing files.
 */
import { resolve } from 'node:path';
import ts from 'typescript';

/** One exported name with its documentation. */
export interface ExportDoc {
  readonly name: string;
  /** 'function' | 'class' | 'const' | 'interface' | 'type' | 'enum' | 'namespace' | 'other'. */
  readonly kind: string;
  /** The file of its first declaration, relative to the working directory. */
  readonly file: string;
  /** True when the declaration has a doc comment with a summary. */
  readonly documented: boolean;
  /** The text of each `@example` tag. */
  readonly examples: readonly string[];
  /** True when tagged `@internal` (exported for another entry or layer, not for researchers). */
  readonly internal: boolean;
}

function kindOf(s: ts.Symbol): string {
  const f = s.flags;
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'other';
}

/** The compiler options of tsconfig.json (with its `paths`), for programs over virtual files. */
export function projectOptions(): ts.CompilerOptions {
  const path = resolve('tsconfig.json');
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error)
    throw new Error(`projectOptions: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, resolve('.'), undefined, path).options;
}

/**
 * The exports of each entry file (paths relative to the working directory) with their docs, sorted by
 * name, read by one program, which is returned too (pass it to {@link checkExamples} to reuse its files).
 */
export function exportDocs(entries: readonly string[]): { docs: ExportDoc[][]; program: ts.Program } {
  const program = ts.createProgram([...entries], {
    ...projectOptions(),
    noEmit: true,
    noUnusedLocals: false,
  });
  const checker = program.getTypeChecker();
  const cwd = resolve('.');
  const docs = entries.map((entry) => {
    const file = program.getSourceFile(entry);
    if (file === undefined) throw new Error(`exportDocs: ${entry}: not found`);
    const module = checker.getSymbolAtLocation(file);
    if (module === undefined) return [];
    return checker
      .getExportsOfModule(module)
      .map((alias) => {
        const s = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
        const summary = ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
        const tags = s.getJsDocTags(checker);
        const examples = tags.filter((t) => t.name === 'example').map((t) => ts.displayPartsToString(t.text));
        const declared = s.declarations?.[0]?.getSourceFile().fileName ?? '';
        return {
          name: alias.getName(),
          kind: kindOf(s),
          file: declared.startsWith(cwd) ? declared.slice(cwd.length + 1) : declared,
          documented: summary.length > 0,
          examples,
          internal: tags.some((t) => t.name === 'internal'),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
  return { docs, program };
}

/** The code of the fenced ```ts (or ```typescript) blocks of an example text, joined; '' when none. */
export function exampleCode(example: string): string {
  const blocks = [...example.matchAll(/```(?:ts|typescript)[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.join('\n');
}

/** One diagnostic of an example: the example's name, the line inside its code, the message. */
export interface ExampleDiagnostic {
  readonly name: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Type-checks each example as a module of its own (strict, the project's options), all in one program.
 * `examples` maps a name to its code; the result lists every error, `[]` when all compile. `oldProgram`
 * (same options) lends its parsed source files.
 */
export function checkExamples(
  examples: ReadonlyMap<string, string>,
  dir: string,
  oldProgram?: ts.Program,
): ExampleDiagnostic[] {
  const options = { ...projectOptions(), noEmit: true, noUnusedLocals: false };
  const files = new Map<string, string>();
  for (const [name, code] of examples) files.set(resolve(dir, `${name}.example.ts`), code);
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const text = files.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, language, onError, create)
      : ts.createSourceFile(f, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host, oldProgram);
  const out: ExampleDiagnostic[] = [];
  const names = [...examples.keys()];
  for (const [i, f] of [...files.keys()].entries()) {
    const source = program.getSourceFile(f)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const d of diagnostics)
      out.push({
        name: names[i]!,
        line: d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1,
        message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
      });
  }
  return out;
}
