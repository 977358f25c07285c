#include "allreduce/nccl/nccl_library.h"

#include <dlfcn.h>
#include <link.h>

namespace topoplan {
namespace {

constexpr const char* kSoname = "libnccl.so.2";

template <typename Function>
Status resolve(void* handle, const char* name, Function& out) {
  dlerror();
  void* symbol = dlsym(handle, name);
  if (!symbol) {
    const char* why = dlerror();
    return Error(std::string(kSoname) + ": no " + name +
                 (why ? std::string(" (") + why + ")" : ""));
  }
  out = reinterpret_cast<Function>(symbol);
  return okStatus();
}

}  // namespace

Result<std::shared_ptr<const NcclLibrary>> NcclLibrary::load() {
  std::shared_ptr<NcclLibrary> library(new NcclLibrary());
  library->handle_ = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (!library->handle_) {
    const char* why = dlerror();
    return Error("NCCL not found: " + std::string(why ? why : kSoname) +
                 " (add the folder of libnccl.so.2 to LD_LIBRARY_PATH)");
  }
  link_map* map = nullptr;
  if (dlinfo(library->handle_, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name)
    library->path_ = map->l_name;
  NcclLibrary& l = *library;
  TOPOPLAN_TRY(resolve(l.handle_, "ncclGetVersion", l.getVersion));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclGetErrorString", l.getErrorString));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclGetLastError", l.getLastError));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclGetUniqueId", l.getUniqueId));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclCommInitRank", l.commInitRank));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclCommDestroy", l.commDestroy));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclCommAbort", l.commAbort));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclCommGetAsyncError", l.commGetAsyncError));
  TOPOPLAN_TRY(resolve(l.handle_, "ncclAllReduce", l.allReduce));
  return std::shared_ptr<const NcclLibrary>(std::move(library));
}

NcclLibrary::~NcclLibrary() {
  if (handle_) dlclose(handle_);
}

std::string NcclLibrary::version() const {
  int code = 0;
  if (getVersion(&code) != ncclSuccess) return "NCCL";
  return "NCCL " + std::to_string(code / 10000) + "." + std::to_string(code / 100 % 100) + "." +
         std::to_string(code % 100);
}

}  // namespace topoplan
