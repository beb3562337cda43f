"""Dense linear algebra with numpy (its BLAS/LAPACK, with the thread count the bench header states).

Parameters: op, repeats, and per op
  gemm  m, n, k, dtype      A (m x k) @ B (k x n)
  cov   n, d                np.cov of n x d samples (rows), float64
  eigh  d, matrix           np.linalg.eigh (values and vectors) of a d x d symmetric matrix: "random"
                            (X + X^T, X standard normal) or "covariance" (of n samples, default 10 d, with
                            the decaying per-feature scales exp(-j/60) of our covariance row)
  svd   m, n                np.linalg.svd(full_matrices=False) of an m x n standard normal matrix
"""
import numpy as np

from _common import best_of, main, result


def scaled_samples(n, d, rng):
    """n x d normal samples times exp(-j/60) per feature, plus 0.5: the data of our covariance row."""
    return rng.standard_normal((n, d)) * np.exp(-np.arange(d) / 60.0) + 0.5


def run(p):
    op, repeats = p["op"], p["repeats"]
    rng = np.random.default_rng(7)
    if op == "gemm":
        m, n, k, dtype = p["m"], p["n"], p["k"], np.dtype(p["dtype"])
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        c = np.empty((m, n), dtype)
        seconds = best_of(lambda: np.matmul(a, b, out=c), repeats)
        i, j = m - 1, n // 2
        if abs(float(c[i, j]) - float(a[i].astype(np.float64) @ b[:, j].astype(np.float64))) > 1e-3 * k:
            raise ValueError("numpy gemm: wrong product")
        return [result("gemm", seconds, repeats, f"numpy matmul {dtype}")]
    if op == "cov":
        x = scaled_samples(p["n"], p["d"], rng)
        seconds = best_of(lambda: np.cov(x, rowvar=False), repeats)
        return [result("cov", seconds, repeats, "numpy cov")]
    if op == "eigh":
        d = p["d"]
        if p["matrix"] == "covariance":
            a = np.cov(scaled_samples(p.get("n", 10 * d), d, rng), rowvar=False)
        else:
            x = rng.standard_normal((d, d))
            a = x + x.T
        seconds = best_of(lambda: np.linalg.eigh(a), repeats)
        values, vectors = np.linalg.eigh(a)
        if np.abs(a @ vectors[:, -1] - values[-1] * vectors[:, -1]).max() > 1e-8 * abs(values[-1]):
            raise ValueError("numpy eigh: residual too large")
        return [result("eigh", seconds, repeats, "numpy eigh")]
    if op == "svd":
        a = rng.standard_normal((p["m"], p["n"]))
        seconds = best_of(lambda: np.linalg.svd(a, full_matrices=False), repeats)
        return [result("svd", seconds, repeats, "numpy svd (thin)")]
    raise ValueError(f"unknown op {op!r}")


if __name__ == "__main__":
    main(run)
