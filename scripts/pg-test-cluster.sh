#!/usr/bin/env bash
# 一次性 PostgreSQL 测试集群 (a throwaway PostgreSQL cluster for the test suite).
#
# Sourced by scripts/test.sh:   source scripts/pg-test-cluster.sh && pg_test_start
# pg_test_start  initdb in a temp dir, start it on a free 127.0.0.1 port, create the database,
#                export ZHIBAO_TEST_DATABASE_URL and stop the cluster when the shell exits.
# Without PostgreSQL binaries it prints a notice and returns 1 (the tests then run on SQLite).
# Root cannot run postgres, so as root the cluster runs as the `postgres` system user.

pg_test_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

pg_test_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  pg_test_as "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}

pg_test_start() {
  PG_TEST_BIN=$(pg_test_bin) || {
    echo ">> 未找到 PostgreSQL（scripts/setup.sh --test 会安装）：存储测试只在 SQLite 上运行" >&2
    return 1
  }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo ">> 以 root 运行但没有 postgres 用户：跳过 PostgreSQL 测试" >&2
    return 1
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/zhibao-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap pg_test_stop EXIT
  pg_test_as "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U zhibao --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || {
    cat "$PG_TEST_DIR/initdb.log" >&2; pg_test_stop; return 1; }
  # fsync off and a small cluster: the data is thrown away after the run.
  pg_test_as "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null || { cat "$PG_TEST_DIR/server.log" >&2; pg_test_stop; return 1; }
  pg_test_as "$PG_TEST_BIN/psql" -h 127.0.0.1 -p "$port" -U zhibao -d postgres -q \
    -c "CREATE DATABASE zhibao_test" >/dev/null
  export ZHIBAO_TEST_DATABASE_URL="postgresql+psycopg://zhibao@127.0.0.1:$port/zhibao_test"
  echo ">> PostgreSQL 测试集群：$ZHIBAO_TEST_DATABASE_URL" >&2
}
