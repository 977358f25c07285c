#include "cli/merge_command.h"

#include <cstdio>

#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "report/documents/cluster_merge.h"

namespace topoplan {

CLI::App* addMergeCommand(CLI::App& app, MergeOptions& o) {
  CLI::App* command = app.add_subcommand(
      "merge",
      "Join probe documents of one cluster taken on different host sets: every host, rank and "
      "link, each link with the time it was measured; where several inputs measured one pair, "
      "all are kept and topo, place and export use the newest");
  command->add_option("inputs", o.inputs, "topoplan.cluster/v1 documents")->required();
  command->add_option("--out", o.out, "the merged document to write")->required();
  return command;
}

Result<int> runMerge(const MergeOptions& o, const std::vector<std::string>& argv) {
  TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  std::vector<ClusterInput> inputs;
  for (const std::string& path : o.inputs) {
    auto text = readFile(path);
    if (!text) return text.error();
    inputs.push_back({path, std::move(*text)});
  }
  auto merged = mergeClusterDocuments(inputs, argv);
  if (!merged) return merged.error();
  TOPOPLAN_TRY(writeFileAtomic(o.out, *merged));
  std::printf("merged %zu probe documents into %s\n", inputs.size(), o.out.c_str());
  return 0;
}

}  // namespace topoplan
