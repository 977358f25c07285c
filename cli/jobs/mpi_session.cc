#include "cli/jobs/mpi_session.h"

#include <cstdlib>

namespace topoplan {
namespace {

// Environment variables in which launchers announce the job's size and this process's rank.
constexpr const char* kSizeVariables[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                          "MV2_COMM_WORLD_SIZE", "SLURM_NTASKS"};
constexpr const char* kRankVariables[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
                                          "MV2_COMM_WORLD_RANK", "SLURM_PROCID"};

std::optional<int> positiveInteger(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 0 || value > (1 << 30)) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

std::optional<int> launcherRank() {
  for (const char* variable : kRankVariables) {
    if (auto rank = positiveInteger(std::getenv(variable))) return rank;
  }
  return std::nullopt;
}

MpiSession::MpiSession(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

Status MpiSession::checkLauncherAgrees() const {
  if (size_ != 1) return okStatus();
  for (const char* variable : kSizeVariables) {
    const auto declared = positiveInteger(std::getenv(variable));
    if (declared && *declared > 1) {
      return Error(std::string("started as one of ") + std::to_string(*declared) + " ranks (" +
                   variable + "=" + std::to_string(*declared) +
                   ") but MPI sees a world of 1 rank: this binary's MPI (" + libraryVersion() +
                   ") does not match the launcher; expected the mpirun of the same MPI");
    }
  }
  return okStatus();
}

std::string MpiSession::libraryVersion() {
  char version[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(version, &length);
  std::string text(version, static_cast<std::size_t>(length));
  const std::size_t end = text.find_first_of("\n,");
  return text.substr(0, end);
}

}  // namespace topoplan
