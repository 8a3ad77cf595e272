""".ci/audit_gate.py: a vulnerability with a fix fails CI, an unreachable database only skips the audit,
and the two are never mistaken for each other (unit tests of the decision, then the script end to end
with a fake pip-audit)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_gate", ROOT / ".ci" / "audit_gate.py")
assert spec is not None and spec.loader is not None
gate = importlib.util.module_from_spec(spec)
sys.modules["audit_gate"] = gate  # dataclasses look the module up while the class is made
spec.loader.exec_module(gate)

CLEAN = {"dependencies": [{"name": "jinja2", "version": "3.1.6", "vulns": []}], "fixes": []}
NOT_FOUND = "Dependency not found on PyPI and could not be audited: {} ({})"
OSV_DOWN = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries "
    "exceeded with url: /v1/query (Caused by NameResolutionError(\"Failed to resolve 'api.osv.dev'\"))"
)


def vulnerable(fixes: list[str]) -> dict:
    vuln = {"id": "GHSA-xxxx", "fix_versions": fixes, "aliases": ["CVE-2099-1"], "description": ""}
    return {"dependencies": [{"name": "jinja2", "version": "3.1.0", "vulns": [vuln]}], "fixes": []}


def all_skipped() -> dict:
    names = [("jinja2", "3.1.6"), ("starlette", "1.10.0")]
    return {"dependencies": [{"name": n, "skip_reason": NOT_FOUND.format(n, v)} for n, v in names]}


def test_a_vulnerability_with_a_fixed_release_fails():
    verdict = gate.judge(1, json.dumps(vulnerable(["3.1.6"])), "")
    assert verdict.outcome == "vulnerable" and verdict.fails
    assert "jinja2 3.1.0: GHSA-xxxx (CVE-2099-1), fixed in 3.1.6" in verdict.lines


def test_a_vulnerability_without_any_fix_is_a_warning_only():
    verdict = gate.judge(1, json.dumps(vulnerable([])), "")
    assert verdict.outcome == "clean" and not verdict.fails
    assert any(line.startswith("warning: jinja2 3.1.0: GHSA-xxxx") for line in verdict.lines)


def test_no_known_vulnerability_passes():
    verdict = gate.judge(0, json.dumps(CLEAN), "")
    assert verdict.outcome == "clean" and verdict.lines[0].startswith("1 packages audited")


def test_every_package_skipped_is_no_audit_but_an_unreachable_database():
    """PyPI's per-release JSON answering 404 makes pip-audit skip everything and exit 0."""
    verdict = gate.judge(0, json.dumps(all_skipped()), "")
    assert verdict.outcome == "unreachable" and not verdict.fails


def test_some_packages_skipped_still_count_as_an_audit():
    report = {"dependencies": [*CLEAN["dependencies"], all_skipped()["dependencies"][0]]}
    verdict = gate.judge(0, json.dumps(report), "")
    assert verdict.outcome == "clean"
    assert any(line.startswith("warning: not audited:") for line in verdict.lines)


def test_a_vulnerability_counts_even_when_other_packages_were_skipped():
    report = vulnerable(["3.1.6"])
    report["dependencies"] += all_skipped()["dependencies"]
    assert gate.judge(1, json.dumps(report), "").outcome == "vulnerable"


@pytest.mark.parametrize(
    "stderr",
    [
        OSV_DOWN,
        "requests.exceptions.ConnectTimeout: ... timed out",
        "pip_audit._service.interface.ServiceError\nrequests.exceptions.HTTPError: 503 Server Error",
        "requests.exceptions.ProxyError: Unable to connect to proxy",
    ],
)
def test_network_failures_without_a_report_are_unreachable(stderr):
    assert gate.judge(1, None, stderr).outcome == "unreachable"


@pytest.mark.parametrize(
    "stderr",
    [
        "ERROR:pip_audit._cli:requirements.lock: hash mismatch for jinja2",
        "requests.exceptions.HTTPError: 400 Client Error: Bad Request",
        "Traceback (most recent call last):\nKeyError: 'vulns'",
        "",
    ],
)
def test_any_other_failure_fails_and_is_never_taken_for_unreachable(stderr):
    verdict = gate.judge(1, None, stderr)
    assert verdict.outcome == "error" and verdict.fails


def test_an_unexpected_exit_code_with_a_clean_report_fails():
    assert gate.judge(2, json.dumps(CLEAN), "boom").outcome == "error"
    assert gate.judge(1, json.dumps(CLEAN), "").outcome == "error"  # exit 1 says something was found


def test_an_empty_report_fails():
    assert gate.judge(0, json.dumps({"dependencies": []}), "").outcome == "error"


def test_the_first_service_that_answers_decides():
    down = gate.Verdict("unreachable", ["no answer"])
    bad = gate.judge(1, json.dumps(vulnerable(["3.1.6"])), "")
    assert gate.decide([("pypi", down), ("osv", bad)])[0] == 1
    code, lines = gate.decide([("pypi", gate.judge(0, json.dumps(CLEAN), "")), ("osv", down)])
    assert code == 0 and lines[0] == "audit passed (pypi):"


def test_no_service_answering_skips_the_audit_with_one_clear_line():
    down = gate.Verdict("unreachable", ["Failed to resolve"])
    code, lines = gate.decide([("pypi", down), ("osv", down)])
    assert code == 0
    assert lines[0] == "audit skipped: vulnerability database unreachable"


FAKE = """
import json, sys
args = sys.argv[1:]
service = args[args.index("-s") + 1]
out = args[args.index("-o") + 1]
assert "--require-hashes" in args and args[args.index("-r") + 1] == "requirements.lock"
answers = json.loads({answers!r})
answer = answers[service]
if answer.get("report") is not None:
    open(out, "w").write(json.dumps(answer["report"]))
sys.stderr.write(answer.get("stderr", ""))
sys.exit(answer["code"])
"""


def run_gate(tmp_path: Path, answers: dict) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "fake_pip_audit.py"
    fake.write_text(textwrap.dedent(FAKE.format(answers=json.dumps(answers))))
    env = {"PIP_AUDIT": f"{sys.executable} {fake}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / ".ci" / "audit_gate.py"), "requirements.lock"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_the_script_skips_when_pypi_skips_everything_and_osv_does_not_resolve(tmp_path):
    done = run_gate(
        tmp_path,
        {
            "pypi": {"report": all_skipped(), "code": 0},
            "osv": {"report": None, "stderr": OSV_DOWN, "code": 1},
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == "audit skipped: vulnerability database unreachable"


def test_the_script_fails_when_the_second_service_finds_a_fixable_vulnerability(tmp_path):
    done = run_gate(
        tmp_path,
        {"pypi": {"report": all_skipped(), "code": 0}, "osv": {"report": vulnerable(["3.1.6"]), "code": 1}},
    )
    assert done.returncode == 1
    assert "audit failed: known vulnerabilities with a fix (osv):" in done.stdout
    assert "fixed in 3.1.6" in done.stdout


def test_the_script_passes_on_a_clean_answer_without_asking_the_next_service(tmp_path):
    done = run_gate(tmp_path, {"pypi": {"report": CLEAN, "code": 0}})  # no "osv" answer: a KeyError
    assert done.returncode == 0 and done.stdout.startswith("audit passed (pypi):")


def test_the_script_fails_when_pip_audit_breaks_for_another_reason(tmp_path):
    done = run_gate(tmp_path, {"pypi": {"report": None, "stderr": "hash mismatch", "code": 1}})
    assert done.returncode == 1 and "audit failed (pypi):" in done.stdout
