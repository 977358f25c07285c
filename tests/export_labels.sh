#!/usr/bin/env bash
# export_labels.sh TOPOPLAN: the kubectl label script against a fake kubectl that knows only some
# of the nodes and refuses one label call. The script must label every node that exists (also
# those after a missing one), name the missing and refused nodes, and exit 1; with every node
# present it exits 0.
set -euo pipefail
topoplan=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAILED: $*"; exit 1; }

"$topoplan" export k8s-labels --script --cluster synthetic:rack=2,host=3 --out labels.sh >/dev/null
cat >kubectl <<'FAKE'
#!/bin/sh
# get node NAME: exists when NAME is in $NODES; label node --overwrite NAME ...: logged, refused
# for $REFUSE.
case "$1" in
  get) case " $NODES " in *" $3 "*) exit 0 ;; *) echo "Error from server (NotFound)" >&2; exit 1 ;; esac ;;
  label) [ "$4" = "$REFUSE" ] && exit 1; echo "$4" >>"$LOG"; exit 0 ;;
esac
exit 2
FAKE
chmod +x kubectl

set +e
NODES="h0001 h0002 h0004 h0006" REFUSE=h0004 LOG=$work/labelled KUBECTL=$work/kubectl \
  sh labels.sh >out.txt 2>err.txt
code=$?
set -e
[ "$code" -eq 1 ] || fail "exit $code with missing nodes, expected 1: $(cat out.txt err.txt)"
[ "$(sort labelled | paste -sd' ')" = "h0001 h0002 h0006" ] ||
  fail "labelled $(paste -sd' ' labelled), expected h0001 h0002 h0006 (h0006 comes after missing ones)"
grep -q "^no such node: h0003 h0005$" err.txt || fail "missing nodes not named: $(cat err.txt)"
grep -q "^kubectl label failed on: h0004$" err.txt || fail "refused node not named: $(cat err.txt)"
grep -q "^labelled 3 of 6 nodes$" out.txt || fail "$(cat out.txt)"
echo "OK: 3 of 6 nodes labelled, 2 missing and 1 refused named, exit 1"

rm -f labelled
NODES="h0001 h0002 h0003 h0004 h0005 h0006" LOG=$work/labelled KUBECTL=$work/kubectl sh labels.sh >out.txt ||
  fail "exit $? with every node present"
[ "$(wc -l <labelled)" -eq 6 ] || fail "labelled $(wc -l <labelled) of 6"
echo "OK: every node present: 6 labelled, exit 0"
