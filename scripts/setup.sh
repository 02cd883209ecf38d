#!/usr/bin/env bash
# 安装 zhibao 运行所需的一切：系统包（apt）与 Python 虚拟环境 .venv。
# Usage: scripts/setup.sh [--test]     (--test also installs what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

missing=()
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || {
  echo "zhibao 需要 Python ≥ 3.11（当前：$(python3 --version 2>&1 || echo 未安装)）。" >&2
  echo "Debian 12 / Ubuntu 24.04 自带的 python3 即可；更早的系统请先安装 python3.11。" >&2
  exit 1
}
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
fc-list ':lang=zh' 2>/dev/null | grep -qi 'Noto.*CJK' || missing+=(fonts-noto-cjk)
# emoji in web text print as pictures in the PDF instead of empty boxes
fc-list 2>/dev/null | grep -qi 'Noto Color Emoji' || missing+=(fonts-noto-color-emoji)
if [ "$want_test" = 1 ]; then
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  # the store and web tests also run on a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  # the task-queue tests run workers against a throwaway Redis (scripts/redis-test-server.sh)
  command -v redis-server >/dev/null || missing+=(redis-server)
  # web desk browser tests drive Debian's chromium (Playwright's own download does not work offline)
  command -v chromium >/dev/null || missing+=(chromium)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "请先安装这些系统包（Debian/Ubuntu 包名）：${missing[*]}" >&2
    echo "Please install these system packages first: ${missing[*]}" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "需要 root 权限安装：apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo ">> apt-get install ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
extra=""
[ "$want_test" = 1 ] && extra="[test]"
echo ">> pip install -e .${extra}" >&2
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
