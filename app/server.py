"""Running the web server: one process, or one worker process per core sharing a listening socket.

`uvicorn --workers N` binds its socket without naming the protocol (proto 0), and asyncio only turns on
TCP_NODELAY for accepted sockets whose proto is IPPROTO_TCP: every keep-alive response after the first
then waits for the peer's delayed ACK (~40 ms, upstream uvicorn issue #3149). Here the socket is made
with IPPROTO_TCP, so every worker's connections get TCP_NODELAY. bench/serve_bench.py measures both.
"""

from __future__ import annotations

import os
import socket
import tempfile

import uvicorn
from uvicorn.supervisors import Multiprocess

from app.settings import Settings


def tcp_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket whose accepted connections get TCP_NODELAY from asyncio."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def config(
    settings: Settings, host: str, port: int, *, workers: int = 1, reload: bool = False
) -> uvicorn.Config:
    return uvicorn.Config(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # The client address comes from TRUSTED_PROXY_HEADER in the app (app.security.ratelimit.client_ip),
        # never from whatever X-Forwarded-For a client sends.
        proxy_headers=False,
        log_level="info",
        access_log=not settings.production,  # production logs each request as JSON (app/observability.py)
        server_header=False,
        timeout_graceful_shutdown=20,  # finish in-flight requests on SIGTERM (Fly sends it before stopping)
    )


def run(settings: Settings, host: str, port: int, *, workers: int = 1, reload: bool = False) -> None:
    cfg = config(settings, host, port, workers=workers, reload=reload)
    server = uvicorn.Server(cfg)
    if workers <= 1 or reload:
        if reload:
            uvicorn.run(cfg.app, factory=True, host=host, port=port, reload=True, server_header=False)
            return
        server.run()
        return
    # Each worker counts its own metrics in this directory; /metrics sums them (app/observability.py).
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="stakeeasy-metrics-"))
    Multiprocess(cfg, sockets=[tcp_socket(host, port)]).run()
