#include "report/scheduler/export_names.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>

namespace topoplan {
namespace {

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string hash8(const std::string& text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", h);
  return buffer;
}

std::string plainRewrite(const std::string& name, const NameRule& rule) {
  std::string out;
  for (char c : name) {
    if (c == '/') c = rule.separator;
    if (rule.lowercase && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool allowed = isAlnum(c) || (c != '\0' && std::strchr(rule.extras, c) != nullptr);
    out += allowed ? c : '-';
  }
  std::size_t begin = 0;
  while (begin < out.size() && !isAlnum(out[begin])) ++begin;
  std::size_t end = out.size();
  while (end > begin && !isAlnum(out[end - 1])) --end;
  return out.substr(begin, end - begin);
}

std::string withHash(const std::string& rewritten, const std::string& original,
                     const NameRule& rule) {
  std::string head = rewritten.substr(0, rule.maxLength - 9);
  while (!head.empty() && !isAlnum(head.back())) head.pop_back();
  return head.empty() ? "x" + hash8(original) : head + "-" + hash8(original);
}

std::string quoted(const std::string& name) {
  std::string out = "'";
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "'";
}

Status checkHosts(const std::vector<std::string>& hosts, const char* what, std::size_t maxLength,
                  bool (*valid)(const std::string&), const char* expected) {
  for (const std::string& host : hosts) {
    if (host.empty() || host.size() > maxLength || !valid(host)) {
      return Error("host " + quoted(host) + " cannot be a " + what + ": expected " + expected +
                   ", at most " + std::to_string(maxLength) +
                   " characters (hosts are never renamed)");
    }
  }
  return okStatus();
}

bool slurmHost(const std::string& name) {
  for (char c : name) {
    if (!isAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool dnsName(const std::string& name, bool dots) {
  if (!dots && name.find('.') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    if (end == start) return false;
    for (std::size_t i = start; i < end; ++i) {
      const char c = name[i];
      const bool lowerAlnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!lowerAlnum && !(c == '-' && i != start && i + 1 != end)) return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

NameRule labelValueRule() {
  return {"Kubernetes label value", 63, false, '.', "-_."};
}
NameRule objectNameRule() {
  return {"Kubernetes object name", 63, true, '-', "-"};
}
NameRule labelKeyNameRule() {
  return {"Kubernetes label key", 63, true, '-', "-_."};
}
NameRule slurmNameRule() {
  return {"Slurm switch name", 64, false, '.', "-_."};
}

std::vector<std::string> rewriteNames(const std::vector<std::string>& names, const NameRule& rule) {
  std::vector<std::string> out;
  out.reserve(names.size());
  std::map<std::string, std::string> firstOriginal;  // rewritten -> the first original
  std::map<std::string, bool> collides;
  for (const std::string& name : names) {
    out.push_back(plainRewrite(name, rule));
    auto [it, inserted] = firstOriginal.emplace(out.back(), name);
    if (!inserted && it->second != name) collides[out.back()] = true;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].empty() || out[i].size() > rule.maxLength || collides.count(out[i]) > 0)
      out[i] = withHash(out[i], names[i], rule);
  }
  return out;
}

Status checkSlurmHostNames(const std::vector<std::string>& hosts) {
  return checkHosts(hosts, "Slurm node name", 64, slurmHost, "letters, digits, '-', '_' and '.'");
}

Status checkKubernetesHostNames(const std::vector<std::string>& hosts) {
  return checkHosts(
      hosts, "Kubernetes node name", 63,
      [](const std::string& name) { return dnsName(name, true); },
      "lowercase letters, digits and '-' in labels joined by '.' (RFC 1123)");
}

Status checkDnsName(const std::string& value, const std::string& what, std::size_t maxLength,
                    bool dots) {
  if (value.empty() || value.size() > maxLength || !dnsName(value, dots)) {
    return Error(what + " " + quoted(value) + ": expected lowercase letters, digits and '-'" +
                 (dots ? " in labels joined by '.'" : "") + ", starting and ending with a letter " +
                 "or digit, at most " + std::to_string(maxLength) + " characters");
  }
  return okStatus();
}

}  // namespace topoplan
