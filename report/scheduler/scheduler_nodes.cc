#include "report/scheduler/scheduler_nodes.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "core/lines.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  int depth = 0;  // separators inside parentheses, as in gpu:h100:2(IDX:0,2), do not split
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : separator;
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (i == text.size() || (c == separator && depth <= 0)) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

Result<int> wholeNumber(std::string_view text, const std::string& where) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > 1 << 20) {
    return Error(where + ": '" + std::string(text) + "', expected a whole number of GPUs");
  }
  return value;
}

// "cpu=64,mem=512G,gres/gpu=8,gres/gpu:h100=8" -> 8; -1 without gres/gpu.
Result<int> tresGpus(std::string_view tres, const std::string& where) {
  for (std::string_view item : split(tres, ',')) {
    if (item.substr(0, 9) == "gres/gpu=") return wholeNumber(item.substr(9), where);
  }
  return -1;
}

// "gpu:8", "gpu:h100:8(S:0-1)", "gpu:h100:2(IDX:0-1),gpu:a100:0(IDX:N/A)" -> the sum; -1 without
// a gpu item.
Result<int> gresGpus(std::string_view gres, const std::string& where) {
  int total = -1;
  for (std::string_view item : split(gres, ',')) {
    item = item.substr(0, item.find('('));
    if (item.substr(0, 4) != "gpu:") continue;
    auto count = wholeNumber(item.substr(item.rfind(':') + 1), where);
    if (!count) return count.error();
    total = std::max(total, 0) + *count;
  }
  return total;
}

// Slurm's node state in any of its spellings: "MIXED+DRAIN", "IDLE*", "IDLE+CLOUD+POWERED_DOWN",
// sinfo's "mix", "drng", "idle~". Sets acceptsWork and partlyAllocated.
void classifySlurmState(SchedulerNode& node) {
  const std::vector<std::string_view> parts = split(node.state, '+');
  std::string base = upper(parts.front());
  bool accepts = true;
  while (!base.empty() && std::string_view("*~#%!@^-$").find(base.back()) != std::string::npos) {
    // ~ powered off and # powering up: Slurm resumes the node for a job; the rest keep work off.
    accepts = accepts && (base.back() == '~' || base.back() == '#');
    base.pop_back();
  }
  node.partlyAllocated = base == "MIXED" || base == "MIX";
  accepts = accepts && (base == "IDLE" || node.partlyAllocated);
  static const std::set<std::string> harmless{"CLOUD",    "POWERED_DOWN", "POWERING_UP",
                                              "POWER_UP", "DYNAMIC_NORM", "DYNAMIC_FUTURE"};
  // Not responding is what a node powering up is until its slurmd answers.
  const bool poweringUp = std::any_of(parts.begin() + 1, parts.end(),
                                      [](std::string_view p) { return upper(p) == "POWERING_UP"; });
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string flag = upper(parts[i]);
    accepts = accepts && (harmless.count(flag) || (poweringUp && flag == "NOT_RESPONDING"));
  }
  node.acceptsWork = accepts;
}

Status finishSlurmNode(SchedulerNode& node, const std::string& where) {
  if (node.state.empty()) return Error(where + ": node '" + node.name + "' has no State");
  classifySlurmState(node);
  return okStatus();
}

using SlurmNodes = std::vector<SchedulerNode>;

// scontrol show node: KEY=VALUE words; a word without '=' continues the value before it (OS=Linux
// 5.15.0 #101-Ubuntu, Reason=Not responding [slurm@...]); NodeName= starts each node.
Result<SlurmNodes> parseScontrol(const std::string& text, const std::string& source) {
  SlurmNodes out;
  std::map<std::string, std::string> fields;
  int nodeLine = 0;
  auto finish = [&]() -> Status {
    if (fields.empty()) return okStatus();
    const std::string where = source + ":" + std::to_string(nodeLine);
    SchedulerNode node;
    node.name = fields["NodeName"];
    node.state = fields["State"];
    auto cfg = tresGpus(fields["CfgTRES"], where + ": CfgTRES");
    if (!cfg) return cfg.error();
    auto alloc = tresGpus(fields["AllocTRES"], where + ": AllocTRES");
    if (!alloc) return alloc.error();
    node.gpus = *cfg;
    if (node.gpus < 0) {
      auto gres = gresGpus(fields["Gres"], where + ": Gres");
      if (!gres) return gres.error();
      node.gpus = *gres;
    }
    node.gpusUsed = *alloc;
    if (node.gpusUsed < 0) {  // AllocTRES has gres/gpu where accounting tracks it; -d: GresUsed
      auto used = gresGpus(fields["GresUsed"], where + ": GresUsed");
      if (!used) return used.error();
      node.gpusUsed = std::max(*used, 0);
    }
    TOPOPLAN_TRY(finishSlurmNode(node, where));
    out.push_back(std::move(node));
    fields.clear();
    return okStatus();
  };
  std::string* last = nullptr;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    for (const std::string_view word : words(line)) {
      const std::size_t equals = word.find('=');
      const bool isKey =
          equals != std::string_view::npos && equals > 0 &&
          std::all_of(word.begin(), word.begin() + static_cast<long>(equals), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
          });
      if (!isKey) {
        if (last == nullptr) {
          return Error(source + ":" + std::to_string(lineNumber) + ": '" + std::string(word) +
                       "', expected NodeName=NAME first");
        }
        *last += " " + std::string(word);
        continue;
      }
      const std::string key(word.substr(0, equals));
      if (key == "NodeName") {
        TOPOPLAN_TRY(finish());
        nodeLine = lineNumber;
      } else if (fields.empty()) {
        return Error(source + ":" + std::to_string(lineNumber) + ": '" + std::string(word) +
                     "', expected NodeName=NAME first");
      }
      last = &(fields[key] = std::string(word.substr(equals + 1)));
    }
    return okStatus();
  }));
  TOPOPLAN_TRY(finish());
  return out;
}

// sinfo: columns found by their header.
Result<SlurmNodes> parseSinfo(const std::string& text, const std::string& source) {
  SlurmNodes out;
  std::map<std::string, std::size_t> column;
  std::set<std::string> seen;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    const std::vector<std::string_view> cells = words(line);
    if (cells.empty()) return okStatus();
    if (column.empty()) {
      for (std::size_t i = 0; i < cells.size(); ++i) column[upper(cells[i])] = i;
      if (!column.count("NODELIST") && !column.count("HOSTNAMES"))
        column.clear();  // sinfo -l's date
      if (!column.empty() && !column.count("STATE"))
        return Error(source + ":" + std::to_string(lineNumber) + ": expected a STATE column");
      return okStatus();
    }
    const std::string where = source + ":" + std::to_string(lineNumber);
    auto at = [&](const char* name) -> std::string_view {
      auto it = column.find(name);
      return it != column.end() && it->second < cells.size() ? cells[it->second] : "";
    };
    if (cells.size() < column.size())
      return Error(where + ": " + std::to_string(cells.size()) + " columns, expected " +
                   std::to_string(column.size()) + " as the header names");
    SchedulerNode node;
    node.name = std::string(column.count("NODELIST") ? at("NODELIST") : at("HOSTNAMES"));
    node.state = std::string(at("STATE"));
    if (!seen.insert(node.name).second) return okStatus();  // the same node in another partition
    auto gres = gresGpus(at("GRES"), where + ": GRES");
    if (!gres) return gres.error();
    auto used = gresGpus(at("GRES_USED"), where + ": GRES_USED");
    if (!used) return used.error();
    node.gpus = *gres;
    node.gpusUsed = std::max(*used, 0);
    TOPOPLAN_TRY(finishSlurmNode(node, where));
    out.push_back(std::move(node));
    return okStatus();
  }));
  if (column.empty()) return Error(source + ": expected a header naming NODELIST and STATE");
  return out;
}

const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string stringOr(const Json& object, const char* key, std::string fallback = "") {
  const Json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : fallback;
}

// scontrol show node --json: 22.05 has "state": "idle" and "state_flags"; 23.02 on a list.
Result<SlurmNodes> parseScontrolJson(const Json& document, const std::string& source) {
  auto nodes = arrayField(document, source, "nodes");
  if (!nodes) return nodes.error();
  SlurmNodes out;
  for (std::size_t i = 0; i < (*nodes)->size(); ++i) {
    const Json& item = (**nodes)[i];
    const std::string where = source + ".nodes[" + std::to_string(i) + "]";
    SchedulerNode node;
    TOPOPLAN_TRY(readField(item, where, "name", node.name));
    std::vector<std::string> states;
    const Json* state = member(item, "state");
    if (state && state->is_string()) states.push_back(state->get<std::string>());
    for (const Json* list : {state, member(item, "state_flags")}) {
      if (!list || !list->is_array()) continue;
      for (const Json& flag : *list)
        if (flag.is_string()) states.push_back(flag.get<std::string>());
    }
    for (const std::string& word : states)
      node.state += (node.state.empty() ? "" : "+") + upper(word);
    auto tres = tresGpus(stringOr(item, "tres"), where + ".tres");
    if (!tres) return tres.error();
    auto used = tresGpus(stringOr(item, "tres_used"), where + ".tres_used");
    if (!used) return used.error();
    node.gpus = *tres;
    if (node.gpus < 0) {
      auto gres = gresGpus(stringOr(item, "gres"), where + ".gres");
      if (!gres) return gres.error();
      node.gpus = *gres;
    }
    node.gpusUsed = *used;
    if (node.gpusUsed < 0) {
      auto gresUsed = gresGpus(stringOr(item, "gres_used"), where + ".gres_used");
      if (!gresUsed) return gresUsed.error();
      node.gpusUsed = std::max(*gresUsed, 0);
    }
    TOPOPLAN_TRY(finishSlurmNode(node, where + ".state"));
    out.push_back(std::move(node));
  }
  return out;
}

constexpr const char* kGpuResource = "nvidia.com/gpu";

// A container's GPUs: its request, else its limit (Kubernetes defaults the one to the other).
Result<int> containerGpus(const Json& container, const std::string& where) {
  const Json* resources = member(container, "resources");
  if (!resources) return 0;
  for (const char* kind : {"requests", "limits"}) {
    const Json* values = member(*resources, kind);
    const Json* gpus = values ? member(*values, kGpuResource) : nullptr;
    if (!gpus) continue;
    const std::string at = where + ".resources." + kind + "." + kGpuResource;
    if (gpus->is_number_unsigned())
      return wholeNumber(std::to_string(gpus->get<std::uint64_t>()), at);
    if (gpus->is_string()) return wholeNumber(gpus->get<std::string>(), at);
    return Error(at + ": expected a whole number of GPUs");
  }
  return 0;
}

// What a pod holds on its node: the sum over its containers, or its largest init container.
Result<int> podGpus(const Json& pod, const std::string& where) {
  int sum = 0, init = 0;
  const Json* spec = member(pod, "spec");
  for (const char* kind : {"containers", "initContainers"}) {
    const Json* list = spec ? member(*spec, kind) : nullptr;
    if (!list) continue;
    if (!list->is_array()) return Error(where + ".spec." + kind + ": expected an array");
    for (std::size_t c = 0; c < list->size(); ++c) {
      auto gpus =
          containerGpus((*list)[c], where + ".spec." + kind + "[" + std::to_string(c) + "]");
      if (!gpus) return gpus.error();
      if (std::string(kind) == "containers")
        sum += *gpus;
      else
        init = std::max(init, *gpus);
    }
  }
  return std::max(sum, init);
}

Status readKubernetesNode(const Json& item, const std::string& where, SchedulerNode& node) {
  const Json* metadata = member(item, "metadata");
  if (!metadata) return Error(where + ".metadata: missing, expected the node's metadata");
  TOPOPLAN_TRY(readField(*metadata, where + ".metadata", "name", node.name));
  const Json* spec = member(item, "spec");
  const Json* status = member(item, "status");
  std::vector<std::string> state;
  bool ready = false;
  if (const Json* conditions = status ? member(*status, "conditions") : nullptr) {
    for (const Json& c : *conditions)
      if (stringOr(c, "type") == "Ready") ready = stringOr(c, "status") == "True";
  }
  state.push_back(ready ? "Ready" : "NotReady");
  const Json* unschedulable = spec ? member(*spec, "unschedulable") : nullptr;
  const bool cordoned = unschedulable && unschedulable->is_boolean() && unschedulable->get<bool>();
  if (cordoned) state.push_back("cordoned");
  bool blocked = false;
  if (const Json* taints = spec ? member(*spec, "taints") : nullptr) {
    for (const Json& taint : *taints) {
      const std::string key = stringOr(taint, "key"), effect = stringOr(taint, "effect");
      if (effect != "NoSchedule" && effect != "NoExecute") continue;
      if (key.rfind("node.kubernetes.io/", 0) == 0) {
        blocked = true;
        if (std::find(state.begin(), state.end(), key.substr(19)) == state.end())
          state.push_back(key.substr(19));
      } else {
        node.notes.push_back("taint " + key + ":" + effect);
      }
    }
  }
  node.acceptsWork = ready && !cordoned && !blocked;
  for (const std::string& s : state) node.state += (node.state.empty() ? "" : ",") + s;
  node.gpus = 0;
  const Json* allocatable = status ? member(*status, "allocatable") : nullptr;
  if (const Json* gpus = allocatable ? member(*allocatable, kGpuResource) : nullptr) {
    const std::string at = where + ".status.allocatable." + kGpuResource;
    if (!gpus->is_string()) return Error(at + ": expected a quantity such as \"8\"");
    auto count = wholeNumber(gpus->get<std::string>(), at);
    if (!count) return count.error();
    node.gpus = *count;
  }
  return okStatus();
}

Status readKubernetesItems(const Json& document, const std::string& source,
                           std::map<std::string, SchedulerNode>& nodes,
                           std::map<std::string, int>& used) {
  auto items = arrayField(document, source, "items");
  if (!items) return items.error();
  const std::string listKind = stringOr(document, "kind");
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const Json& item = (**items)[i];
    const std::string where = source + ".items[" + std::to_string(i) + "]";
    std::string kind = stringOr(item, "kind");
    if (kind.empty() && (listKind == "NodeList" || listKind == "PodList"))
      kind = listKind.substr(0, listKind.size() - 4);
    if (kind == "Node") {
      SchedulerNode node;
      TOPOPLAN_TRY(readKubernetesNode(item, where, node));
      const std::string name = node.name;
      if (!nodes.emplace(name, std::move(node)).second)
        return Error(where + ": node '" + name + "' listed twice");
    } else if (kind == "Pod") {
      const Json* spec = member(item, "spec");
      const Json* status = member(item, "status");
      const std::string nodeName = spec ? stringOr(*spec, "nodeName") : "";
      const std::string phase = status ? stringOr(*status, "phase") : "";
      if (nodeName.empty() || phase == "Succeeded" || phase == "Failed") continue;
      auto gpus = podGpus(item, where);
      if (!gpus) return gpus.error();
      used[nodeName] += *gpus;
    } else {
      return Error(where + ".kind: '" + kind + "', expected Node or Pod");
    }
  }
  return okStatus();
}

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
  std::map<std::string, SchedulerNode> kubeNodes;
  std::map<std::string, int> kubeUsed;
  bool kubernetes = false;
  for (const auto& [path, text] : texts) {
    out.sources += (out.sources.empty() ? "" : ", ") + path;
    Result<SlurmNodes> slurm = SlurmNodes{};
    std::string format;
    if (startsWithWord(text, "{")) {
      auto json = parseJson(text, path);
      if (!json) return json.error();
      if (json->contains("items")) {
        TOPOPLAN_TRY(readKubernetesItems(*json, path, kubeNodes, kubeUsed));
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
    if (kubeNodes.empty())
      return Error(out.sources +
                   ": no Node items, expected kubectl get nodes -o json (with the "
                   "pods, or kubectl get nodes,pods -A -o json)");
    for (auto& [name, node] : kubeNodes) {
      node.gpusUsed = kubeUsed.count(name) ? kubeUsed[name] : 0;
      out.nodes.push_back(std::move(node));
    }
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
