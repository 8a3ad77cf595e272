"""Keep-alive throughput of the server setups: `uvicorn --workers 2` versus `stakeeasy serve --workers 2`.

shared/NOTES.md: uvicorn's multi-worker mode leaves TCP_NODELAY off, so each keep-alive response after
the first waits ~40 ms for a delayed ACK. This starts each setup on a free port (SQLite, /healthz),
drives it with persistent connections from a small asyncio HTTP/1.1 client for a few seconds, and
prints requests per second and latency percentiles.

    .venv/bin/python bench/serve_bench.py [--seconds 5] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def read_response(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)


async def client(port: int, until: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(REQUEST)
            await read_response(reader)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        writer.close()


async def drive(port: int, seconds: float, connections: int) -> list[float]:
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client(port, until, latencies) for _ in range(connections)))
    return latencies


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def measure(
    name: str, argv: list[str], port: int, seconds: float, connections: int, env: dict[str, str]
) -> None:
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, process)
        time.sleep(1.0)  # every worker up
        asyncio.run(drive(port, 1.0, connections))  # warm-up
        latencies = asyncio.run(drive(port, seconds, connections))
    finally:
        process.terminate()
        process.wait(timeout=30)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:44} {len(latencies) / seconds:9.0f} req/s   p50 {statistics.median(latencies):6.2f} ms"
        f"   p95 {q[94]:6.2f} ms   p99 {q[98]:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="stakeeasy-serve-")
    env = {
        **os.environ,
        "STAKEEASY_ENV": "development",
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bench.db",
        "SECRET_KEY": "s" * 40,
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    migrate = [python, "-m", "app", "migrate"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    setup = f"{args.connections} connections, {args.seconds:.0f} s, {args.workers} workers"
    print(f"keep-alive GET /healthz, {setup}")
    port = free_port()
    measure(
        f"uvicorn --workers {args.workers} (the pitfall)",
        [
            python,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-server-header",
        ],
        port,
        args.seconds,
        args.connections,
        env,
    )
    port = free_port()
    measure(
        f"stakeeasy serve --workers {args.workers}",
        [python, "-m", "app", "serve", "--port", str(port), "--workers", str(args.workers)],
        port,
        args.seconds,
        args.connections,
        env,
    )
    port = free_port()
    measure(
        "stakeeasy serve (one process)",
        [python, "-m", "app", "serve", "--port", str(port), "--workers", "1"],
        port,
        args.seconds,
        args.connections,
        env,
    )


if __name__ == "__main__":
    main()
