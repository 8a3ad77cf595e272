"""pip-audit a lock file and decide what its answer means for CI.

    fail  a known vulnerability with a fixed release (upgrade the pin: `make lock-upgrade P=name`),
          or pip-audit failing for any reason but the network (a broken lock is a failure)
    pass  nothing known; a vulnerability without any fixed release is printed as a warning
    skip  no vulnerability database could be reached at all: "audit skipped: ..." and exit 0

"Unreachable" is told apart from "clean" with care: PyPI's per-release JSON answering 404 for every
package (what a proxy that only mirrors the project pages does) makes pip-audit skip each of them and
report "No known vulnerabilities found" with exit code 0 — that is no audit, so it counts as unreachable.
Each service is tried in turn (PyPI, then OSV); the first that answers decides.

Usage: python .ci/audit_gate.py [LOCK]   (PIP_AUDIT may name another pip-audit command, for tests)
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("pypi", "osv")
# What requests/urllib3 say when the host cannot be reached, and the HTTP answers of a service that is
# down or a proxy that refuses it (pip-audit wraps them in a ServiceError).
UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|NameResolutionError|Failed to resolve|Max retries exceeded"
    r"|Temporary failure in name resolution|Name or service not known|Connection refused|timed out"
    r"|ProxyError|Could not connect|HTTPError: (?:403|407|429|5\d\d)\b"
)


@dataclass
class Verdict:
    outcome: str  # vulnerable | clean | unreachable | error
    lines: list[str] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        return self.outcome in ("vulnerable", "error")


def judge(returncode: int, report: str | None, stderr: str) -> Verdict:
    """What one pip-audit run (its exit code, its JSON report if it wrote one, its stderr) means."""
    data = None
    if report:
        try:
            data = json.loads(report)
        except ValueError:
            data = None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        if UNREACHABLE.search(stderr):
            last = [line for line in stderr.strip().splitlines() if line.strip()][-1:]
            return Verdict("unreachable", last)
        return Verdict(
            "error", [f"pip-audit failed (exit code {returncode}):", *stderr.strip().splitlines()[-15:]]
        )
    dependencies = data["dependencies"]
    audited = [item for item in dependencies if not item.get("skip_reason")]
    skipped = [item for item in dependencies if item.get("skip_reason")]
    fixable, unfixed = [], []
    for item in audited:
        for vuln in item.get("vulns") or []:
            fixes = vuln.get("fix_versions") or []
            name = f"{item.get('name')} {item.get('version')}: {vuln.get('id')}"
            aliases = ", ".join(vuln.get("aliases") or [])
            name += f" ({aliases})" if aliases else ""
            if fixes:
                fixable.append(f"{name}, fixed in {', '.join(fixes)}")
            else:
                unfixed.append(f"warning: {name}, no fixed release yet")
    if fixable:
        return Verdict("vulnerable", [*fixable, *unfixed])
    if not audited:
        if skipped:  # the service answered for no package at all: nothing was audited
            return Verdict(
                "unreachable", [f"all {len(skipped)} packages skipped: {skipped[0]['skip_reason']}"]
            )
        return Verdict("error", ["pip-audit found no packages in the lock"])
    if returncode not in (0, 1) or (returncode == 1 and not unfixed):
        return Verdict("error", [f"pip-audit exited with {returncode}:", *stderr.strip().splitlines()[-15:]])
    lines = [*unfixed, *(f"warning: not audited: {item['skip_reason']}" for item in skipped)]
    return Verdict("clean", [f"{len(audited)} packages audited, no known vulnerability with a fix", *lines])


def decide(verdicts: list[tuple[str, Verdict]]) -> tuple[int, list[str]]:
    """The first service that answered decides; when none did, the audit is skipped (exit code 0)."""
    for service, verdict in verdicts:
        if verdict.outcome != "unreachable":
            head = {
                "vulnerable": f"audit failed: known vulnerabilities with a fix ({service}):",
                "error": f"audit failed ({service}):",
                "clean": f"audit passed ({service}):",
            }[verdict.outcome]
            return (1 if verdict.fails else 0), [head, *(f"  {line}" for line in verdict.lines)]
    reasons = [f"  {service}: {'; '.join(verdict.lines) or 'no answer'}" for service, verdict in verdicts]
    return 0, ["audit skipped: vulnerability database unreachable", *reasons]


def run(command: list[str], lock: str, service: str) -> Verdict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        args = [*command, "-r", lock, "--require-hashes", "--disable-pip", "--progress-spinner", "off"]
        args += ["-s", service, "-f", "json", "-o", str(out), "--timeout", "20"]
        done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
        report = out.read_text() if out.exists() else None
    return judge(done.returncode, report, done.stderr)


def main(argv: list[str]) -> int:
    lock = argv[0] if argv else "requirements.lock"
    command = shlex.split(os.environ.get("PIP_AUDIT", "")) or [sys.executable, "-m", "pip_audit"]
    verdicts = []
    for service in SERVICES:
        verdict = run(command, lock, service)
        verdicts.append((service, verdict))
        if verdict.outcome != "unreachable":
            break
    code, lines = decide(verdicts)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
