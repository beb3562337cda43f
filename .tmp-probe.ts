export function probe() {
  const fns: Record<string, (x: number) => number> = {
    exp: Math.exp, expm1: Math.expm1, log: (x) => Math.log(Math.abs(x) + 1e-300), log1p: (x) => Math.log1p(Math.abs(x)),
    tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, sqrt: (x) => Math.sqrt(Math.abs(x)), pow: (x) => Math.abs(x) ** 0.37,
    powi: (x) => 0.999 ** Math.round(Math.abs(x) * 100), atanh: (x) => Math.atanh(x / 31), sin: Math.sin, cos: Math.cos, atan2: (x) => Math.atan2(x, 1.7), hypot: (x) => Math.hypot(x, 0.3), cbrt: Math.cbrt, log2: (x) => Math.log2(Math.abs(x) + 1e-300), log10: (x) => Math.log10(Math.abs(x) + 1e-300), fround: (x) => Math.fround(x * 1.1),
  };
  const out: Record<string, number[]> = {};
  let s = 12345;
  const xs: number[] = [];
  for (let i = 0; i < 20000; i++) { s = (s * 1103515245 + 12345) % 2147483648; xs.push((s / 2147483648 - 0.5) * 30); }
  for (const [k, f] of Object.entries(fns)) out[k] = xs.map(f);
  return JSON.stringify(out);
}
