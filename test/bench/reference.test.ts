/**
 * The bench's reference protocol (bench/reference.ts): parsing what the numpy / scikit-learn scripts and
 * the C kernels print, the choice of interpreter and its fallback when none has the packages. No timing
 * is asserted; one real script runs at a tiny size when a python3 with numpy exists.
 */
import { describe, expect, it } from 'vitest';
import {
  choosePython,
  type PythonInfo,
  parseCResult,
  parseProbeReply,
  parseReferenceReply,
  pick,
  probeInterpreter,
  pythonCandidates,
  ReferenceProtocolError,
  referenceEnv,
  runPythonScript,
} from '../../bench/reference.js';

const info = (command: string, numpy: string | null, sklearn: string | null): PythonInfo => ({
  command,
  executable: `/usr/bin/${command}`,
  python: '3.11.2',
  numpy,
  scipy: null,
  sklearn,
  blas: [],
});

describe('parseReferenceReply', () => {
  it('reads the last JSON line, after any other output', () => {
    const out = [
      'a warning printed by a package',
      '{"ok": true, "results": [{"id": "cov", "seconds": 0.087, "repeats": 3, "label": "numpy cov"},',
      '{"ok": true, "results": [{"id": "cov", "seconds": 0.087, "repeats": 3, "label": "numpy cov", "dtype": "float64"}]}',
      '',
    ].join('\n');
    expect(parseReferenceReply(out, 'linalg.py')).toEqual([
      { id: 'cov', seconds: 0.087, repeats: 3, label: 'numpy cov', dtype: 'float64' },
    ]);
  });

  it("reports a script's own failure with its message", () => {
    const out = '{"ok": false, "error": "ModuleNotFoundError: No module named \'sklearn\'"}\n';
    expect(() => parseReferenceReply(out, 'autoencoder.py')).toThrow(
      "autoencoder.py: ModuleNotFoundError: No module named 'sklearn'",
    );
  });

  it('rejects output that breaks the protocol', () => {
    const bad = [
      '',
      'Traceback (most recent call last):',
      '{"ok": true, "results": [',
      '[1, 2]',
      '{"ok": true, "results": []}',
      '{"ok": true}',
      '{"ok": true, "results": [{"id": "x", "seconds": 0, "repeats": 1, "label": "l"}]}',
      '{"ok": true, "results": [{"id": "x", "seconds": -1, "repeats": 1, "label": "l"}]}',
      '{"ok": true, "results": [{"id": "x", "seconds": "fast", "repeats": 1, "label": "l"}]}',
      '{"ok": true, "results": [{"id": "x", "seconds": 1, "repeats": 0, "label": "l"}]}',
      '{"ok": true, "results": [{"seconds": 1, "repeats": 1, "label": "l"}]}',
    ];
    for (const text of bad) expect(() => parseReferenceReply(text, 's.py')).toThrow(ReferenceProtocolError);
  });
});

describe('parseProbeReply', () => {
  it('keeps versions, nulls for missing packages, and the BLAS kernel and threads', () => {
    const out =
      '{"ok": true, "python": "3.11.7", "executable": "/opt/py/bin/python3", "numpy": "2.4.6", "scipy": null, ' +
      '"sklearn": null, "blas": [{"library": "/x/libopenblas.so", "version": "0.3.31", "kernel": "Haswell", "threads": 2}]}';
    expect(parseProbeReply(out, 'python3')).toEqual({
      command: 'python3',
      executable: '/opt/py/bin/python3',
      python: '3.11.7',
      numpy: '2.4.6',
      scipy: null,
      sklearn: null,
      blas: [{ library: '/x/libopenblas.so', version: '0.3.31', kernel: 'Haswell', threads: 2 }],
    });
  });
});

describe('choosing the interpreter', () => {
  it('tries $COARSEGRAIN_PYTHON, then python3, then /usr/bin/python3, without repeats', () => {
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
    expect(pythonCandidates({ COARSEGRAIN_PYTHON: '/opt/py/bin/python' })).toEqual([
      '/opt/py/bin/python',
      'python3',
      '/usr/bin/python3',
    ]);
    expect(pythonCandidates({ COARSEGRAIN_PYTHON: '/usr/bin/python3' })).toEqual([
      '/usr/bin/python3',
      'python3',
    ]);
    expect(pythonCandidates({ COARSEGRAIN_PYTHON: 'none' })).toEqual([]);
    expect(choosePython([], probeInterpreter)).toEqual({ full: null, numpy: null, tried: [] });
  });

  it('takes the first with numpy and scikit-learn for every row', () => {
    const probes: Record<string, PythonInfo | string> = {
      a: 'not found',
      b: info('b', '2.4', null),
      c: info('c', '1.24', '1.2'),
      d: info('d', '1.26', '1.4'),
    };
    const c = choosePython(['a', 'b', 'c', 'd'], (cmd) => probes[cmd]!);
    expect(c.full?.command).toBe('c');
    expect(c.numpy?.command).toBe('c');
    expect(c.tried).toEqual([
      'a: not found',
      'b: python 3.11.2, numpy 2.4, scikit-learn missing',
      'c: python 3.11.2, numpy 1.24, scikit-learn 1.2',
    ]);
  });

  it('falls back to a numpy-only interpreter for the numpy rows', () => {
    const c = choosePython(['a', 'b'], (cmd) =>
      cmd === 'a' ? info('a', null, null) : info('b', '2.4', null),
    );
    expect(c.full).toBeNull();
    expect(c.numpy?.command).toBe('b');
  });

  it('finds nothing when no candidate runs, and says why for each', () => {
    const c = choosePython(['/nonexistent/python3'], probeInterpreter);
    expect(c).toEqual({ full: null, numpy: null, tried: ['/nonexistent/python3: not found'] });
    // the rows then carry the reason in place of the figure
    const none = pick({ ok: false, missing: 'no python3 with numpy' }, 'cov');
    expect(none.seconds).toBeNaN();
    expect(none.label).toBe('(no python3 with numpy)');
  });

  it('runs the child without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, keeping the rest', () => {
    const env = referenceEnv({ OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '262144', PATH: '/bin' });
    expect(env).toEqual({ PATH: '/bin', PYTHONDONTWRITEBYTECODE: '1' });
  });
});

describe('pick', () => {
  const outcome = {
    ok: true as const,
    results: [{ id: 'numpy-single', seconds: 0.002, repeats: 3, label: 'numpy' }],
  };
  it('finds a result by id, and names an optional result that is absent', () => {
    expect(pick(outcome, 'numpy-single')).toEqual({ seconds: 0.002, label: 'numpy' });
    const scipy = pick(outcome, 'scipy-ensemble', 'no scipy');
    expect(scipy.seconds).toBeNaN();
    expect(scipy.label).toBe('(no scipy)');
  });
});

describe('parseCResult', () => {
  it('reads the RESULT line of ising_ref', () => {
    const out =
      'RESULT\tising2d.wolff.L64\tC gcc -O3 -march=native\t5.05e+07\t4.9e+07\t5.1e+07\tspins flipped/s\t5\tT=Tc, 50000000 flips\n';
    expect(parseCResult(out, 'wolff')).toEqual({
      id: 'ising2d.wolff.L64',
      median: 5.05e7,
      min: 4.9e7,
      max: 5.1e7,
      unit: 'spins flipped/s',
      note: 'T=Tc, 50000000 flips',
    });
  });
  it('rejects a missing or malformed RESULT line', () => {
    expect(() => parseCResult('usage: ising_ref ...\n', 'x')).toThrow(ReferenceProtocolError);
    expect(() => parseCResult('RESULT\tid\ttool\tnan\t1\t2\tu\t5\tnote\n', 'x')).toThrow(
      ReferenceProtocolError,
    );
  });
});

// a real script at a tiny size, when this machine has a python3 with numpy
const numpyPython = choosePython(pythonCandidates(), probeInterpreter).numpy;
describe.runIf(numpyPython !== null)('a reference script end to end', () => {
  it('linalg.py times numpy gemm and answers in the protocol', () => {
    const results = runPythonScript(numpyPython!.command, 'linalg.py', {
      op: 'gemm',
      m: 8,
      n: 6,
      k: 5,
      dtype: 'float32',
      repeats: 1,
    });
    expect(results).toHaveLength(1);
    expect(results[0]!.id).toBe('gemm');
    expect(results[0]!.seconds).toBeGreaterThan(0);
    expect(results[0]!.label).toBe('numpy matmul float32');
  });
  it('a bad parameter comes back as the script error', () => {
    expect(() => runPythonScript(numpyPython!.command, 'linalg.py', { op: 'qr', repeats: 1 })).toThrow(
      "linalg.py: ValueError: unknown op 'qr'",
    );
  });
});
