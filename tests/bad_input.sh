#!/usr/bin/env bash
# bad_input.sh TOPOPLAN WORKDIR PATTERN ARGS...: topoplan ARGS (with @OUT@ replaced by a path in
# the empty WORKDIR) must exit 2 with one "topoplan: error:" line matching the extended regular
# expression PATTERN, and leave WORKDIR empty: no output file, no temporary file.
set -uo pipefail
topoplan=$1 workdir=$2 pattern=$3
shift 3
rm -rf "$workdir"
mkdir -p "$workdir"
args=()
for arg in "$@"; do args+=("${arg//@OUT@/$workdir/out}"); done
stderr=$(cd "$workdir" && "$topoplan" "${args[@]}" 2>&1 >/dev/null)
code=$?
echo "$stderr"
failed=0
if [ "$code" -ne 2 ]; then
  echo "FAILED: exit code $code, expected 2"
  failed=1
fi
if ! grep -Eq -- "$pattern" <<<"$stderr"; then
  echo "FAILED: the message does not match /$pattern/"
  failed=1
fi
if [ "$(grep -c . <<<"$stderr")" -ne 1 ] || ! grep -q '^topoplan: error: ' <<<"$stderr"; then
  echo "FAILED: expected exactly one line 'topoplan: error: ...' on stderr"
  failed=1
fi
if [ -n "$(ls -A "$workdir")" ]; then
  echo "FAILED: it left files behind: $(ls -A "$workdir")"
  failed=1
fi
rm -rf "$workdir"
[ "$failed" = 0 ] && echo "OK: exit 2, one clear message, nothing written"
exit "$failed"
