# Dependency locks. pyproject.toml says what the app needs (ranges); requirements.lock (runtime) and
# requirements-test.lock (runtime + the [test] extra) pin every package, transitive ones included, with
# their hashes, for every platform and Python 3.11+. The README's install, .ci/run and the Dockerfile
# install from them. The lock tool lives in its own throw-away venv, never in the project's .venv.
#
#   make lock                  after editing dependencies in pyproject.toml (keeps the other pins)
#   make lock-upgrade          move every pin to the newest release the ranges allow
#   make lock-upgrade P=name   move one package only
#   make audit                 pip-audit the runtime lock (what CI runs)

LOCK_TOOLS ?= /tmp/stakeeasy-lock-tools
UV := $(LOCK_TOOLS)/bin/uv
COMPILE = $(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

.PHONY: lock lock-upgrade audit lock-tools

lock-tools:
	test -x $(UV) || (python3 -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install -q 'uv>=0.13')

# The test lock is resolved first; the runtime lock is constrained by it, so both pin the same versions.
lock: lock-tools
	$(COMPILE) --extra test $(UPGRADE) -o requirements-test.lock
	$(COMPILE) -c requirements-test.lock -o requirements.lock

lock-upgrade:
	$(MAKE) lock UPGRADE="$(if $(P),--upgrade-package $(P),--upgrade)"

audit:
	bash .ci/audit
