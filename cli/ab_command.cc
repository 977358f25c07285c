#include "cli/ab_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/exit_codes.h"
#include "report/gate/run_history.h"
#include "report/gate/run_level_compare.h"

namespace topoplan {
namespace {

constexpr const char* kOut = "{out}";

std::string substitute(std::string command, const std::string& out) {
  for (std::size_t at = command.find(kOut); at != std::string::npos;
       at = command.find(kOut, at + out.size()))
    command.replace(at, std::strlen(kOut), out);
  return command;
}

// Runs `command` with /bin/sh, its output to `log`; its exit status, or an error.
Result<int> runShell(const std::string& command, const std::string& log) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error(log + ": " + std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fd);
    return Error(std::string("fork: ") + std::strerror(errno));
  }
  if (child == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fd);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return Error(std::string("waitpid: ") + std::strerror(errno));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

CLI::App* addAbCommand(CLI::App& app, AbOptions& o) {
  CLI::App* command = app.add_subcommand(
      "ab",
      "Run a baseline command (A) and a candidate (B) alternately, A B B A A B ..., --runs times "
      "each, and compare them run by run: each run's median per metric is one value, and the "
      "log ratio B/A of each pair is tested (paired t test; p-values adjusted over the metrics, "
      "Holm by default). Drift during the job moves both runs of a pair alike and cancels. Each "
      "command is a shell command that writes one result document to {out}, e.g. "
      "--a 'mpirun -np 4 old/topoplan allreduce -n 20 --json {out}'. Exit 1 when B regressed, "
      "3 when a run failed.");
  command->add_option("--a", o.a, "the baseline command; {out} is its document")->required();
  command->add_option("--b", o.b, "the candidate command; {out} is its document")->required();
  command->add_option("--runs", o.runs, "runs of each command (pairs)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000));
  command->add_option("--out", o.out, "directory for the runs' documents and logs")
      ->capture_default_str();
  addGateOptions(*command, o.gate);
  return command;
}

Result<int> runAb(const AbOptions& o, const std::vector<std::string>& argv) {
  for (const auto& [command, option] : {std::pair{&o.a, "--a"}, std::pair{&o.b, "--b"}})
    if (command->find(kOut) == std::string::npos)
      return Error(std::string(option) + ": '" + *command +
                   "' has no {out}: expected where the command writes its result document");
  TOPOPLAN_TRY(checkGateOutputs(o.gate));
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) return Error("--out " + o.out + ": " + error.message());
  std::vector<MetricSet> a, b;
  for (int pair = 0; pair < o.runs; ++pair) {
    const bool aFirst = pair % 2 == 0;  // A B, B A, A B, ...
    for (int step = 0; step < 2; ++step) {
      const bool isA = (step == 0) == aFirst;
      char name[32];
      std::snprintf(name, sizeof name, "%s-%03d", isA ? "a" : "b", pair + 1);
      const std::string base = o.out + "/" + name;
      const std::string command = substitute(isA ? o.a : o.b, base + ".json");
      const auto start = std::chrono::steady_clock::now();
      auto status = runShell(command, base + ".log");
      if (!status) return status.error();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("# run %d/%d %s: exit %d, %.1f s\n", 2 * pair + step + 1, 2 * o.runs, name,
                  *status, seconds);
      std::fflush(stdout);
      if (*status != 0) {
        std::fprintf(stderr,
                     "topoplan ab: run %s (%s) exited with status %d; its output is in %s\n", name,
                     command.c_str(), *status, (base + ".log").c_str());
        return static_cast<int>(kExitRuntime);
      }
      auto runs = readRuns(base + ".json");
      if (!runs) {
        std::fprintf(stderr, "topoplan ab: run %s wrote no readable document: %s\n", name,
                     runs.error().message().c_str());
        return static_cast<int>(kExitRuntime);
      }
      if (runs->size() != 1 || !runs->front().incomplete.empty()) {
        std::fprintf(stderr, "topoplan ab: run %s: expected one complete run in %s\n", name,
                     (base + ".json").c_str());
        return static_cast<int>(kExitRuntime);
      }
      (isA ? a : b).push_back(runs->front());
    }
  }
  CompareResult result = comparePaired(a, b, gateSettings(o.gate));
  result.baselineSource = "A (" + o.a + "), " + std::to_string(o.runs) + " runs";
  result.currentSource = "B (" + o.b + "), " + std::to_string(o.runs) + " runs";
  TOPOPLAN_TRY(writeGateViews(result, o.gate, b.back(), argv));
  return result.count(Verdict::kRegressed) > 0 ? 1 : 0;
}

}  // namespace topoplan
