#!/usr/bin/env bash
# expect_exit.sh CODE PATTERN COMMAND...: passes when COMMAND exits with CODE and its output
# (standard output and error together) matches the extended regular expression PATTERN ("-": not
# checked).
set -uo pipefail
code=$1 pattern=$2
shift 2
output_file=$(mktemp)
trap 'rm -f "$output_file"' EXIT
"$@" >"$output_file" 2>&1
actual=$?
cat "$output_file"
if [ "$actual" -ne "$code" ]; then
  echo "FAILED: exit code $actual, expected $code"
  exit 1
fi
if [ "$pattern" != "-" ] && ! grep -Eq -- "$pattern" "$output_file"; then
  echo "FAILED: output does not match /$pattern/"
  exit 1
fi
echo "OK: exit $code, output matches /$pattern/"
