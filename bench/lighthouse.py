"""Lighthouse (mobile) on the landing page, the dashboard and the sites page, with the system Chromium.

Needs Node.js and the `lighthouse` npm package (`npm install lighthouse` in some folder, then pass
`--lighthouse path/to/node_modules/.bin/lighthouse`). Starts the app on a throw-away SQLite database
with the demo account, logs in, and runs Lighthouse with the session cookie; prints the performance,
accessibility and best-practices scores and the page weight Lighthouse measured.

    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse

--pwa runs the installability checks instead (the "pwa" category: Lighthouse 11 is the last version that
has it, so `npm install lighthouse@11` for this one) and prints each audit with its result.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    " --disable-sync"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--chrome", default="/usr/bin/chromium")
    parser.add_argument("--pwa", action="store_true", help="installability audits (Lighthouse 11)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="stakeeasy-lh-"))
    env = {
        **os.environ,
        "STAKEEASY_ENV": "development",
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/lh.db",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "app", "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
            data = {"csrf_token": token, "email": "demo@stakeeasy.test", "password": "demo-password-2026"}
            client.post("/login", data=data)
            cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        if args.pwa:
            pwa_audits(args, base, folder, cookie)
            return
        print(f"{'page':12} {'performance':>12} {'accessibility':>14} {'best practices':>15} {'KiB':>7}")
        for name, path, headers in (
            ("landing", "/", {}),
            ("dashboard", "/dashboard", {"Cookie": cookie}),
            ("sites", "/sites", {"Cookie": cookie}),
        ):
            result = run_lighthouse(
                args,
                base + path,
                folder / f"{name}.json",
                headers,
                "performance,accessibility,best-practices",
            )
            scores = {key: round(cat["score"] * 100) for key, cat in result["categories"].items()}
            weight = result["audits"]["total-byte-weight"]["numericValue"] / 1024
            print(
                f"{name:12} {scores['performance']:12d} {scores['accessibility']:14d} "
                f"{scores['best-practices']:15d} {weight:7.1f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


def run_lighthouse(
    args: argparse.Namespace, url: str, report: Path, headers: dict[str, str], categories: str
) -> dict:
    """One Lighthouse run of `url` for `categories` (comma-separated): its JSON report."""
    subprocess.run(
        [
            args.lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps(headers)}",
            f"--only-categories={categories}",
        ],
        env={**os.environ, "CHROME_PATH": args.chrome},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text())  # type: ignore[no-any-return]


def pwa_audits(args: argparse.Namespace, base: str, folder: Path, cookie: str) -> None:
    for name, path, headers in (("landing", "/", {}), ("dashboard", "/dashboard", {"Cookie": cookie})):
        result = run_lighthouse(args, base + path, folder / f"pwa-{name}.json", headers, "pwa")
        print(f"{name}: pwa score {round((result['categories']['pwa']['score'] or 0) * 100)}")
        for ref in result["categories"]["pwa"]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            score = audit["score"]
            verdict = "manual" if score is None else ("pass" if score == 1 else "FAIL")
            print(f"  {verdict:6} {ref['id']:28} {audit['title']}")


if __name__ == "__main__":
    main()
