"""The report service's render processes: a small pool that heals itself.

Each worker is a child process (`python -m forumguide.report.renderpool ROOT`) that loads the guidance,
warms WeasyPrint, and then renders board reports one at a time: checked answers arrive as JSON on its
standard input, the PDF leaves on its standard output, each in a length-prefixed frame. The serving
process checks and scores answers itself; only rendering, which takes about a second of CPU, comes
here.

Why plain child processes and not `concurrent.futures.ProcessPoolExecutor`: one worker killed by the
kernel (out of memory, a crash in a native library) breaks an executor for good, and a render past its
timeout cannot be stopped in it. Here every worker is watched on its own: when one exits for any
reason it is replaced; a render past the timeout is stopped by ending its worker; a worker is retired
after `recycle_after` renders so that slow growth of memory stays bounded. A request that meets a
failing worker gets `WorkerLost` or `RenderTimeout` (the service answers 503 with Retry-After), and its
admission slot is released in every case. No semaphores, no forkserver, no resource tracker: on
shutdown, ending the children is all there is to clean up.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import signal
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("forumguide.server")

_HEADER = struct.Struct(">cI")  # kind (one byte) and payload length
READY, JOB, PDF, FAILED = b"R", b"J", b"P", b"F"
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
RENDER_NICENESS = 5  # a lower CPU priority than the serving process (about a third of its share)
STARTUP_TIMEOUT = 180.0  # seconds for a worker to load the guidance and WeasyPrint on a busy machine


class Busy(Exception):
    """Every worker is busy and the waiting line is full (or the pool is stopping)."""


class WorkerLost(Exception):
    """The worker rendering this request died (killed, crashed); it is being replaced."""


class RenderTimeout(Exception):
    """The render took longer than the limit; its worker was ended and is being replaced."""


class RenderFailed(Exception):
    """The renderer raised an error for checked answers: a bug in forumguide, not in the request."""


@dataclass
class PoolSettings:
    workers: int = 2
    waiting: int = 4  # requests allowed to wait for a worker before the pool answers Busy
    timeout: float = 30.0  # seconds for one render, and at most as long again waiting for a worker
    recycle_after: int = 200  # renders before a worker is replaced by a fresh one


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.renders = 0
        self.busy = False

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    def retire(self) -> None:
        """Ask the worker to exit when idle: end of its input."""
        with contextlib.suppress(OSError, RuntimeError):
            self.process.stdin.close()

    async def render(self, payload: bytes) -> bytes:
        try:
            self.process.stdin.write(_HEADER.pack(JOB, len(payload)) + payload)
            await self.process.stdin.drain()
            kind, body = await _read_frame(self.process.stdout)
        except (OSError, asyncio.IncompleteReadError, RuntimeError) as exc:
            raise WorkerLost from exc
        if kind == PDF:
            return body
        if kind == FAILED:
            raise RenderFailed(body.decode("utf-8", "replace"))
        raise WorkerLost(f"unexpected frame {kind!r}")


async def _read_frame(stream: asyncio.StreamReader) -> tuple[bytes, bytes]:
    kind, length = _HEADER.unpack(await stream.readexactly(_HEADER.size))
    return kind, await stream.readexactly(length)


class RenderPool:
    """At most `workers` renders at once and `waiting` more in line; the rest are refused at once."""

    def __init__(self, root: Path, settings: PoolSettings):
        self.root = root
        self.settings = settings
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._workers: set[_Worker] = set()  # started and not yet exited
        self._starting = 0
        self._admitted = 0
        self._tasks: set[asyncio.Task] = set()
        self._processes: set[asyncio.subprocess.Process] = set()  # every child, started or starting
        self._closing = False
        self._failures = 0  # consecutive failed starts, for back-off

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        for _ in range(self.settings.workers):
            self._spawn()

    def _spawn(self, delay: float = 0.0) -> None:
        if self._closing:
            return
        self._starting += 1
        task = asyncio.get_running_loop().create_task(self._run_worker(delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_worker(self, delay: float) -> None:
        """Start one worker, offer it for renders, and when it exits for any reason start another."""
        worker = process = None
        try:
            if delay:
                await asyncio.sleep(delay)
            env = dict(os.environ)
            # The worker must import this same package, even when it is run from a source tree.
            env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "forumguide.report.renderpool",
                str(self.root),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
            self._processes.add(process)
            try:
                kind, _ = await asyncio.wait_for(_read_frame(process.stdout), STARTUP_TIMEOUT)
            except (TimeoutError, asyncio.IncompleteReadError, OSError):
                kind = None
            if kind == READY and not self._closing:
                worker = _Worker(process)
            self._starting -= 1
            if worker is not None:
                self._failures = 0
                self._workers.add(worker)
                self._offer(worker)
            else:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            await process.wait()
        except OSError as exc:  # the interpreter could not be started at all
            self._starting -= 1
            log.warning("A render worker could not be started (%s).", exc.strerror)
        except asyncio.CancelledError:
            if worker is None and process is not None and process not in self._workers:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            raise
        finally:
            if worker is not None:
                self._workers.discard(worker)
                with contextlib.suppress(ValueError):
                    self._idle.remove(worker)
            if process is not None and process.returncode is not None:
                self._processes.discard(process)
        if self._closing:
            return
        if worker is None:
            self._failures += 1
            delay = min(30.0, 0.5 * 2 ** min(self._failures, 6))
            log.warning(
                "A render worker failed to start (exit status %s); trying again in %.0f s.",
                getattr(process, "returncode", None),
                delay,
            )
            self._spawn(delay)
        else:
            if process.returncode != 0 and not worker.busy:
                log.warning(
                    "A render worker exited (status %s) while idle; starting a new one.", process.returncode
                )
            self._spawn()

    async def close(self, grace: float = 10.0) -> None:
        """Stop taking renders, let those running finish for up to `grace` seconds, end every child."""
        self._closing = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.cancel()
        deadline = time.monotonic() + grace
        while any(w.busy for w in self._workers) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for process in list(self._processes):
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        for task in list(self._tasks):
            task.cancel()
        for process in list(self._processes):
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- state -----------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True when a render request now would be taken: a worker is up and the line is not full."""
        return (
            not self._closing
            and bool(self._workers)
            and self._admitted < len(self._workers) + self.settings.waiting
        )

    def status(self) -> dict[str, Any]:
        busy = sum(1 for w in self._workers if w.busy)
        return {
            "ready": self.ready,
            "workers": len(self._workers),
            "starting": self._starting,
            "busy": busy,
            "waiting": max(0, self._admitted - busy),
        }

    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.returncode is None]

    # -- rendering -------------------------------------------------------------------------------

    def _offer(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _take(self) -> _Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive:
                return worker
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait({waiter}, timeout=self.settings.timeout)
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._offer(waiter.result())
            waiter.cancel()
            raise
        if waiter.done() and not waiter.cancelled():
            return waiter.result()
        waiter.cancel()
        raise Busy

    async def render(self, payload: bytes) -> bytes:
        """The PDF for one JSON job ({"current": answers, "previous": answers or null})."""
        if self._closing or not self._workers and not self._starting:
            raise Busy
        if self._admitted >= len(self._workers) + self._starting + self.settings.waiting:
            raise Busy
        self._admitted += 1
        try:
            worker = await self._take()
            while not worker.alive:  # died between being offered and taken
                worker = await self._take()
            worker.busy = True
            try:
                pdf = await asyncio.wait_for(worker.render(payload), self.settings.timeout)
            except TimeoutError:
                worker.kill()
                log.warning(
                    "A render took longer than %.0f s; its worker was ended and is being replaced.",
                    self.settings.timeout,
                )
                raise RenderTimeout from None
            except WorkerLost:
                worker.kill()
                log.warning("A render worker died during a render; it is being replaced.")
                raise
            except BaseException:
                # Cancelled mid-render (the service is stopping) or failed: the worker's pipes may be
                # half-way through a frame, so it cannot be trusted with another job.
                worker.kill()
                raise
            finally:
                worker.busy = False
            worker.renders += 1
            if worker.renders >= self.settings.recycle_after or self._closing:
                worker.retire()
            else:
                self._offer(worker)
            return pdf
        finally:
            self._admitted -= 1


# -- the worker process ----------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: the kernel ends this worker if the serving process dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request above: nobody will send work
        from ..speedups import exit_now

        exit_now(0)


def main(root: str) -> None:
    """Render jobs from standard input until it closes. Standard output carries only frames."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group; the server decides
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to the log, not into the frames
    source = sys.stdin.buffer
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    from ..records.load import load_guidance
    from ..speedups import exit_now
    from . import board_pdf, warm

    g = load_guidance(Path(root))
    warm(g)

    def send(kind: bytes, body: bytes) -> None:
        channel.write(_HEADER.pack(kind, len(body)) + body)
        channel.flush()

    # Renders yield the CPU to the serving process, so that scores, probes and uploads are answered at
    # once while every core renders (benchmarks/load.py on 2 busy cores: score p95 229 ms before, 68 ms
    # after). Only after the warm-up: a replacement worker should come back as fast as it can.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(RENDER_NICENESS)
    send(READY, b"")
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            break  # the service closed our input: retire
        _, length = _HEADER.unpack(header)
        job = json.loads(source.read(length))
        try:
            pdf = board_pdf(g, job["current"], job.get("previous"))
        except Exception as exc:  # noqa: BLE001 - reported to the service in one line, then the next job
            send(FAILED, type(exc).__name__.encode())
            continue
        send(PDF, pdf)
    channel.close()
    exit_now(0)  # a retiring worker has nothing to save: skip the interpreter's teardown of the model


if __name__ == "__main__":
    main(sys.argv[1])
