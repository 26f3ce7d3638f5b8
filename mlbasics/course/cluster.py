"""Grading through a Dask cluster: ``make autograde SCHEDULER=tcp://HOST:8786``.

The coordinator (``make autograde``) prepares every submission, sends each one to the cluster as a
task that carries the sanitized notebook and the submission's other files, and gets the executed
notebook back as the task's result. Workers (``dask worker``, package ``distributed``) therefore
need the course installed but no shared filesystem: no ``submitted/``, no gradebook. The
coordinator alone writes the gradebook, ``autograded/`` and the feedback pages.

A worker that dies mid-notebook takes no grade with it: the scheduler hands its tasks to another
worker, and the coordinator saves each submission's result exactly once, when its task completes.

:class:`Cluster` starts a scheduler and workers on loopback, for the tests and the benchmark.
"""

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CONNECT_TIMEOUT = 20  # seconds to reach the scheduler
WORKER_TIMEOUT = 60  # seconds to wait for a first worker


def _worker_report():
    """What a worker says about itself before grading: can it sandbox submissions? (Loading the
    grading code here, on every worker at once, spares the first notebooks that wait.)"""
    import nbclient  # noqa: F401

    from mlbasics.course import engine, sandbox  # noqa: F401

    return {"sandbox": sandbox.available(), "python": sys.version.split()[0]}


def connect(scheduler, *, sandbox=True):
    """A client of the scheduler at ``scheduler``, once it is reachable, has a worker, and every
    worker can run the course (and sandbox submissions, unless ``sandbox`` is off)."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise SystemExit(f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}: {err}). "
                         f"Start one with `dask scheduler` and pass its address, e.g. SCHEDULER=tcp://HOST:8786.")
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError:
            raise SystemExit(f"no Dask worker joined the scheduler at {scheduler} within {WORKER_TIMEOUT} s: "
                             f"start some with `dask worker {scheduler} --nthreads 1`.") from None
        try:
            reports = client.run(_worker_report)
        except Exception as err:
            raise SystemExit(f"the Dask workers at {scheduler} cannot run the course ({type(err).__name__}: "
                             f"{err}): install it on every worker (pip install -e . in a copy of the course) "
                             "and start `dask worker` from that environment.") from None
        lacking = sorted(addr for addr, report in reports.items() if not report["sandbox"])
        if sandbox and lacking:
            from mlbasics.course import sandbox as sb

            raise SystemExit(f"Dask worker(s) {', '.join(lacking)} cannot sandbox submissions: {sb.install_hint()}")
    except BaseException:
        client.close()
        raise
    return client


def submit(client, job, options):
    """Send one prepared submission to the cluster. The task carries everything it needs (its
    coordinator-side folder is left behind); its key is unique, so nothing is deduplicated."""
    travelling = dataclasses.replace(job, folder="")
    key = f"autograde-{job.assignment}-{job.student}-{uuid.uuid4().hex[:8]}"
    from mlbasics.course import engine

    return client.submit(engine.run, travelling, options, key=key, pure=False)


def as_completed(client, futures):
    from distributed import as_completed as completed

    return completed(list(futures), loop=client.loop)


def workers(client):
    return len(client.scheduler_info().get("workers", {}))


# ----------------------------------------------------------------------------------------------
# A cluster on this machine (tests, benchmark)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``dask scheduler`` and ``workers`` x ``dask worker`` (one thread each) on 127.0.0.1, as
    separate processes, exactly as an instructor starts them; stopped by :meth:`stop`."""

    def __init__(self, workers=2, nthreads=1, nanny=True, env=None):
        self.n = workers
        self.nthreads = nthreads
        self.nanny = nanny
        self.dir = Path(tempfile.mkdtemp(prefix="mlbasics-dask-"))
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.env = dict(os.environ, **(env or {}))
        self.procs = {}

    def _spawn(self, name, argv):
        log = open(self.dir / f"{name}.log", "w")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "dask"] + argv, cwd=self.dir, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def start_worker(self, name):
        self._spawn(name, ["worker", self.address, "--nthreads", str(self.nthreads), "--name", name,
                           "--no-dashboard", "--local-directory", str(self.dir / name),
                           "--nanny" if self.nanny else "--no-nanny"])

    def start(self, timeout=60):
        self._spawn("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"])
        for i in range(self.n):
            self.start_worker(f"worker{i}")
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(self.n, timeout=max(1, deadline - time.monotonic()))
                    return self
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the local Dask cluster did not start:\n{self.logs()}") from None
                time.sleep(0.3)

    def logs(self):
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.dir.glob("*.log")))

    def stop(self):
        import signal

        # Each process leads its own process group (a worker's nanny and worker process together).
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
            alive = [p for p in self.procs.values() if p.poll() is None]
            for proc in alive:
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + wait
            for proc in alive:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
