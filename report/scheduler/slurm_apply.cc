#include "report/scheduler/slurm_apply.h"

#include <set>
#include <sstream>

#include "report/scheduler/k8s_options.h"
#include "report/scheduler/slurm_export.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

// The weight a degraded host gets: above any weight a site gives its healthy nodes (the script
// refuses when one has it or more).
constexpr const char* kDegradedWeight = "1000000";

// Slurm keeps a reason on one line; evidence can be long.
std::string reasonOf(const Finding& finding) {
  std::string reason = "topoplan: degraded: " + finding.evidence;
  for (char& c : reason)
    if (c == '\n' || c == '\r') c = ' ';
  if (reason.size() > 200) reason = reason.substr(0, 197) + "...";
  return reason;
}

// The script's fixed part: reading the live cluster, installing and undoing.
const char* kBody = R"SCRIPT(
scontrol=${SCONTROL:-scontrol}
say() { echo "slurm-apply: $*"; }
die() { echo "slurm-apply: $*" >&2; exit 2; }

config=$("$scontrol" show config) || die "scontrol show config failed: is SLURM_CONF set to the live cluster's slurm.conf?"
conf=${SLURM_CONF:-$(awk '$1 == "SLURM_CONF" {print $3}' <<<"$config")}
[ -f "$conf" ] || die "no slurm.conf at '$conf' (set SLURM_CONF)"
dir=$(dirname "$conf")
saved=$dir/topology.conf.before-topoplan
none=$dir/topology.conf.none-before-topoplan
nodes=$("$scontrol" show node -o)
# node_field NAME FIELD: a field of the node's line (Reason: the rest of the line, less its
# [user@time]).
node_field() {
  local line
  line=$(awk -v n="NodeName=$1" '$1 == n {print; exit}' <<<"$nodes")
  if [ "$2" = Reason ]; then
    sed -n 's/.* Reason=\(.*\) \[[^]]*\]$/\1/p' <<<"$line"
  else
    tr ' ' '\n' <<<"$line" | sed -n "s/^$2=//p" | head -1
  fi
}
is_degraded() { awk -F'|' -v h="$1" '$1 == h {found = 1} END {exit !found}' <<<"$degraded"; }
changes=0
reconfigure() { "$scontrol" reconfigure; say "scontrol reconfigure"; nodes=$("$scontrol" show node -o); }
# Nodes that topoplan drained (the reason it gives), among the cluster's.
drained_by_topoplan() {
  local host
  for host in $hosts; do
    case "$(node_field "$host" State)" in *DRAIN*) ;; *) continue ;; esac
    case "$(node_field "$host" Reason)" in topoplan:*) echo "$host" ;; esac
  done
}

if [ "${1:-}" = --undo ]; then
  if [ -f "$saved" ]; then
    mv "$saved" "$dir/topology.conf"
    say "topology.conf: the one before topoplan's restored"
    reconfigure
  elif [ -f "$none" ]; then
    rm -f "$dir/topology.conf" "$none"
    say "topology.conf: topoplan's removed (there was none before)"
    reconfigure
  else
    say "topology.conf: not installed by topoplan, left as it is"
    reconfigure  # weights set by scontrol update go back to slurm.conf's
  fi
  for host in $(drained_by_topoplan); do
    "$scontrol" update NodeName="$host" State=RESUME
    say "$host: resumed"
  done
  exit 0
fi
[ $# -eq 0 ] || die "unexpected '$1': expected no argument, or --undo"

plugin=$(awk '$1 == "TopologyPlugin" {print $3}' <<<"$config")
[ "$plugin" = topology/tree ] ||
  die "TopologyPlugin is '$plugin', not topology/tree: set it in $conf and restart slurmctld (scontrol reconfigure cannot change the plugin), then run this again"
known=$(sed -n 's/^NodeName=\([^ ]*\) .*/\1/p' <<<"$nodes" | sort -u)
missing=$(comm -23 <(tr ' ' '\n' <<<"$hosts" | sort -u) <(echo "$known"))
[ -z "$missing" ] || die "Slurm knows no node named: $(echo $missing) (the cluster document is of another cluster?)"
if [ "$mode" = weight ]; then
  for host in $hosts; do
    is_degraded "$host" && continue
    w=$(node_field "$host" Weight)
    [ "${w:-0}" -lt "$weight" ] ||
      die "$host: weight $w is not below $weight, the weight given to degraded hosts"
  done
fi

# 1. topology.conf
if cmp -s "$dir/topology.conf" <(printf '%s\n' "$topology"); then
  say "topology.conf: already topoplan's"
else
  if [ ! -f "$saved" ] && [ ! -f "$none" ]; then
    if [ -f "$dir/topology.conf" ]; then cp -p "$dir/topology.conf" "$saved"; else : >"$none"; fi
  fi
  printf '%s\n' "$topology" >"$dir/topology.conf.topoplan-new"
  mv "$dir/topology.conf.topoplan-new" "$dir/topology.conf"
  say "topology.conf: topoplan's installed in $dir ($switches switches; undo restores the one before)"
  changes=$((changes + 1))
  reconfigure
fi

# 2. degraded hosts
while IFS='|' read -r host reason; do
  [ -n "$host" ] || continue
  state=$(node_field "$host" State)
  if [ "$mode" = weight ]; then
    if [ "$(node_field "$host" Weight)" = "$weight" ]; then
      say "$host: weight already $weight"
    else
      "$scontrol" update NodeName="$host" Weight="$weight"
      say "$host: weight $weight (taken last; $reason)"
      changes=$((changes + 1))
    fi
    continue
  fi
  case "$state" in
    *DRAIN*|*DOWN*)
      case "$(node_field "$host" Reason)" in
        "$reason") say "$host: already drained by topoplan" ;;
        topoplan:*)
          "$scontrol" update NodeName="$host" Reason="$reason"
          say "$host: drain reason updated: $reason"
          changes=$((changes + 1)) ;;
        *) say "$host: left $state ($(node_field "$host" Reason)); degraded too: $reason" ;;
      esac ;;
    *)
      "$scontrol" update NodeName="$host" State=DRAIN Reason="$reason"
      say "$host: drained: $reason"
      changes=$((changes + 1)) ;;
  esac
done <<<"$degraded"

# 3. hosts an earlier run drained that are no longer degraded
for host in $(drained_by_topoplan); do
  is_degraded "$host" && continue
  "$scontrol" update NodeName="$host" State=RESUME
  say "$host: resumed (no longer degraded)"
  changes=$((changes + 1))
done
say "$changes change(s)"
)SCRIPT";

}  // namespace

Result<std::string> slurmApplyScript(const Topology& topology,
                                     const std::vector<Finding>& degradedHosts,
                                     const SlurmApplyOptions& options) {
  SlurmOptions tree;
  tree.comment = options.comment;
  auto topologyConf = slurmTree(topology, tree);
  if (!topologyConf) return topologyConf.error();
  std::set<std::string> names;
  for (const std::string& host : topology.hostNames()) names.insert(host);
  std::string degraded;
  std::set<std::string> seen;
  for (const Finding& f : degradedHosts) {
    if (names.count(f.subject) == 0)
      return Error("degraded host '" + f.subject + "' is not a host of the cluster");
    if (seen.insert(f.subject).second) degraded += f.subject + "|" + reasonOf(f) + "\n";
  }
  std::string hosts;
  for (const std::string& host : topology.hostNames()) hosts += (hosts.empty() ? "" : " ") + host;
  int switches = 0;
  std::istringstream lines(*topologyConf);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("SwitchName=", 0) == 0) ++switches;

  std::string s = "#!/bin/bash\n" + hashComment(options.comment);
  s += hashComment(
      "Applies topoplan's findings to the live Slurm cluster of SLURM_CONF (else scontrol's "
      "default):\n"
      "1. topology.conf beside slurm.conf: topoplan's (the one there is kept once as "
      "topology.conf.before-topoplan), then scontrol reconfigure;\n" +
      std::string(options.weight
                      ? "2. each degraded host: node weight " + std::string(kDegradedWeight) +
                            ", so select/cons_tres takes it after every other node (a later "
                            "scontrol reconfigure resets weights to slurm.conf's: run this "
                            "again after one);\n"
                      : "2. each degraded host: drained, with the finding as the reason;\n") +
      "3. hosts an earlier run drained that are no longer degraded: resumed.\n"
      "It changes nothing that is already so, and prints each change.\n"
      "Undo: bash THIS-FILE --undo (the previous topology.conf back, reconfigure, the nodes "
      "topoplan drained resumed)");
  if (!options.planLine.empty()) s += "# for the plan: " + options.planLine + "\n";
  for (const Finding& f : options.notes)
    s += hashComment("not expressed in Slurm: " + f.subject + ": " + f.evidence);
  s += "set -euo pipefail\n";
  s += "mode=" + std::string(options.weight ? "weight" : "drain") + "\n";
  s += "weight=" + std::string(kDegradedWeight) + "\n";
  s += "switches=" + std::to_string(switches) + "\n";
  s += "hosts=" + shellQuote(hosts) + "\n";
  s += "degraded=" + shellQuote(degraded) + "\n";
  std::string conf = *topologyConf;
  while (!conf.empty() && conf.back() == '\n') conf.pop_back();
  s += "topology=" + shellQuote(conf) + "\n";
  return s + (kBody + 1);
}

}  // namespace topoplan
