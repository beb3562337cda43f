"""Shared by the reference scripts: parameters in, best-of-N timing, JSON out.

Protocol (read by bench/reference.ts): each script is run as ``python3 SCRIPT.py 'JSON'`` where JSON holds
its parameters; it prints exactly one JSON object on the last line of stdout:

    {"ok": true, "results": [{"id": ..., "seconds": ..., "repeats": ..., "label": ..., ...}]}
    {"ok": false, "error": "what went wrong"}

``seconds`` is the best wall time over ``repeats`` runs after one warm-up run, like the TypeScript rows (the
machine is shared: the best run is the least disturbed one).
"""
import json
import sys
import time
import traceback


def best_of(fn, repeats):
    """Best wall time in seconds of fn() over `repeats` runs after one warm-up run."""
    fn()
    best = float("inf")
    for _ in range(max(1, int(repeats))):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def result(id_, seconds, repeats, label, **extra):
    out = {"id": id_, "seconds": seconds, "repeats": repeats, "label": label}
    out.update(extra)
    return out


def main(run):
    """Parse argv[1] as JSON parameters, call run(params) -> list of results, print the JSON reply."""
    try:
        params = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
        reply = {"ok": True, "results": run(params)}
    except Exception as error:  # the bench prints the message; the traceback goes to stderr
        traceback.print_exc()
        reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.exit(0 if reply["ok"] else 1)
