#!/usr/bin/env bash
# gpu-bundle.sh DIR: builds here (no GPU needed) and writes DIR, a relocatable folder that runs
# topoplan's GPU check on a machine that has CUDA's driver and compiler but none of our Debian
# packages and no package registry (the lent GPU machine):
#   DIR/run PROGRAM ARGS...   runs a bundled program: topoplan, mpirun, the gpu-labelled test
#                             binaries (DIR/gpu-tests.txt names them with their filters) or
#                             device_reduce_vs_memcpy, with the bundle's libraries and plugins;
#   DIR/run --which           says which CUDA driver and NCCL it found there;
#   DIR/bin, DIR/lib          the programs and every shared library they need that a CUDA image
#                             lacks (Open MPI with its MCA components, PMIx and its components,
#                             hwloc and its plugins, libxml2, yaml-cpp, ibverbs, libevent, ...);
#   DIR/MANIFEST              what was carried, from where.
# It carries neither the CUDA runtime (linked statically) nor NCCL (loaded at run time): on the
# GPU machine the launcher finds NCCL in the CUDA toolkit, else in Python's nvidia packages. Nor
# glibc, libstdc++ and libgcc_s, which every such image has (newer than ours).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: scripts/gpu-bundle.sh DIR" >&2; exit 2; }
dir=$1
scripts/setup.sh >/dev/null
if ! grep -q "TOPOPLAN_HAVE_CUDA 1" build/generated/topoplan/config.h; then
  echo "gpu-bundle: this build has no CUDA support (the CUDA toolkit was not found)" >&2
  exit 3
fi
rm -rf "$dir"
mkdir -p "$dir"/{bin,lib,etc,hwloc,pmix/lib/pmix,share}
dir=$(cd "$dir" && pwd)
manifest=$dir/MANIFEST
: >"$manifest"

ompi_private=$(dirname "$(dpkg -L libopenmpi3 | grep -m1 '/openmpi/lib/libmca_common_.*\.so\.[0-9]*$')")
# What a CUDA image has already: the C library and the loader, the C++ runtime, the driver.
base='^(linux-vdso\.so|ld-linux-x86-64\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libresolv\.so|libstdc\+\+\.so|libgcc_s\.so|libcuda\.so|libnvidia-)'

# carry FILE DEST: copies FILE (links followed) to DEST and notes it.
carry() {
  cp -L "$1" "$2"
  echo "$(realpath "$1") -> ${2#"$dir"/}" >>"$manifest"
}

# libraries ELF...: the shared libraries the files need, outside the base set; a missing one
# makes the function fail (the caller drops that plugin). Open MPI's components find its private
# libraries (libmca_common_*) through libmpi's run path once loaded: ldd is told where they are.
libraries() {
  local out
  out=$(LD_LIBRARY_PATH=$ompi_private ldd "$@" 2>/dev/null) || return 1
  if grep -q "not found" <<<"$out"; then return 1; fi
  awk '$2 == "=>" && $3 ~ /^\// {print $1 " " $3}' <<<"$out" | { grep -Ev "$base" || true; } |
    sort -u
}

# topoplan, the gpu-labelled test binaries (build/gpu-tests.txt: name and filter) and the GPU
# benchmark.
programs=(build/topoplan build/bench/device_reduce_vs_memcpy)
while read -r name filter; do
  programs+=("$(find build -type f -name "$name" -perm -u+x | head -1)")
done <build/gpu-tests.txt
carry build/gpu-tests.txt "$dir/gpu-tests.txt"
for program in "${programs[@]}"; do
  [ -x "$program" ] || { echo "gpu-bundle: $program was not built" >&2; exit 3; }
  carry "$program" "$dir/bin/$(basename "$program")"
  strip --strip-unneeded "$dir/bin/$(basename "$program")"
done
mpirun=$(readlink -f "$(command -v mpirun)")
carry "$mpirun" "$dir/bin/orterun"
carry "$(command -v orted)" "$dir/bin/orted"
ln -s orterun "$dir/bin/mpirun"

# Open MPI keeps its layout under OPAL_PREFIX: components in
# PREFIX/lib/x86_64-linux-gnu/openmpi/lib/openmpi3, help texts in PREFIX/share/openmpi.
# Components for fabrics a single GPU machine has no use for (UCX, libfabric, PSM, verbs) and
# OpenSHMEM's are left out: Debian's own settings (etc/openmpi-mca-params.conf) turn most off.
ompi_components=$(dirname "$(dpkg -L libopenmpi3 | grep -m1 '/openmpi3/mca_.*\.so$')")
ompi_dest=$dir/${ompi_components#/usr/}
mkdir -p "$ompi_dest"
unwanted='(ucx|ofi|psm|openib|uct|verbs|usnic|portals|mca_mtl_|mca_spml_|mca_sshmem_|mca_atomic_|mca_scoll_|mca_memheap_|mca_sshmem)'
plugins=()
for component in "$ompi_components"/*.so; do
  if grep -Eq "$unwanted" <<<"$(basename "$component")"; then
    echo "left out (a fabric or OpenSHMEM) $component" >>"$manifest"
  elif libraries "$component" >/dev/null; then
    carry "$component" "$ompi_dest/$(basename "$component")"
    plugins+=("$component")
  else
    echo "skipped (a library it needs is missing here) $component" >>"$manifest"
  fi
done
cp -r /usr/share/openmpi "$dir/share/openmpi"
carry /etc/openmpi/openmpi-mca-params.conf "$dir/etc/openmpi-mca-params.conf"
pmix_components=$(dirname "$(dpkg -L libpmix2 | grep -m1 '/lib/pmix/pmix_mca_.*\.so$')")
for component in "$pmix_components"/*.so; do
  carry "$component" "$dir/pmix/lib/pmix/$(basename "$component")"
  plugins+=("$component")
done
cp -r "$(dirname "$(dirname "$pmix_components")")/share/pmix" "$dir/pmix/share" 2>/dev/null || true
for plugin in /usr/lib/x86_64-linux-gnu/hwloc/hwloc_{pci,xml_libxml}.so; do
  carry "$plugin" "$dir/hwloc/$(basename "$plugin")"
  plugins+=("$plugin")
done

# Every library the programs and plugins need, and the ones those need (ldd follows them).
while read -r name path; do
  [ -e "$dir/lib/$name" ] || carry "$path" "$dir/lib/$name"
done < <(libraries "${programs[@]}" "$mpirun" "$(command -v orted)" "${plugins[@]}")

cat >"$dir/run" <<'LAUNCHER'
#!/usr/bin/env bash
# run PROGRAM ARGS...: a bundled program with the bundle's libraries and plugins (see MANIFEST);
# run --which: the CUDA driver and NCCL this machine offers. RUN_LD_DEBUG=libs (with
# LD_DEBUG_OUTPUT) logs which libraries the program and its children load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nccl_dir() {  # where libnccl.so.2 is: the loader's cache, the CUDA toolkit, Python's nvidia
  local found
  found=$(ldconfig -p 2>/dev/null | awk '/libnccl\.so\.2 / {print $NF; exit}')
  [ -n "$found" ] && [ -e "$found" ] && { dirname "$found"; return; }
  for d in /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib; do
    [ -e "$d/libnccl.so.2" ] && { echo "$d"; return; }
  done
  # Python's nvidia packages (nvidia-nccl-cu12/cu13): wherever the wheel put libnccl.so.2.
  python3 -c 'import glob, os, site, sys
for d in site.getsitepackages() + sys.path:
    for f in sorted(glob.glob(os.path.join(d, "nvidia", "**", "libnccl.so.2"), recursive=True)):
        print(os.path.dirname(f)); sys.exit()' 2>/dev/null || true
}
nccl=$(nccl_dir)
export OPAL_PREFIX=$here
export PATH=$here/bin:$PATH
export LD_LIBRARY_PATH=$here/lib${nccl:+:$nccl}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMPI_MCA_mca_base_param_files=$here/etc/openmpi-mca-params.conf
export PMIX_MCA_mca_base_component_path=$here/pmix/lib/pmix
export PMIX_INSTALL_PREFIX=$here/pmix
export HWLOC_PLUGINS_PATH=$here/hwloc
if [ "${1:-}" = --which ]; then
  driver=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1 ||
    true)
  echo "CUDA driver: ${driver:-none found (nvidia-smi)}"
  if [ -n "$nccl" ]; then
    version=$(grep -ao 'NCCL version [0-9.+a-z]*' "$nccl/libnccl.so.2" | head -1 || true)
    echo "NCCL: $nccl/libnccl.so.2${version:+ ($version)}"
  else
    echo "NCCL: not found (CUDA toolkit, Python's nvidia.nccl): --algo nccl will be waived"
  fi
  exit 0
fi
[ $# -ge 1 ] || { echo "usage: run PROGRAM ARGS... | run --which" >&2; exit 2; }
program=$1
shift
[ -x "$here/bin/$program" ] || { echo "run: no program '$program' in $here/bin" >&2; exit 2; }
# The loader's log of the program and its children only, not of this script's helpers.
[ -z "${RUN_LD_DEBUG:-}" ] || export LD_DEBUG=$RUN_LD_DEBUG
exec "$here/bin/$program" "$@"
LAUNCHER
chmod +x "$dir/run"
size=$(du -sm "$dir" | cut -f1)
echo "gpu-bundle: $dir, ${size} MiB, $(grep -c ' -> ' "$manifest") files carried (MANIFEST)"
if [ "$size" -gt 60 ]; then
  echo "gpu-bundle: over 60 MiB" >&2
  exit 1
fi
