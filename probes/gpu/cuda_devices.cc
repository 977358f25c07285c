#include "probes/gpu/cuda_devices.h"

#include <cuda_runtime_api.h>

#include <string>

namespace topoplan {
namespace {

std::string cudaText(cudaError_t code) {
  return std::string(cudaGetErrorName(code)) + ": " + cudaGetErrorString(code);
}

int peerAttribute(cudaDeviceP2PAttr attribute, int a, int b) {
  int value = 0;
  if (cudaDeviceGetP2PAttribute(&value, attribute, a, b) != cudaSuccess) {
    cudaGetLastError();
    return -1;
  }
  return value;
}

}  // namespace

CudaInventory readCudaDevices() {
  CudaInventory inventory;
  int count = 0;
  if (const cudaError_t code = cudaGetDeviceCount(&count); code != cudaSuccess) {
    cudaGetLastError();  // the "no driver / no device" error is sticky otherwise
    inventory.absentReason = "no CUDA device (cudaGetDeviceCount: " + cudaText(code) + ")";
    return inventory;
  }
  if (count == 0) {
    inventory.absentReason = "no CUDA device";
    return inventory;
  }
  for (int d = 0; d < count; ++d) {
    CudaDeviceRecord device;
    device.index = d;
    cudaDeviceProp properties{};
    char busId[32] = {};
    if (cudaGetDeviceProperties(&properties, d) == cudaSuccess) {
      device.name = properties.name;
      device.memoryBytes = properties.totalGlobalMem;
      device.computeMajor = properties.major;
      device.computeMinor = properties.minor;
    }
    if (cudaDeviceGetPCIBusId(busId, sizeof busId, d) == cudaSuccess) device.pciBusId = busId;
    cudaGetLastError();
    inventory.devices.push_back(device);
  }
  for (int a = 0; a < count; ++a) {
    for (int b = 0; b < count; ++b) {
      if (a == b) continue;
      CudaPeerRecord peer{a, b};
      int access = 0;
      peer.access = cudaDeviceCanAccessPeer(&access, a, b) == cudaSuccess && access != 0;
      peer.performanceRank = peerAttribute(cudaDevP2PAttrPerformanceRank, a, b);
      peer.nativeAtomics = peerAttribute(cudaDevP2PAttrNativeAtomicSupported, a, b) == 1;
      cudaGetLastError();
      inventory.peers.push_back(peer);
    }
  }
  return inventory;
}

}  // namespace topoplan
