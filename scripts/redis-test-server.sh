#!/usr/bin/env bash
# 一次性 Redis 测试服务器 (a throwaway Redis server for the queue tests).
#
# Sourced by scripts/test.sh:   source scripts/redis-test-server.sh && redis_test_start
# redis_test_start  start redis-server on a free 127.0.0.1 port, nothing saved to disk,
#                   export ZHIBAO_TEST_REDIS_URL and stop the server when the shell exits.
# Without redis-server it prints a notice and returns 1 (the queue tests are then skipped,
# except under CI, where they fail).

redis_test_stop() {
  [ -n "${REDIS_TEST_DIR:-}" ] || return 0
  if [ -f "$REDIS_TEST_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_TEST_DIR/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$REDIS_TEST_DIR"
  REDIS_TEST_DIR=""
}

redis_test_start() {
  command -v redis-server >/dev/null || {
    echo ">> 未找到 redis-server（scripts/setup.sh --test 会安装）：跳过任务队列测试" >&2
    return 1
  }
  REDIS_TEST_DIR=$(mktemp -d /tmp/zhibao-redis.XXXXXX)
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Keep whatever EXIT trap is already set (the PostgreSQL cluster's) and stop Redis too.
  local previous
  previous=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  trap "redis_test_stop; ${previous:-:}" EXIT
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$REDIS_TEST_DIR" --pidfile "$REDIS_TEST_DIR/redis.pid" \
    --logfile "$REDIS_TEST_DIR/redis.log" || { redis_test_stop; return 1; }
  local tries=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { cat "$REDIS_TEST_DIR/redis.log" >&2; redis_test_stop; return 1; }
    sleep 0.1
  done
  export ZHIBAO_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
  echo ">> Redis 测试服务器：$ZHIBAO_TEST_REDIS_URL" >&2
}
