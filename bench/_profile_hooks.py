"""Benchmark only: a gunicorn config file that profiles each worker's requests with cProfile
(CPU time, so other processes on the machine do not inflate it), skipping the first requests as a
warm-up, and writes <BENCH_PROFILE_DIR>/worker-<pid>.prof when the worker exits
(bench/intake.py --profile)."""

import cProfile
import os
import time

WARMUP_REQUESTS = int(os.environ.get("BENCH_PROFILE_WARMUP", "50"))
_state = {"requests": 0, "profiler": None}


def post_fork(server, worker):
    _state["profiler"] = cProfile.Profile(time.process_time)


def pre_request(worker, req):
    _state["requests"] += 1
    if _state["requests"] > WARMUP_REQUESTS:
        _state["profiler"].enable()


def post_request(worker, req, environ, resp):
    if _state["requests"] > WARMUP_REQUESTS:
        _state["profiler"].disable()


def worker_exit(server, worker):
    profiler, directory = _state["profiler"], os.environ.get("BENCH_PROFILE_DIR")
    if profiler is not None and directory and _state["requests"] > WARMUP_REQUESTS:
        profiler.dump_stats(os.path.join(directory, f"worker-{os.getpid()}.prof"))
        with open(os.path.join(directory, f"worker-{os.getpid()}.count"), "w") as handle:
            handle.write(str(_state["requests"] - WARMUP_REQUESTS))
