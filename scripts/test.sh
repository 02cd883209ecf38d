#!/usr/bin/env bash
# 一条命令：安装并运行全部测试。 Usage: scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
# A throwaway PostgreSQL cluster (stopped on exit) so the store and web tests run on both databases.
source scripts/pg-test-cluster.sh
pg_test_start || [ -z "${CI:-}" ]  # CI must test PostgreSQL; a laptop without it falls back to SQLite
# A throwaway Redis (stopped on exit) for the task-queue tests (zhibao worker, collect --queue).
source scripts/redis-test-server.sh
redis_test_start || [ -z "${CI:-}" ]  # CI must test the queue; a laptop without Redis skips it
# The layers of DESIGN.md (contracts in pyproject.toml): no import may run back up.
.venv/bin/lint-imports --no-cache
status=0
.venv/bin/python -m pytest "$@" || status=$?
exit "$status"
