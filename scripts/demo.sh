#!/usr/bin/env bash
# 一条命令：安装并生成演示简报（所有格式）。 Usage: scripts/demo.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/zhibao demo "$@"
