/**
 * One matrix type: no function of `coarsegrain` (nor of the node, parallel and distributed entries)
 * takes a flat array together with positional sizes, the `(data, m, n)` form whose swapped sizes pass
 * silently whenever the product is the same either way. A batch, a data set or a weight matrix is a `Matrix { data, rows, cols }`;
 * positional sizes live in the unchecked `coarsegrain/kernels` tier. Read by the TypeScript checker: a
 * parameter whose type is an array of numbers followed by a `number` parameter named like a size
 * (m, n, k, rows, cols, width, height, d, size). The few that remain are listed with their reason, so a
 * new one is a deliberate change (this test flags `gemm`, `thinSvd`, `topSingularTriplets`,
 * `qrOrthonormalize`, `gemmParallel` and `covarianceParallel` on their previous signatures).
 */
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/** Entry points checked, and the functions of each that still take positional sizes, with why. */
const ENTRIES: Record<string, { file: string; positional: Record<string, string> }> = {
  root: {
    file: 'src/index.ts',
    positional: {
      matrix: 'the checked constructor of the Matrix type itself (checks data.length === rows * cols)',
      symmetricEigen:
        'a square n x n matrix: one size, so nothing can be swapped (length checked against n^2)',
      topEigenpairs:
        'a square n x n matrix and the count k <= n: a swap of n and k fails the n^2 length check',
    },
  },
  node: { file: 'src/node/index.ts', positional: {} },
  parallel: { file: 'src/parallel/index.ts', positional: {} },
  distributed: { file: 'src/distributed/index.ts', positional: {} },
};

const SIZE_NAME = /^(m|n|k|d|rows|cols|width|height|size|dim)$/;

function isNumericArray(type: ts.Type, checker: ts.TypeChecker): boolean {
  const base = checker.getBaseConstraintOfType(type) ?? type;
  const parts = base.isUnion() ? base.types : [base];
  return parts.some((t) => {
    if (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) return false;
    const text = checker.typeToString(t);
    return (
      /^(Int8|Uint8|Uint8Clamped|Int16|Uint16|Int32|Uint32|Float32|Float64)Array/.test(text) ||
      /^(ArrayLike<number>|NumericArray|TypedArray|FloatArray|number\[\]|readonly number\[\])$/.test(text)
    );
  });
}

const found = new Map<string, string[]>();

beforeAll(() => {
  const files = Object.values(ENTRIES).map((e) => e.file);
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  for (const [label, { file }] of Object.entries(ENTRIES)) {
    const entry = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    const flagged = new Set<string>();
    for (const exported of checker.getExportsOfModule(entry)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Function)) continue;
      for (const decl of symbol.declarations ?? []) {
        if (!ts.isFunctionDeclaration(decl)) continue;
        let sawArray = false;
        for (const p of decl.parameters) {
          const type = checker.getTypeAtLocation(p);
          if (isNumericArray(type, checker)) sawArray = true;
          else if (
            sawArray &&
            ts.isIdentifier(p.name) &&
            SIZE_NAME.test(p.name.text) &&
            checker.typeToString(type) === 'number'
          )
            flagged.add(exported.getName());
        }
      }
    }
    found.set(label, [...flagged].sort());
  }
}, 60_000);

describe('one matrix type: positional sizes only in coarsegrain/kernels', () => {
  for (const [label, { file, positional }] of Object.entries(ENTRIES))
    it(`${label} (${file}): no function takes a flat array with positional sizes, except the listed ones`, () => {
      expect(found.get(label)).toEqual(Object.keys(positional).sort());
    });
});
