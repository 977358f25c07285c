// Kubernetes Dynamic Resource Allocation (resource.k8s.io/v1, Kubernetes 1.34 and later) for a
// plan's choice inside the hosts: one ResourceClaim per host of the gang, requesting exactly the
// planned GPUs of the NVIDIA DRA driver's device class by their PCI bus ids, the standard
// attribute resource.kubernetes.io/pciBusID that drivers publish in their ResourceSlices. The
// pod that runs on a host references its claim (spec.resourceClaims); the scheduler allocates
// the claim on that host only if those GPUs are free there.
//
// What Kubernetes can act on otherwise: the device plugin hands out whichever free GPUs its
// allocator prefers (GetPreferredAllocation) and publishes no index in the API; the kubelet's
// Topology Manager (policy single-numa-node or restricted, scope pod) keeps a pod's GPUs and
// cores on one NUMA node when they fit, blind to NVLink.
#pragma once

#include <string>

#include "core/result.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

constexpr const char* kNvidiaGpuDeviceClass = "gpu.nvidia.com";

// Errors: a plan without a choice inside each host of its gang (place --node-inventory), or
// names that are no DNS names.
Result<std::string> draClaims(const PlannedGang& plan, const K8sOptions& options);

}  // namespace topoplan
