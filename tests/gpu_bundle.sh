#!/usr/bin/env bash
# gpu_bundle.sh SOURCE OUTDIR: scripts/gpu-bundle.sh writes a bundle of at most 60 MiB that runs
# where none of our Debian packages and no CUDA are: in a mount namespace where every library the
# bundle carries is hidden at its Debian path (an empty file bound over it), and Open MPI's,
# PMIx's and hwloc's plugin folders, Open MPI's help texts and settings and the CUDA toolkit are
# empty, the bundle's `topoplan inventory` and `mpirun -np 2 topoplan allreduce --algo all`
# run (the GPU parts WAIVED with the reason), and every library they load (the loader's own log,
# LD_DEBUG) is the bundle's or the C and C++ runtime's. The unbundled topoplan must fail to start
# there, which shows that the hiding works.
set -uo pipefail
source=$1 outdir=$2/gpu-bundle
fail() { echo "FAILED: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for a mount namespace"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: unshare not found"; exit 77; }
grep -q "TOPOPLAN_HAVE_CUDA 1" "$source/build/generated/topoplan/config.h" ||
  { echo "SKIP: this build has no CUDA support"; exit 77; }
rm -rf "$outdir"
mkdir -p "$outdir/ld"
bundle=$outdir/bundle
"$source/scripts/gpu-bundle.sh" "$bundle" || fail "gpu-bundle.sh exited $?"
size=$(du -sm "$bundle" | cut -f1)
[ "$size" -le 60 ] || fail "the bundle is $size MiB, expected at most 60"

# The Debian paths of what the bundle carries, and the folders to empty.
mapfile -t carried < <(awk '$2 == "->" && $3 ~ /^lib\// {print $1}' "$bundle/MANIFEST")
[ ${#carried[@]} -gt 10 ] || fail "the manifest lists ${#carried[@]} libraries"
folders=(/usr/lib/x86_64-linux-gnu/openmpi /usr/lib/x86_64-linux-gnu/pmix2
  /usr/lib/x86_64-linux-gnu/hwloc /usr/share/openmpi /etc/openmpi)
[ -e /usr/local/cuda ] && folders+=("$(realpath /usr/local/cuda)")
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
unshare --mount --propagation private bash -c '
  bundle=$1 out=$2 source=$3; shift 3
  hidden=0
  while [ "$1" != -- ]; do mount --bind /dev/null "$1" && hidden=$((hidden + 1)); shift; done
  shift
  for folder in "$@"; do mount -t tmpfs none "$folder"; done
  echo "hidden: $hidden libraries, $# folders"
  "$source/build/topoplan" --version >"$out/unbundled.txt" 2>&1
  echo "unbundled topoplan exit: $?"
  RUN_LD_DEBUG=libs LD_DEBUG_OUTPUT=$out/ld/inventory "$bundle/run" topoplan inventory \
    >"$out/inventory.txt" 2>&1
  echo "inventory exit: $?"
  RUN_LD_DEBUG=libs LD_DEBUG_OUTPUT=$out/ld/allreduce "$bundle/run" mpirun -np 2 --oversubscribe \
    --mca btl self,vader topoplan allreduce --algo all -b 8 -e 64K -f 8 -w 1 -n 3 --check \
    >"$out/allreduce.txt" 2>&1
  echo "allreduce exit: $?"
' _ "$bundle" "$outdir" "$source" "${carried[@]}" -- "${folders[@]}" >"$outdir/namespace.txt" 2>&1
cat "$outdir/namespace.txt"
grep -q "^unbundled topoplan exit: 0" "$outdir/namespace.txt" &&
  fail "the unbundled topoplan started: the Debian libraries were not hidden"
grep -q "^inventory exit: 0" "$outdir/namespace.txt" || { cat "$outdir/inventory.txt"; fail "inventory"; }
grep -q "^allreduce exit: 0" "$outdir/namespace.txt" || { tail -30 "$outdir/allreduce.txt"; fail "allreduce"; }
grep -q "^cuda: no CUDA device (" "$outdir/inventory.txt" || fail "inventory does not say why there is no GPU"
grep -q "^# algo ring" "$outdir/allreduce.txt" || fail "no ring results"
grep -Eq "^# algo nccl: WAIVED \(.+\)" "$outdir/allreduce.txt" || fail "nccl not waived with a reason"
grep -Eq " [1-9][0-9]* +\$" "$outdir/allreduce.txt" && fail "#wrong is not 0"

# Every library any process loaded: the bundle's, or the C and C++ runtime's.
base='/(linux-vdso\.so|ld-linux-x86-64\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libresolv\.so|libstdc\+\+\.so|libgcc_s\.so)[^/]*$'
loaded=$(cat "$outdir"/ld/* | sed -n 's/.*calling init: //p' | sort -u)
programs=$(cat "$outdir"/ld/* | sed -n 's/.*initialize program: //p' | sort | uniq -c)
echo "programs logged: $(tr -s ' \n' ' ' <<<"$programs")"
grep -Eq "[ /]topoplan$" <<<"$programs" || fail "the loader's log has no topoplan"
grep -Eq "/(orterun|mpirun)$" <<<"$programs" || fail "the loader's log has no mpirun"
outside=$(grep -v "^$bundle/" <<<"$loaded" | grep -Ev "$base")
[ -z "$outside" ] || fail "loaded from outside the bundle: $outside"
echo "OK: $(wc -l <<<"$loaded") libraries loaded, all from the bundle or the C/C++ runtime; bundle $size MiB"
