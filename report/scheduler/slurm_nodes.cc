#include "report/scheduler/slurm_nodes.h"

#include "core/index_list.h"
#include "core/json_fields.h"
#include "core/lines.h"
#include "report/scheduler/node_fields.h"

namespace topoplan {

using namespace scheduler_text;

namespace {

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

// The GPU indices a GresUsed names ("gpu:h100:2(IDX:0-1),gpu:a100:1(IDX:3)", "gpu:2(IDX:0,3)",
// "gpu:0(IDX:N/A)"; scontrol show node -d, sinfo GresUsed): nullopt where a GPU item names none.
Result<std::optional<std::vector<int>>> gresBusyIndices(std::string_view gres,
                                                        const std::string& where) {
  std::optional<std::vector<int>> busy;
  for (std::string_view item : split(gres, ',')) {
    if (item.substr(0, 4) != "gpu:") continue;
    const std::size_t idx = item.find("(IDX:");
    if (idx == std::string_view::npos) return std::optional<std::vector<int>>();
    std::string_view list = item.substr(idx + 5);
    list = list.substr(0, list.find(')'));
    if (!busy) busy.emplace();
    if (list == "N/A") continue;
    auto indices = parseIndexList(list, 1023);
    if (!indices) return Error(where + ": IDX " + indices.error().message());
    busy->insert(busy->end(), indices->begin(), indices->end());
  }
  return busy;
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

}  // namespace

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
    auto busy = gresBusyIndices(fields["GresUsed"], where + ": GresUsed");
    if (!busy) return busy.error();
    node.busyGpus = std::move(*busy);
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
    auto busy = gresBusyIndices(at("GRES_USED"), where + ": GRES_USED");
    if (!busy) return busy.error();
    node.busyGpus = std::move(*busy);
    TOPOPLAN_TRY(finishSlurmNode(node, where));
    out.push_back(std::move(node));
    return okStatus();
  }));
  if (column.empty()) return Error(source + ": expected a header naming NODELIST and STATE");
  return out;
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
    auto busy = gresBusyIndices(stringOr(item, "gres_used"), where + ".gres_used");
    if (!busy) return busy.error();
    node.busyGpus = std::move(*busy);
    TOPOPLAN_TRY(finishSlurmNode(node, where + ".state"));
    out.push_back(std::move(node));
  }
  return out;
}

}  // namespace topoplan
