#!/usr/bin/env bash
# expect_exit.sh CODE PATTERN COMMAND...: passes when COMMAND exits with CODE and its standard
# error matches the extended regular expression PATTERN ("-": not checked).
set -uo pipefail
code=$1 pattern=$2
shift 2
stderr_file=$(mktemp)
trap 'rm -f "$stderr_file"' EXIT
"$@" 2>"$stderr_file" >/dev/null
actual=$?
cat "$stderr_file"
if [ "$actual" -ne "$code" ]; then
  echo "FAILED: exit code $actual, expected $code"
  exit 1
fi
if [ "$pattern" != "-" ] && ! grep -Eq -- "$pattern" "$stderr_file"; then
  echo "FAILED: stderr does not match /$pattern/"
  exit 1
fi
echo "OK: exit $code, stderr matches /$pattern/"
