#!/usr/bin/env bash
# Installs the Debian packages topoplan needs (only those missing), then configures and builds
# into build/. Safe to run again: it redoes only what is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  clang libclang-rt-14-dev
  libopenmpi-dev openmpi-bin
  libhwloc-dev hwloc libxml2-dev libyaml-cpp-dev
  nlohmann-json3-dev libcli11-dev libboost-math-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  libibverbs-dev
  iproute2
  slurmctld slurmd slurm-client
  chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# Node.js validates the Kubernetes exports in the tests (tests/k8s); a machine may already have
# it from elsewhere, with npm bundled.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo"
    else
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The validator's npm packages, at the versions of its lock file.
if [ ! -f tests/k8s/node_modules/.package-lock.json ] ||
  [ tests/k8s/package-lock.json -nt tests/k8s/node_modules/.package-lock.json ]; then
  echo "setup: installing the npm packages of tests/k8s"
  npm ci --prefix tests/k8s --no-audit --no-fund --loglevel=error
fi

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j "$(nproc)"
