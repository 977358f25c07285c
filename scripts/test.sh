#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, mpi, cli, bench smoke runs).
# Tests that need hardware this machine lacks (GPU, RDMA, network namespaces) report as skipped
# with their reason.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
