"""Spin-spin correlator of 2D lattices through real FFTs: rfft2 -> |.|^2 -> irfft2, with numpy and scipy.

Parameters: L, count (lattices in the ensemble), repeats. Spins are random +-1 (int8, like ours).
Results, in seconds per lattice: "numpy-ensemble" and "scipy-ensemble" (rfft2 of all `count` lattices at
once, |.|^2 averaged over the ensemble, one irfft2) and "numpy-single" (one lattice).
"""
import numpy as np

from _common import best_of, main, result


def run(p):
    size, count, repeats = p["L"], p["count"], p["repeats"]
    spins = np.where(np.random.default_rng(1).random((count, size, size)) < 0.5, 1, -1).astype(np.int8)
    n = size * size

    def correlator(fft, lattices):
        f = fft.rfft2(lattices, axes=(-2, -1))
        power = (f.real**2 + f.imag**2).mean(axis=0)
        g = fft.irfft2(power, s=(size, size)) / n
        if abs(g[0, 0] - 1) > 1e-9:
            raise ValueError("correlator: G(0) != 1")
        return g

    out = [
        result("numpy-ensemble", best_of(lambda: correlator(np.fft, spins), repeats) / count, repeats,
               "numpy rfft2 ensemble"),
        result("numpy-single", best_of(lambda: correlator(np.fft, spins[:1]), repeats), repeats,
               "numpy rfft2 single"),
    ]
    try:
        import scipy.fft
    except ImportError:
        return out
    out.append(result("scipy-ensemble", best_of(lambda: correlator(scipy.fft, spins), repeats) / count,
                      repeats, "scipy.fft rfft2 ensemble"))
    return out


if __name__ == "__main__":
    main(run)
