"""`forumguide serve`: the built site plus a stateless report service (Starlette on uvicorn).

POST /api/score   answers JSON → score JSON
POST /api/report  answers JSON (or {"current": answers, "previous": answers}) → board report PDF

Stateless by design: answers are checked, scored or rendered, returned, and forgotten. No request
body is stored or logged. Renders run in a bounded process pool with a timeout; when every slot is
taken the service answers 503 with Retry-After at once instead of queueing without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

MAX_BODY = 1_000_000  # bytes

# -- work done in the pool (top-level functions: they cross a process boundary) ------------------

_worker_state: dict[str, Any] = {}  # cache: this worker's guidance and scoring data, loaded once


def _worker_init(root: str) -> None:
    from .scoring import scoring_data
    from .cache import load

    g = load(Path(root))
    _worker_state.update(root=Path(root), g=g, data=scoring_data(g))
    # Warm the bibliography, fonts and parsers so that the first real request is not the slow one.
    from .report import warm
    warm(g)


def _check(payload: Any, name: str) -> tuple[dict | None, list[dict]]:
    from .answers import check_document
    from .yamlsource import Document

    checked = check_document(Document(file=name, data=payload), _worker_state["root"], _worker_state["data"])
    problems = [{"field": p.field, "severity": p.severity, "message": p.message, "text": str(p)} for p in checked.problems]
    return (checked.data if checked.ok else None), problems


def _split(body: Any) -> tuple[Any, Any]:
    if isinstance(body, dict) and "current" in body and "format" not in body:
        return body.get("current"), body.get("previous")
    return body, None


def work_score(body: Any) -> tuple[int, Any]:
    from .scoring import score

    answers, problems = _check(body, "answers")
    if answers is None:
        return 400, {"message": "The answers could not be scored.", "problems": problems}
    return 200, {"result": score(_worker_state["data"], answers), "problems": problems}


def work_report(body: Any) -> tuple[int, Any]:
    from .report import board_pdf

    current, previous = _split(body)
    answers, problems = _check(current, "answers")
    before, before_problems = (None, [])
    if previous is not None:
        before, before_problems = _check(previous, "previous answers")
    if answers is None or (previous is not None and before is None):
        return 400, {"message": "The report could not be made from these answers.", "problems": problems + before_problems}
    return 200, board_pdf(_worker_state["g"], answers, before)


# -- the app ---------------------------------------------------------------------------------------


@dataclass
class Limits:
    workers: int = max(1, min(4, (os.cpu_count() or 2)))
    waiting: int = 4  # requests allowed to wait for a worker before 503
    timeout: float = 30.0  # seconds for one render
    retry_after: int = 5


class Pool:
    """A process pool that admits at most workers + waiting jobs at a time."""

    def __init__(self, root: Path, limits: Limits):
        self.limits = limits
        # forkserver, not fork: a forked worker would inherit whatever the serving process holds open
        # (in tests, a browser driver's pipes), keeping those alive until the service stops.
        self.executor = ProcessPoolExecutor(max_workers=limits.workers, mp_context=multiprocessing.get_context("forkserver"),
                                            initializer=_worker_init, initargs=(str(root),))
        self.slots = asyncio.Semaphore(limits.workers + limits.waiting)

    async def run(self, fn, body: Any) -> tuple[int, Any] | None:
        """The worker's answer, or None when the pool is saturated (caller answers 503)."""
        if self.slots.locked():
            return None
        await self.slots.acquire()
        future = asyncio.get_running_loop().run_in_executor(self.executor, fn, body)
        # The slot is released when the job really ends, not when the caller stops waiting, so a
        # timed-out render still counts against the bound until its worker is free again.
        future.add_done_callback(lambda _: self.slots.release())
        return await asyncio.wait_for(asyncio.shield(future), self.limits.timeout)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


async def _read_json(request: Request) -> tuple[Any, Response | None]:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return None, JSONResponse({"message": f"The request is larger than {MAX_BODY // 1000} kB."}, status_code=413)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            return None, JSONResponse({"message": f"The request is larger than {MAX_BODY // 1000} kB."}, status_code=413)
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        return None, JSONResponse({"message": f"The request is not valid JSON{where}.",
                                   "problems": [{"field": "(whole file)", "severity": "error",
                                                 "message": f"The request is not valid JSON{where}."}]}, status_code=400)


def _busy(limits: Limits) -> Response:
    return JSONResponse({"message": "The report service is busy. Please try again in a few seconds."},
                        status_code=503, headers={"Retry-After": str(limits.retry_after)})


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def create_app(root: Path, site_dir: Path | None, limits: Limits | None = None) -> Starlette:
    limits = limits or Limits()
    state: dict[str, Pool] = {}

    async def handle(request: Request, fn) -> Response:
        body, error = await _read_json(request)
        if error is not None:
            return error
        try:
            outcome = await state["pool"].run(fn, body)
        except asyncio.TimeoutError:
            return JSONResponse({"message": "Making the report took too long. Please try again."}, status_code=503,
                                headers={"Retry-After": str(limits.retry_after)})
        if outcome is None:
            return _busy(limits)
        status, payload = outcome
        if isinstance(payload, bytes):
            return Response(payload, media_type="application/pdf", headers={
                **SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="board-report.pdf"'})
        return JSONResponse(payload, status_code=status, headers=SECURITY_HEADERS)

    async def api_score(request: Request) -> Response:
        return await handle(request, work_score)

    async def api_report(request: Request) -> Response:
        return await handle(request, work_report)

    async def api_status(request: Request) -> Response:
        return JSONResponse({"service": "forumguide", "report": True})

    routes = [
        Route("/api/score", api_score, methods=["POST"]),
        Route("/api/report", api_report, methods=["POST"]),
        Route("/api/status", api_status, methods=["GET"]),
    ]
    if site_dir is not None:
        routes.append(Mount("/", app=StaticFiles(directory=str(site_dir), html=True), name="site"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        state["pool"] = Pool(root, limits)
        try:
            yield
        finally:
            state["pool"].close()

    return Starlette(routes=routes, lifespan=lifespan)


def serve(root: Path, site_dir: Path, host: str, port: int, limits: Limits | None = None) -> None:
    import uvicorn

    app = create_app(root, site_dir, limits)
    # access_log off: request lines hold no answers, but a stateless service has no need to keep them.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
