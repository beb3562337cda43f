"""One CD-1 epoch of a binary RBM: a plain numpy loop, and scikit-learn's BernoulliRBM.

Parameters: impl ("numpy" | "sklearn"), data (path of an n x d uint8 file of 0/1 pixels, the very data of
our row), n, d, hidden, batch, dtype ("float32" | "float64"), repeats. Both run one epoch over all n rows
in minibatches of `batch`; the result is the best epoch time.
"""
import numpy as np

from _common import best_of, main, result


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_epoch(x, w, a, b, dw, batch, rng, lr=0.05, momentum=0.5):
    """CD-1 with binary units, SGD with momentum: the five products of our row, all in x's dtype."""
    dtype = x.dtype
    for start in range(0, x.shape[0], batch):
        v0 = x[start : start + batch]
        ph0 = sigmoid(v0 @ w + b)
        h0 = (rng.random(ph0.shape, dtype=dtype) < ph0).astype(dtype)
        pv1 = sigmoid(h0 @ w.T + a)
        v1 = (rng.random(pv1.shape, dtype=dtype) < pv1).astype(dtype)
        ph1 = sigmoid(v1 @ w + b)
        dw *= momentum
        dw += (lr / batch) * (v0.T @ ph0 - v1.T @ ph1)
        w += dw
        a += (lr / batch) * (v0 - v1).sum(axis=0)
        b += (lr / batch) * (ph0 - ph1).sum(axis=0)


def run(p):
    n, d, hidden, batch, repeats = p["n"], p["d"], p["hidden"], p["batch"], p["repeats"]
    dtype = np.dtype(p["dtype"])
    x = np.fromfile(p["data"], dtype=np.uint8, count=n * d).reshape(n, d).astype(dtype)
    if p["impl"] == "numpy":
        rng = np.random.default_rng(1)
        w = (0.01 * rng.standard_normal((d, hidden))).astype(dtype)
        a, b, dw = np.zeros(d, dtype), np.zeros(hidden, dtype), np.zeros_like(w)
        seconds = best_of(lambda: numpy_epoch(x, w, a, b, dw, batch, rng), repeats)
        if not np.isfinite(w).all() or w.dtype != dtype:
            raise ValueError("numpy CD-1 produced non-finite or wrongly typed weights")
        return [result("numpy-cd1", seconds, repeats, f"numpy CD-1 {dtype}", dtype=str(w.dtype))]
    from sklearn.neural_network import BernoulliRBM

    model = BernoulliRBM(n_components=hidden, learning_rate=0.05, batch_size=batch, n_iter=1, random_state=0)
    seconds = best_of(lambda: model.fit(x), repeats)
    computed = str(model.components_.dtype)  # the dtype scikit-learn actually trained in
    if not np.isfinite(model.components_).all():
        raise ValueError("BernoulliRBM produced non-finite weights")
    return [result("sklearn-rbm", seconds, repeats, f"scikit-learn BernoulliRBM ({computed})", dtype=computed)]


if __name__ == "__main__":
    main(run)
