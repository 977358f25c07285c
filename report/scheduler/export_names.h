// Names in scheduler exports. Host names are identities: a host whose name the target cannot
// carry is rejected, never renamed (a renamed host would be another node). Domain and level
// names are ours to spell, so they are rewritten by one documented, deterministic rule:
//
//   1. '/' (the path separator of domain names) becomes `separator`;
//   2. with `lowercase`, letters are lowered;
//   3. every other character outside the target's alphabet becomes '-';
//   4. leading and trailing characters that are not letters or digits are dropped;
//   5. a name that is empty, longer than `maxLength`, or that now equals the rewrite of another
//      name gets "-" and 8 hex digits of the FNV-1a hash of the original name, cut to fit.
//
// So "G6/P10/S14" -> "G6.P10.S14" (label values), "g6-p10-s14" (object names), and a name
// holding "$(reboot)" can only come out as letters, digits, '-', '_' and '.'.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct NameRule {
  const char* what;  // for messages, e.g. "Kubernetes label value"
  std::size_t maxLength;
  bool lowercase;
  char separator;      // replaces '/'
  const char* extras;  // allowed besides letters and digits, e.g. "-_."
};

// Kubernetes label values (63, [A-Za-z0-9-_.]), object names (DNS-1123 label: 63, [a-z0-9-]),
// label-key name parts, Slurm switch and block names (64, no hostlist or config syntax).
NameRule labelValueRule();
NameRule objectNameRule();
NameRule labelKeyNameRule();
NameRule slurmNameRule();

// Rewrites every name by the rule above; equal inputs give equal outputs, distinct inputs
// distinct outputs.
std::vector<std::string> rewriteNames(const std::vector<std::string>& names, const NameRule& rule);

// `value` as a DNS-1123 name: lowercase letters, digits and '-' in labels joined by '.' (with
// `dots`), at most `maxLength` characters; the error names `what`.
Status checkDnsName(const std::string& value, const std::string& what, std::size_t maxLength,
                    bool dots);

// Hosts as Slurm node names: letters, digits, '-', '_' and '.', at most 64 characters.
Status checkSlurmHostNames(const std::vector<std::string>& hosts);
// Hosts as Kubernetes node names (and kubernetes.io/hostname values): RFC 1123 labels joined by
// '.', lowercase, at most 63 characters.
Status checkKubernetesHostNames(const std::vector<std::string>& hosts);

}  // namespace topoplan
