#include "probes/nccl_topology.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/index_list.h"

namespace topoplan {
namespace {

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (!value) return "";
  std::string text(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return text;
}

bool named(xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

// PCIe bandwidth per direction in GB/s from "16 GT/s" and a width: 128b/130b encoding from
// 8 GT/s on, 8b/10b below.
double pcieGBps(const std::string& speed, const std::string& width) {
  const double gts = std::atof(speed.c_str());
  const double lanes = std::atof(width.c_str());
  const double encoding = gts >= 8 ? 128.0 / 130.0 : 0.8;
  return gts * lanes * encoding / 8.0;
}

// NCCL's affinity mask ("00000000,0000ffff,ff000000": 32-bit words, the most significant
// first) as a list of CPUs ("24-47"); "" for an empty or absent mask.
Result<std::string> cpusetOfAffinity(const std::string& mask) {
  std::vector<std::string> words{""};
  for (char c : mask) {
    if (c == ',')
      words.emplace_back();
    else
      words.back() += c;
  }
  std::vector<int> cpus;
  for (std::size_t w = words.size(); w-- > 0;) {
    const std::string& word = words[w];
    if (word.size() > 8 || word.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return Error("'" + mask + "': expected 32-bit hexadecimal words separated by commas");
    const unsigned long value = word.empty() ? 0 : std::stoul(word, nullptr, 16);
    const int base = 32 * static_cast<int>(words.size() - 1 - w);
    for (int bit = 0; bit < 32; ++bit)
      if (value & (1UL << bit)) cpus.push_back(base + bit);
  }
  return formatIndexList(std::move(cpus));
}

struct Walker {
  InventoryRecord& inventory;
  std::vector<std::pair<int, int>> gpuPlace, nicPlace;  // (numa, switch id) per device
  int switches = 0;

  static std::string join(std::pair<int, int> a, std::pair<int, int> b) {
    return a.second == b.second ? "pcie-switch" : a.first == b.first ? "numa" : "system";
  }

  void walk(xmlNode* node, int numa, int parentSwitch) {
    for (xmlNode* child = node->children; child; child = child->next) {
      if (!named(child, "pci")) {
        if (child->type == XML_ELEMENT_NODE) walk(child, numa, parentSwitch);
        continue;
      }
      const std::string cls = attribute(child, "class");
      PciDeviceRecord device;
      device.pciBusId = attribute(child, "busid");
      device.numaNode = numa;
      device.pciLinkGBps = pcieGBps(attribute(child, "link_speed"), attribute(child, "link_width"));
      device.model = attribute(child, "vendor") + ":" + attribute(child, "device");
      if (cls.rfind("0x0604", 0) == 0) {  // a PCIe switch or bridge: its children share it
        walk(child, numa, ++switches);
      } else if (cls.rfind("0x0302", 0) == 0 || cls.rfind("0x0300", 0) == 0) {
        device.kind = "gpu";
        inventory.gpus.push_back(device);
        gpuPlace.emplace_back(numa, parentSwitch);
      } else if (cls.rfind("0x0207", 0) == 0 || cls.rfind("0x0200", 0) == 0) {
        device.kind = "nic";
        inventory.nics.push_back(device);
        nicPlace.emplace_back(numa, parentSwitch);
      }
    }
  }
};

}  // namespace

Result<InventoryRecord> readNcclTopology(const std::string& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  std::unique_ptr<xmlDoc, DocDeleter> doc(
      xmlReadMemory(text->data(), static_cast<int>(text->size()), path.c_str(), nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) {
    const xmlError* error = xmlGetLastError();
    return Error(path + ":" + std::to_string(error ? error->line : 0) +
                 ": not well-formed XML: expected an NCCL <system> topology");
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || !named(root, "system")) {
    return Error(path + ": root element is not <system>: expected an NCCL topology file");
  }
  InventoryRecord inventory;
  inventory.source = path + " (NCCL topology)";
  Walker walker{inventory, {}, {}, 0};
  for (xmlNode* cpu = root->children; cpu; cpu = cpu->next) {
    if (!named(cpu, "cpu")) continue;
    const std::string numa = attribute(cpu, "numaid");
    char* end = nullptr;
    const long id = std::strtol(numa.c_str(), &end, 10);
    if (numa.empty() || *end != '\0' || id < 0 || id > 4096) {
      return Error(path + ":" + std::to_string(cpu->line) + ": <cpu numaid=\"" + numa +
                   "\">: expected a NUMA node number");
    }
    ++inventory.numaNodes;
    auto cpuset = cpusetOfAffinity(attribute(cpu, "affinity"));
    if (!cpuset)
      return Error(path + ":" + std::to_string(cpu->line) +
                   ": <cpu affinity>: " + cpuset.error().message());
    if (inventory.numaCpusets.size() <= static_cast<std::size_t>(id)) {
      inventory.numaCpusets.resize(static_cast<std::size_t>(id) + 1);
      inventory.numaPackages.resize(static_cast<std::size_t>(id) + 1, -1);
    }
    inventory.numaCpusets[static_cast<std::size_t>(id)] = *cpuset;
    inventory.numaPackages[static_cast<std::size_t>(id)] = static_cast<int>(id);
    walker.walk(cpu, static_cast<int>(id), -1 - static_cast<int>(id));
  }
  // Between GPUs as between a GPU and a NIC: behind one switch, on one CPU, or across CPUs.
  for (std::size_t a = 0; a < inventory.gpus.size(); ++a) {
    for (std::size_t b = a + 1; b < inventory.gpus.size(); ++b) {
      inventory.gpuPairs.push_back({inventory.gpus[a].pciBusId, inventory.gpus[b].pciBusId,
                                    walker.join(walker.gpuPlace[a], walker.gpuPlace[b]), 0});
    }
  }
  for (std::size_t g = 0; g < inventory.gpus.size(); ++g) {
    int best = -1;
    std::string path;
    for (std::size_t n = 0; n < inventory.nics.size(); ++n) {
      const std::string candidate = walker.join(walker.gpuPlace[g], walker.nicPlace[n]);
      const auto rank = [](const std::string& p) {
        return p == "pcie-switch" ? 2 : p == "numa" ? 1 : 0;
      };
      if (best < 0 || rank(candidate) > rank(path)) {
        best = static_cast<int>(n);
        path = candidate;
      }
    }
    if (best >= 0) {
      inventory.gpus[g].nearestNic = inventory.nics[static_cast<std::size_t>(best)].pciBusId;
      inventory.gpus[g].nicPath = path;
    }
  }
  return inventory;
}

}  // namespace topoplan
