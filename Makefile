# The two commands a new user needs: `make run` and `make test`.
.PHONY: run test setup requirements bench

run:  ## install, migrate, load demo content, serve on http://127.0.0.1:8000
	bash scripts/run.sh

test:  ## lint, checks, and the whole suite on SQLite and PostgreSQL
	bash scripts/test.sh

setup:
	bash scripts/setup.sh --test

requirements:  ## re-pin requirements*.txt from requirements*.in
	.venv/bin/pip-compile -q --strip-extras --no-header --output-file requirements.txt requirements.in
	.venv/bin/pip-compile -q --strip-extras --no-header --output-file requirements-dev.txt requirements-dev.in

bench:
	bash bench/run.sh
