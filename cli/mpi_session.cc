#include "cli/mpi_session.h"

#include <cstdlib>
#include <cstring>

#include "probes/transport/mpi_comm.h"

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

Result<std::vector<std::string>> MpiSession::rankHosts() const {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  TOPOPLAN_MPI_TRY(MPI_Get_processor_name(name, &length));
  std::vector<char> all(static_cast<std::size_t>(size_) * MPI_MAX_PROCESSOR_NAME);
  TOPOPLAN_MPI_TRY(MPI_Allgather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all.data(),
                                 MPI_MAX_PROCESSOR_NAME, MPI_CHAR, MPI_COMM_WORLD));
  std::vector<std::string> hosts;
  for (int r = 0; r < size_; ++r) {
    const char* start = all.data() + static_cast<std::size_t>(r) * MPI_MAX_PROCESSOR_NAME;
    hosts.emplace_back(start, strnlen(start, MPI_MAX_PROCESSOR_NAME));
  }
  return hosts;
}

Result<std::vector<int>> MpiSession::localRanks() const {
  MPI_Comm node = MPI_COMM_NULL;
  TOPOPLAN_MPI_TRY(
      MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node));
  int local = 0;
  const int code = MPI_Comm_rank(node, &local);
  MPI_Comm_free(&node);
  TOPOPLAN_MPI_TRY(code);
  std::vector<int> all(static_cast<std::size_t>(size_));
  TOPOPLAN_MPI_TRY(MPI_Allgather(&local, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD));
  return all;
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
