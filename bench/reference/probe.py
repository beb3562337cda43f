"""Which reference packages this interpreter has, and which BLAS kernel and thread count numpy runs.

Imports only the standard library at top level, so it answers (with nulls) under any python3. Prints one
JSON object: python, executable, numpy, scipy, sklearn (versions or null), blas (list of
{library, version, kernel, threads}, from threadpoolctl when present, else read from the loaded OpenBLAS).
"""
import json
import platform
import sys


def version(name):
    try:
        module = __import__(name)
        return getattr(module, "__version__", "unknown")
    except Exception:
        return None


def openblas_from_maps():
    """Fallback without threadpoolctl: ask the OpenBLAS that numpy loaded for its core name and threads."""
    import ctypes

    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line})
    found = []
    for path in paths:
        lib = ctypes.CDLL(path)
        entry = {"library": path, "version": None, "kernel": None, "threads": None}
        for prefix in ("openblas_", "scipy_openblas_"):
            for suffix in ("", "64_"):
                core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                config = getattr(lib, f"{prefix}get_config{suffix}", None)
                if config is not None and entry["version"] is None:
                    config.restype = ctypes.c_char_p
                    entry["version"] = config().decode()
                if core is not None and entry["kernel"] is None:
                    core.restype = ctypes.c_char_p
                    entry["kernel"] = core().decode()
                if threads is not None and entry["threads"] is None:
                    threads.restype = ctypes.c_int
                    entry["threads"] = threads()
        found.append(entry)
    return found


def blas():
    if version("numpy") is None:
        return []
    import numpy  # noqa: F401  (loads the BLAS)

    try:
        from threadpoolctl import threadpool_info

        return [
            {
                "library": info.get("filepath"),
                "version": info.get("version"),
                "kernel": info.get("architecture"),
                "threads": info.get("num_threads"),
            }
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ]
    except ImportError:
        try:
            return openblas_from_maps()
        except Exception:
            return []


print(
    json.dumps(
        {
            "ok": True,
            "python": platform.python_version(),
            "executable": sys.executable,
            "numpy": version("numpy"),
            "scipy": version("scipy"),
            "sklearn": version("sklearn"),
            "blas": blas(),
        }
    )
)
