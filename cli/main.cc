// topoplan: measure GPU-cluster links and collectives, infer topology, plan gang placements.
//
// main parses the command line, starts MPI for the commands that run under mpirun, and alone
// chooses the exit code (0 ok, 1 check failed, 2 bad usage or input, 3 runtime failure).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/ab_command.h"
#include "cli/allreduce_command.h"
#include "cli/compare_command.h"
#include "cli/exit_codes.h"
#include "cli/export_command.h"
#include "cli/inventory_command.h"
#include "cli/jobs/mpi_session.h"
#include "cli/merge_command.h"
#include "cli/plan_commands.h"
#include "cli/probe_command.h"
#include "cli/replay_command.h"
#include "cli/report_command.h"
#include "cli/verify_command.h"
#include "core/termination.h"
#include "topoplan/config.h"

namespace topoplan {
namespace {

// Bad input is reported once, by the first rank (every rank parsed the same arguments).
int badInput(const std::string& message) {
  if (launcherRank().value_or(0) == 0)
    std::fprintf(stderr, "topoplan: error: %s\n", message.c_str());
  return kExitBadInput;
}

// Ends a failed job with 3 on every rank. MPI_Finalize could wait forever on a lost rank, so a
// job of several ranks never reaches it: MPI_Abort ends all of them, or, when the launcher is
// already ending the job (a termination signal), this rank simply exits.
int runtimeFailure(const MpiSession& session, const std::string& message) {
  std::fprintf(stderr, "topoplan: rank %d: error: %s\n", session.rank(), message.c_str());
  if (session.size() == 1) return kExitRuntime;
  std::fflush(stdout);
  std::fflush(stderr);
  if (terminationSignal() != 0) std::_Exit(kExitRuntime);
  MPI_Abort(session.world(), kExitRuntime);
  return kExitRuntime;
}

int run(int argc, char** argv) {
  const std::vector<std::string> commandLine(argv, argv + argc);
  CLI::App app{"topoplan " TOPOPLAN_VERSION
               ": measure GPU-cluster links and collectives, infer the topology, plan gangs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", TOPOPLAN_VERSION);
  AllreduceOptions allreduceOptions;
  CLI::App* allreduce = addAllreduceCommand(app, allreduceOptions);
  ProbeOptions probeOptions;
  CLI::App* probe = addProbeCommand(app, probeOptions);
  InventoryOptions inventoryOptions;
  CLI::App* inventory = addInventoryCommand(app, inventoryOptions);
  TopoOptions topoOptions;
  CLI::App* topo = addTopoCommand(app, topoOptions);
  PlaceOptions placeOptions;
  CLI::App* place = addPlaceCommand(app, placeOptions);
  ExportOptions exportOptions;
  CLI::App* exportCommand = addExportCommand(app, exportOptions);
  CompareOptions compareOptions;
  CLI::App* compare = addCompareCommand(app, compareOptions);
  AbOptions abOptions;
  CLI::App* ab = addAbCommand(app, abOptions);
  ReportOptions reportOptions;
  CLI::App* reportCommand = addReportCommand(app, reportOptions);
  MergeOptions mergeOptions;
  CLI::App* merge = addMergeCommand(app, mergeOptions);
  ReplayCommandOptions replayOptions;
  CLI::App* replayCommand = addReplayCommand(app, replayOptions);
  VerifyOptions verifyOptions;
  CLI::App* verify = addVerifyCommand(app, verifyOptions);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    return badInput(error.what() + std::string(" (see topoplan --help)"));
  }

  // Commands under mpirun: their options are checked before MPI starts (bad input: 2), then
  // they run on every rank; a failure on any rank ends the job with 3.
  auto underMpi = [&](auto plan, auto run) -> int {
    if (!plan) return badInput(plan.error().message());
    MpiSession session(&argc, &argv);
    // Rank 0 saves what was measured when the launcher ends the job; the others exit at once.
    installTerminationHandlers(session.rank() == 0 ? -1 : kExitRuntime);
    if (Status agrees = session.checkLauncherAgrees(); !agrees) {
      return badInput(agrees.error().message());
    }
    Result<int> code = run(*plan, session);
    if (!code) return runtimeFailure(session, code.error().message());
    return *code;
  };
  if (probe->parsed() && !probeOptions.fabric.empty()) {
    auto plan = planProbe(probeOptions);
    Result<int> modeled =
        plan ? runModeledProbe(*plan, probeOptions, commandLine) : Result<int>(plan.error());
    if (!modeled) return badInput(modeled.error().message());
    return *modeled;
  }
  if (probe->parsed()) {
    return underMpi(planProbe(probeOptions), [&](const ProbePlan& plan, MpiSession& session) {
      return runProbe(plan, probeOptions, session, commandLine);
    });
  }
  if (verify->parsed()) {
    return underMpi(planVerify(verifyOptions), [&](const VerifyPlan& plan, MpiSession& session) {
      return runVerify(plan, verifyOptions, session, commandLine);
    });
  }
  if (allreduce->parsed()) {
    return underMpi(planAllreduce(allreduceOptions),
                    [&](const AllreducePlan& plan, MpiSession& session) {
                      return runAllreduce(plan, allreduceOptions, session, commandLine);
                    });
  }
  // The other commands run anywhere, without MPI; their errors are bad input.
  Result<int> code = kExitBadInput;
  if (inventory->parsed()) code = runInventory(inventoryOptions, commandLine);
  if (topo->parsed()) code = runTopo(topoOptions, commandLine);
  if (place->parsed()) code = runPlace(placeOptions, commandLine);
  if (exportCommand->parsed()) code = runExport(exportOptions);
  if (compare->parsed()) code = runCompare(compareOptions, commandLine);
  if (ab->parsed()) code = runAb(abOptions, commandLine);
  if (reportCommand->parsed()) code = runReport(reportOptions);
  if (merge->parsed()) code = runMerge(mergeOptions, commandLine);
  if (replayCommand->parsed()) code = runReplay(replayOptions, commandLine);
  if (!code) return badInput(code.error().message());
  return *code;
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  return topoplan::run(argc, argv);
}
