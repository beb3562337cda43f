/**
 * The public surface of an entry point, read by the TypeScript checker: every exported name with its
 * kind (function, const, class, type, interface, enum, namespace), sorted. Used by the API report test.
 */
import ts from 'typescript';

/** One exported name and its kind. */
export interface ExportEntry {
  readonly name: string;
  readonly kind: string;
}

function kindOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const s = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
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

/** The sorted exports of each entry file (paths relative to the working directory). */
export function exportLists(entries: readonly string[]): ExportEntry[][] {
  const program = ts.createProgram([...entries], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const file = program.getSourceFile(entry);
    if (file === undefined) throw new Error(`exportLists: ${entry}: not found`);
    const module = checker.getSymbolAtLocation(file);
    if (module === undefined) return [];
    return checker
      .getExportsOfModule(module)
      .map((s) => ({ name: s.getName(), kind: kindOf(s, checker) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
}
