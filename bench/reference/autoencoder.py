"""One training epoch of a one-hidden-layer autoencoder with scikit-learn's MLPRegressor.

Parameters: n, d, hidden, batch, dtype, repeats. MLPRegressor(hidden_layer_sizes=(hidden,),
activation='logistic', solver='adam', batch_size=batch, max_iter=1) fit to (X, X) on uniform [0, 1) data:
the network of bench/autoencoder.bench.ts (sigmoid code, linear output, squared error, Adam), the same five
products per batch. scikit-learn also adds its default L2 penalty (alpha 1e-4) to loss and gradients.
"""
import warnings

import numpy as np

from _common import best_of, main, result


def run(p):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    n, d, hidden, batch, repeats = p["n"], p["d"], p["hidden"], p["batch"], p["repeats"]
    x = np.random.default_rng(1).random((n, d), dtype=np.dtype(p["dtype"]))
    model = MLPRegressor(
        hidden_layer_sizes=(hidden,),
        activation="logistic",
        solver="adam",
        learning_rate_init=1e-3,
        batch_size=batch,
        max_iter=1,
        shuffle=True,
        random_state=0,
    )

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch is not meant to converge
            model.fit(x, x)

    seconds = best_of(epoch, repeats)
    computed = str(model.coefs_[0].dtype)
    if not (0 < model.loss_ < 1):
        raise ValueError(f"MLPRegressor: implausible loss {model.loss_}")
    return [result("sklearn-mlp", seconds, repeats, f"scikit-learn MLPRegressor ({computed})", dtype=computed)]


if __name__ == "__main__":
    main(run)
