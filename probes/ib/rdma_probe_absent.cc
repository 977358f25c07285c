// RdmaProbe for builds without rdma-core.
#include "probes/ib/rdma_probe.h"

namespace topoplan {

Result<std::unique_ptr<RdmaProbe>> RdmaProbe::open(Comm&, const ProbeConfig&, double,
                                                   std::string& waived) {
  waived = "this build has no ibverbs support (libibverbs-dev was not found)";
  return std::unique_ptr<RdmaProbe>();
}

}  // namespace topoplan
