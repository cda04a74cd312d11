"""A local HTTP server with a JSON API, so that editors' tools and CI runners pay start-up once.

In the spirit of LanguageTool's server: the process loads the encoder, the model and the
language resources on the first request and keeps them.

``GET /health``
    ``{"status": "ok", "mtlint_version": ..., "encoder": ...}``
``POST /check``
    ``{"source": TEXT, "target": TEXT, "source_lang": "en", "target_lang": "de"}`` (languages
    optional) -> the JSON report of ``mtlint check --format json``.
``POST /pairs``
    ``{"rows": [{"source": ..., "target": ..., "id": ...}, ...], "source_lang": ..., "target_lang": ...}``
    -> ``{"results": [...]}``, one entry per row as ``mtlint pairs`` writes them.

Requests are bounded (``max_bytes``, else 413) and answered within ``timeout`` seconds (else
504). Checks run one at a time (the model is shared); errors are JSON ``{"error": ...}`` with
status 400. The server listens on 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import __version__
from .api import Checker
from .errors import MtlintError

MAX_BYTES = 8 * 2**20     # a request body larger than this is refused (413)
TIMEOUT = 300.0           # seconds a request may take, reading included


class _Handler(BaseHTTPRequestHandler):
    server: "CheckServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: a library never prints; the CLI reports the address
        pass

    def _send(self, status: int, payload: dict) -> None:
        body = (json.dumps(payload, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.split("?")[0] == "/health":
            self._send(HTTPStatus.OK, {"status": "ok", "mtlint_version": __version__,
                                       "encoder": self.server.checker.encoder.model_id})
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: GET {self.path[:100]}"})

    def do_POST(self):
        route = {"/check": self.server.check, "/pairs": self.server.pairs}.get(self.path.split("?")[0])
        if route is None:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: POST {self.path[:100]}"})
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(HTTPStatus.LENGTH_REQUIRED, {"error": "a JSON body with a Content-Length is required"})
            return
        if length > self.server.max_bytes or length < 0:
            self.close_connection = True
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                       {"error": f"request body of {length} bytes; the limit is {self.server.max_bytes}"})
            return
        try:
            request = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(request, dict):
                raise ValueError("the body must be a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(HTTPStatus.BAD_REQUEST, {"error": f"bad JSON: {exc}"})
            return
        future = self.server.executor.submit(route, request)
        try:
            self._send(HTTPStatus.OK, future.result(timeout=self.server.timeout))
        except FutureTimeout:
            self._send(HTTPStatus.GATEWAY_TIMEOUT, {"error": f"not answered within {self.server.timeout:g} s"})
        except (MtlintError, ValueError, TypeError, KeyError) as exc:
            self._send(HTTPStatus.BAD_REQUEST, {"error": str(exc) or type(exc).__name__})


def _text(request: dict, key: str) -> str:
    value = request.get(key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string")
    return value


def _language(request: dict, key: str) -> str | None:
    value = request.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{key}' must be a language code")
    return value


class CheckServer(ThreadingHTTPServer):
    """The HTTP server around one :class:`~mtlint.api.Checker`."""

    daemon_threads = True

    def __init__(self, checker: Checker, host: str = "127.0.0.1", port: int = 8081, *,
                 max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT):
        self.checker = checker
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.executor = ThreadPoolExecutor(max_workers=1)  # one check at a time: one model
        self._closed = threading.Event()
        super().__init__((host, port), _Handler)

    def check(self, request: dict) -> dict:
        return self.checker.check(_text(request, "source"), _text(request, "target"),
                                  source_lang=_language(request, "source_lang"),
                                  target_lang=_language(request, "target_lang")).as_dict()

    def pairs(self, request: dict) -> dict:
        rows = request.get("rows")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("'rows' must be a list of {\"source\", \"target\"} objects")
        source_lang, target_lang = _language(request, "source_lang"), _language(request, "target_lang")
        if not source_lang or not target_lang:
            raise ValueError("'source_lang' and 'target_lang' are required")
        pairs = [(_text(r, "source"), _text(r, "target")) for r in rows]
        ids = [str(r.get("id", index)) for index, r in enumerate(rows)]
        results = self.checker.check_pairs(pairs, source_lang, target_lang, ids=ids)
        return {"results": [r.as_dict() for r in results]}

    def close(self) -> None:
        """Stop serving and release the socket (from any thread)."""
        if not self._closed.is_set():
            self._closed.set()
            self.shutdown()
            self.server_close()
            self.executor.shutdown(wait=False, cancel_futures=True)
