// NCCL, loaded at run time (dlopen of libnccl.so.2 through the usual library search: the
// LD_LIBRARY_PATH, the loader's cache, /usr/local/cuda's lib where it is configured). So topoplan
// starts where NCCL is missing or lives elsewhere than at build time (a CUDA image whose NCCL
// comes with Python's nvidia packages), and `--algo nccl` is waived there with the reason.
// The functions keep nccl.h's types, so every call is checked against the header we built with.
#pragma once

#include <nccl.h>

#include <memory>
#include <string>

#include "core/result.h"

namespace topoplan {

class NcclLibrary {
 public:
  // Errors: the library or one of its functions is not found (the loader's message).
  static Result<std::shared_ptr<const NcclLibrary>> load();
  ~NcclLibrary();
  NcclLibrary(const NcclLibrary&) = delete;
  NcclLibrary& operator=(const NcclLibrary&) = delete;

  const std::string& path() const { return path_; }  // the file the loader opened
  std::string version() const;                       // "NCCL 2.28.9"

  decltype(&ncclGetVersion) getVersion = nullptr;
  decltype(&ncclGetErrorString) getErrorString = nullptr;
  decltype(&ncclGetLastError) getLastError = nullptr;
  decltype(&ncclGetUniqueId) getUniqueId = nullptr;
  decltype(&ncclCommInitRank) commInitRank = nullptr;
  decltype(&ncclCommDestroy) commDestroy = nullptr;
  decltype(&ncclCommAbort) commAbort = nullptr;
  decltype(&ncclCommGetAsyncError) commGetAsyncError = nullptr;
  decltype(&ncclAllReduce) allReduce = nullptr;

 private:
  NcclLibrary() = default;
  void* handle_ = nullptr;
  std::string path_;
};

}  // namespace topoplan
