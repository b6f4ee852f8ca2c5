"""`forumguide serve`: the built site plus a stateless report service (Starlette on uvicorn).

POST /api/score   answers JSON → score JSON (computed here: pure, a few milliseconds)
POST /api/report  answers JSON (or {"current": answers, "previous": answers}) → board report PDF
GET  /api/status  what the service offers and whether a report can be taken now
GET  /healthz     the process answers (liveness)
GET  /readyz      200 when a report can be taken now, else 503 (readiness, for a load balancer)

Stateless by design: answers are checked, scored or rendered, returned, and forgotten. No request
body is stored or logged, so the service can run as several processes behind one address.

Every request is judged in this order, and every refusal is a 4xx with a one-line reason: method (405
with Allow), origin (403: another site's page may not post a visitor's answers here), media type (415:
only application/json, which a cross-site form cannot send), size (413), a body read within a time
limit (408), JSON with the value rules of `yamlsource` (400), the answers contract (400, the CLI's
messages). Renders run in `renderpool`, which heals itself; when it is full the service answers 503
with Retry-After at once instead of queueing without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import h11
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.protocols.http.h11_impl import H11Protocol

from .records.yamlsource import MAX_FILE_BYTES, Document, SourceError, excerpt, parse_json
from .report.renderpool import Busy, PoolSettings, RenderFailed, RenderPool, RenderTimeout, WorkerLost

log = logging.getLogger("forumguide.server")

MAX_BODY = MAX_FILE_BYTES  # one request carries what one answers file may hold
MAX_PROBLEMS = 50  # problems listed in one error response; the rest are counted


@dataclass
class Limits:
    workers: int = max(1, min(4, (os.cpu_count() or 2)))  # render processes of this serving process
    waiting: int = 4  # requests allowed to wait for a render process before 503
    timeout: float = 30.0  # seconds for one render
    retry_after: int = 5
    recycle_after: int = 200  # renders before a render process is replaced (bounds memory growth)
    body_timeout: float = 20.0  # seconds to receive a whole request body
    header_timeout: float = 10.0  # seconds to receive a request's headers (uvicorn, see serve())
    grace: float = 10.0  # seconds a stopping service gives renders in progress
    allowed_origins: tuple[str, ...] = ()  # more origins that may post (the site's own always may)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _error(
    status: int, message: str, problems: list[dict] | None = None, headers: dict | None = None
) -> Response:
    body: dict[str, Any] = {"message": message}
    if problems is not None:
        body["problems"] = problems
    return JSONResponse(body, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def _problem_dicts(problems: list) -> list[dict]:
    """Problems for a response: each quotes at most a short excerpt of the input, and the list is capped."""
    out = [
        {
            "field": excerpt(p.field, 120),
            "severity": p.severity,
            "message": excerpt(p.message, 400),
            "text": excerpt(str(p), 600),
        }
        for p in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        more = f"{len(problems) - MAX_PROBLEMS} more problems are not listed; correct these first."
        out.append({"field": "(whole file)", "severity": "error", "message": more, "text": more})
    return out


def _split(body: Any) -> tuple[Any, Any, tuple]:
    """(current answers, previous answers or None, path prefix of the current answers)."""
    if isinstance(body, dict) and "current" in body and "format" not in body:
        return body.get("current"), body.get("previous"), ("current",)
    return body, None, ()


class Service:
    """What the app needs at run time: the guidance, its scoring data and the render pool."""

    def __init__(self, root: Path, limits: Limits):
        from .audit.scoring import scoring_data
        from .records.load import load_guidance

        self.root = root
        self.limits = limits
        self.guidance = load_guidance(root)
        self.data = scoring_data(self.guidance)
        self.pool = RenderPool(
            root,
            PoolSettings(
                workers=limits.workers,
                waiting=limits.waiting,
                timeout=limits.timeout,
                recycle_after=limits.recycle_after,
            ),
        )

    def check(self, doc: Document) -> tuple[list[dict] | None, dict | None, dict | None, list]:
        """(error problems or None, checked current, checked previous, warnings) for a parsed body."""
        from .audit.answers import check_document
        from .records.problems import Problem

        current, previous, prefix = _split(doc.data)

        def part(name: str, data: Any, at: tuple) -> Document:
            inside = [
                (k[len(at) :], line)
                for k, line in doc.duplicate_keys
                if len(k) > len(at) and k[: len(at)] == at
            ]
            return Document(name, data, duplicate_keys=inside)

        checked = check_document(part(doc.file, current, prefix), self.root, self.data)
        problems = [
            Problem(doc.file, None, k[0], f"The field '{k[0]}' is written twice; keep one.")
            for k, _ in doc.duplicate_keys
            if prefix and len(k) == 1
        ]
        problems += checked.problems
        before = None
        if previous is not None:
            before = check_document(part("previous answers", previous, ("previous",)), self.root, self.data)
            problems += before.problems
        if (
            not checked.ok
            or (before is not None and not before.ok)
            or any(p.severity == "error" for p in problems)
        ):
            return _problem_dicts(problems), None, None, []
        return (
            None,
            checked.data,
            before.data if before else None,
            _problem_dicts([p for p in problems if p.severity == "warning"]),
        )

    def score(self, answers: dict) -> Any:
        from .audit.scoring import score

        return score(self.data, answers)


async def _read_body(request: Request, limits: Limits) -> bytes | Response:
    length = request.headers.get("content-length")
    too_large = _error(413, f"The request is larger than {MAX_BODY // 1000} kB.")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return too_large
    body = bytearray()
    try:
        async with asyncio.timeout(limits.body_timeout):
            async for chunk in request.stream():
                body.extend(chunk)
                if len(body) > MAX_BODY:
                    return too_large
    except TimeoutError:
        return _error(
            408,
            f"The request body did not arrive within {limits.body_timeout:.0f} seconds.",
            headers={"Connection": "close"},
        )
    return bytes(body)


def _same_origin(request: Request, allowed: tuple[str, ...]) -> bool:
    """Whether the request may come from where its Origin header says (no header: not a browser post
    from another site; browsers always send Origin on cross-site requests)."""
    origin = request.headers.get("origin")
    if origin is None:
        # Older browsers omit Origin on some requests but send Sec-Fetch-Site.
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc.lower() == host.lower()


def _json_media_type(request: Request) -> bool:
    media, _, params = request.headers.get("content-type", "").partition(";")
    charset = next(
        (
            p.split("=", 1)[1].strip().strip('"').lower()
            for p in params.split(";")
            if p.strip().lower().startswith("charset=")
        ),
        "utf-8",
    )
    return media.strip().lower() == "application/json" and charset in ("utf-8", "utf8")


def create_app(root: Path, site_dir: Path | None, limits: Limits | None = None) -> Starlette:
    limits = limits or Limits()
    state: dict[str, Service] = {}
    retry = {"Retry-After": str(limits.retry_after)}

    async def read_answers(request: Request) -> Response | tuple[Any, ...]:
        """The checked answers of a POST, or the response that refuses them."""
        body = await _read_body(request, limits)
        if isinstance(body, Response):
            return body
        service = state["service"]

        def parse_and_check() -> Response | tuple[Any, ...]:
            try:
                doc = parse_json(body, "answers")
            except SourceError as exc:
                message = excerpt(exc.message, 400)
                return _error(
                    400,
                    message,
                    [{"field": "(whole file)", "severity": "error", "message": message, "text": message}],
                )
            problems, current, previous, warnings = service.check(doc)
            if problems is not None:
                return _error(400, "The answers could not be used.", problems)
            return current, previous, warnings

        # In a thread: a large body takes a tenth of a second to check, and the event loop must keep
        # answering meanwhile (the GIL is handed over every few milliseconds).
        return await asyncio.to_thread(parse_and_check)

    async def api_score(request: Request) -> Response:
        outcome = await read_answers(request)
        if isinstance(outcome, Response):
            return outcome
        current, _, warnings = outcome
        result = state["service"].score(current)
        return JSONResponse({"result": result, "problems": warnings}, headers=SECURITY_HEADERS)

    async def api_report(request: Request) -> Response:
        outcome = await read_answers(request)
        if isinstance(outcome, Response):
            return outcome
        current, previous, _ = outcome
        job = json.dumps({"current": current, "previous": previous}).encode("utf-8")
        try:
            pdf = await state["service"].pool.render(job)
        except Busy:
            return _error(
                503, "The report service is busy. Please try again in a few seconds.", headers=retry
            )
        except WorkerLost:
            return _error(
                503, "The report could not be finished. Please try again in a few seconds.", headers=retry
            )
        except RenderTimeout:
            return _error(503, "Making the report took too long. Please try again.", headers=retry)
        except RenderFailed as exc:
            log.error("A report could not be rendered (%s).", exc)
            return _error(
                500, "The report could not be made: this is a fault in forumguide, not in your answers."
            )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="board-report.pdf"'},
        )

    async def api_status(request: Request) -> Response:
        pool = state["service"].pool
        return JSONResponse(
            {"service": "forumguide", "report": True, "ready": pool.ready, "render": pool.status()},
            headers=SECURITY_HEADERS,
        )

    api = {"/score": ("POST", api_score), "/report": ("POST", api_report), "/status": ("GET", api_status)}

    async def api_app(scope, receive, send) -> None:
        """Everything under /api/: JSON answers only, never the site's HTML pages."""
        request = Request(scope, receive)
        response = await dispatch(request)
        await response(scope, receive, send)

    async def dispatch(request: Request) -> Response:
        path, root_path = request.scope["path"], request.scope.get("root_path", "")
        name = path[len(root_path) :] if root_path and path.startswith(root_path) else path
        method, handler = api.get(name, (None, None))
        if handler is None:
            return _error(
                404,
                "There is no such API endpoint. The report service offers POST /api/score, "
                "POST /api/report and GET /api/status.",
            )
        allowed = "GET, HEAD" if method == "GET" else method
        if request.method not in allowed.split(", "):
            return _error(405, f"Use {method} for this address.", headers={"Allow": allowed})
        if not _same_origin(request, limits.allowed_origins):
            return _error(
                403,
                "Requests from other sites are not accepted: answers may only be sent from this "
                "site's own pages.",
            )
        if method == "POST" and not _json_media_type(request):
            return _error(415, "Send the answers as JSON, with Content-Type: application/json (UTF-8).")
        try:
            return await handler(request)
        except ClientDisconnect:
            log.info("A client disconnected before its request was complete (%s %s).", request.method, path)
            return Response(status_code=400)  # nobody is listening; uvicorn drops it

    async def healthz(request: Request) -> Response:
        return JSONResponse({"alive": True}, headers=SECURITY_HEADERS)

    async def readyz(request: Request) -> Response:
        ready = "service" in state and state["service"].pool.ready
        return JSONResponse(
            {"ready": ready},
            status_code=200 if ready else 503,
            headers={**SECURITY_HEADERS, **({} if ready else retry)},
        )

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Mount("/api", app=api_app),
    ]
    if site_dir is not None:
        routes.append(Mount("/", app=StaticFiles(directory=str(site_dir), html=True), name="site"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        # The guidance is read and checked in a thread so that this process can answer /healthz meanwhile.
        service = await asyncio.to_thread(Service, root, limits)
        service.pool.start()
        state["service"] = app.state.service = service
        try:
            yield
        finally:
            await service.pool.close(limits.grace)

    # Compressed responses for clients that accept them: pages, styles and scripts shrink about 4x.
    return Starlette(
        routes=routes, lifespan=lifespan, middleware=[Middleware(GZipMiddleware, minimum_size=1000)]
    )


# -- running it --------------------------------------------------------------------------------------


class HeaderTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol, plus a time limit for receiving a request's headers.

    uvicorn limits how long an idle keep-alive connection stays open, but not how long a client may
    take to send its headers, so slow clients could hold thousands of connections open. This closes a
    connection whose request line and headers have not all arrived `header_timeout` seconds after it
    opened (or after its previous response)."""

    header_timeout = Limits.header_timeout  # set by serve() and app_from_environment()
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm()
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # uvicorn's keep-alive timer takes over until the next request starts

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expire(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


_ENV = "FORUMGUIDE_SERVE"  # the settings of `serve --workers N`, for the app factory in each process


def app_from_environment() -> Starlette:
    """The app for one of several serving processes (`uvicorn ... --factory`), configured by `serve`."""
    settings = json.loads(os.environ[_ENV])
    limits = Limits(**{**settings["limits"], "allowed_origins": tuple(settings["limits"]["allowed_origins"])})
    HeaderTimeoutH11.header_timeout = limits.header_timeout
    return create_app(
        Path(settings["root"]), Path(settings["site_dir"]) if settings["site_dir"] else None, limits
    )


def uvicorn_settings(limits: Limits) -> dict[str, Any]:
    """Connection hygiene: the same for one serving process or several."""
    return {
        "http": HeaderTimeoutH11,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line and headers; the body has its own limit
        "limit_concurrency": 200,  # connections and requests at once; beyond it, 503 at once
        "backlog": 256,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": int(limits.timeout + limits.grace),
        "access_log": False,  # request lines hold no answers, but a stateless service has no need to keep them
        "log_level": "info",
        "log_config": _log_config(),
    }


def _log_config() -> dict[str, Any]:
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["forumguide"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(
    root: Path, site_dir: Path | None, host: str, port: int, limits: Limits | None = None, processes: int = 1
) -> None:
    """Serve until SIGINT or SIGTERM: then stop accepting, let running renders finish (up to the grace
    period), and end every child process."""
    import uvicorn

    limits = limits or Limits()
    settings = uvicorn_settings(limits)
    HeaderTimeoutH11.header_timeout = limits.header_timeout
    if processes <= 1:
        uvicorn.run(create_app(root, site_dir, limits), host=host, port=port, **settings)
        return
    os.environ[_ENV] = json.dumps(
        {"root": str(root), "site_dir": str(site_dir) if site_dir else None, "limits": asdict(limits)}
    )
    uvicorn.run(
        "forumguide.server:app_from_environment",
        factory=True,
        workers=processes,
        host=host,
        port=port,
        **settings,
    )
