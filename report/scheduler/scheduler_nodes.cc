#include "report/scheduler/scheduler_nodes.h"

#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "report/scheduler/kubernetes_nodes.h"
#include "report/scheduler/node_fields.h"
#include "report/scheduler/slurm_nodes.h"

namespace topoplan {
namespace {

using namespace scheduler_text;

bool startsWithWord(const std::string& text, const char* word) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text.compare(first, std::string(word).size(), word) == 0;
}

bool isSinfoHeader(const std::string& text) {
  const std::string head = text.substr(0, 4096);
  for (std::string_view line : split(head, '\n')) {
    const std::string words = upper(line);
    if (words.find("STATE") != std::string::npos && (words.find("NODELIST") != std::string::npos ||
                                                     words.find("HOSTNAMES") != std::string::npos))
      return true;
  }
  return false;
}

}  // namespace

bool looksLikeSchedulerOutput(const std::string& text) {
  if (startsWithWord(text, "NodeName=") || isSinfoHeader(text)) return true;
  if (!startsWithWord(text, "{")) return false;
  const std::string head = text.substr(0, 65536);
  return head.find("\"hosts\"") == std::string::npos &&
         (head.find("\"nodes\"") != std::string::npos ||
          head.find("\"items\"") != std::string::npos);
}

Result<SchedulerNodes> readSchedulerNodes(const std::vector<std::string>& paths) {
  std::vector<SchedulerText> texts;
  for (const std::string& path : paths) {
    auto text = readFile(path);
    if (!text) return text.error();
    texts.push_back({path, std::move(*text)});
  }
  return parseSchedulerNodes(texts);
}

Result<SchedulerNodes> parseSchedulerNodes(const std::vector<SchedulerText>& texts) {
  SchedulerNodes out;
  KubernetesState kube;
  bool kubernetes = false;
  for (const auto& [path, text] : texts) {
    out.sources += (out.sources.empty() ? "" : ", ") + path;
    Result<SlurmNodes> slurm = SlurmNodes{};
    std::string format;
    if (startsWithWord(text, "{")) {
      auto json = parseJson(text, path);
      if (!json) return json.error();
      if (json->contains("items")) {
        TOPOPLAN_TRY(readKubernetesItems(*json, path, kube));
        kubernetes = true;
        out.format = "kubectl";
        continue;
      }
      slurm = parseScontrolJson(*json, path);
      format = "scontrol --json";
    } else if (startsWithWord(text, "NodeName=")) {
      slurm = parseScontrol(text, path);
      format = "scontrol";
    } else {
      slurm = parseSinfo(text, path);
      format = "sinfo";
    }
    if (!slurm) return slurm.error();
    if (texts.size() > 1)
      return Error(path + ": " + format +
                   " output is read alone; two files are for kubectl "
                   "(the nodes and the pods)");
    out.format = format;
    out.nodes = std::move(*slurm);
  }
  if (kubernetes) {
    if (kube.nodes.empty())
      return Error(out.sources +
                   ": no Node items, expected kubectl get nodes -o json (with the "
                   "pods, or kubectl get nodes,pods -A -o json)");
    out.nodes = kubernetesNodes(kube);
  }
  std::sort(out.nodes.begin(), out.nodes.end(),
            [](const SchedulerNode& a, const SchedulerNode& b) { return a.name < b.name; });
  return out;
}

SchedulerFree schedulerFree(const SchedulerNodes& nodes, const Topology& topology) {
  SchedulerFree out;
  std::map<std::string, const SchedulerNode*> byName;
  for (const SchedulerNode& node : nodes.nodes) byName[node.name] = &node;
  int freeHosts = 0, freeGpus = 0, full = 0, unknownCounts = 0;
  std::map<std::string, int> refused;
  std::vector<std::string> unknown;
  for (const Host& host : topology.hosts()) {
    auto it = byName.find(host.name);
    if (it == byName.end()) {
      unknown.push_back(host.name);
      out.unavailable.insert(host.name);
      continue;
    }
    const SchedulerNode& node = *it->second;
    byName.erase(it);
    if (!node.acceptsWork) {
      ++refused[node.state];
      out.unavailable.insert(host.name);
      continue;
    }
    const bool busy = node.partlyAllocated;
    int free = 0;
    if (host.gpus == 0) {
      if (busy) out.unavailable.insert(host.name);
      free = 0;
    } else if (node.gpus < 0) {
      unknownCounts += busy;
      free = busy ? 0 : host.gpus;
    } else {
      free = std::clamp(std::min(node.gpus, host.gpus) - node.gpusUsed, 0, host.gpus);
    }
    out.freeGpus[host.name] = free;
    if (node.busyGpus) out.busyGpus[host.name] = *node.busyGpus;
    if (node.busyGpuBusIds) out.busyGpuBusIds[host.name] = *node.busyGpuBusIds;
    const bool usable = host.gpus == 0 ? !busy : free > 0;
    freeHosts += usable;
    full += !usable;
    freeGpus += free;
  }
  out.summary.push_back(std::to_string(freeHosts) + " host(s) accept work with " +
                        std::to_string(freeGpus) + " free GPU(s); " + std::to_string(full) +
                        " accept work but are full");
  for (const auto& [state, count] : refused)
    out.summary.push_back(std::to_string(count) + " host(s) " + state + ": not free");
  if (unknownCounts > 0)
    out.summary.push_back(std::to_string(unknownCounts) +
                          " partly allocated host(s) without GPU counts (sinfo without GRES "
                          "columns): taken as no GPU free");
  if (!unknown.empty())
    out.summary.push_back(std::to_string(unknown.size()) + " cluster host(s) unknown to " +
                          nodes.format + " (e.g. " + unknown.front() + "): not free");
  if (!byName.empty())
    out.summary.push_back(std::to_string(byName.size()) + " " + nodes.format +
                          " node(s) not in the cluster (e.g. " + byName.begin()->first +
                          "): ignored");
  std::map<std::string, int> taints;
  for (const SchedulerNode& node : nodes.nodes)
    for (const std::string& note : node.notes)
      if (note.rfind("taint ", 0) == 0) ++taints[note];
  for (const auto& [taint, count] : taints)
    out.summary.push_back(std::to_string(count) + " node(s) with " + taint +
                          ": free if the workload tolerates it");
  return out;
}

}  // namespace topoplan
