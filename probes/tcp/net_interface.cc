#include "probes/tcp/net_interface.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace topoplan {
namespace {

namespace fs = std::filesystem;

std::string readSys(const fs::path& path) {
  std::ifstream in(path);
  std::string value;
  std::getline(in, value);
  return value;
}

std::string kindOf(const std::string& name) {
  const fs::path dir = fs::path("/sys/class/net") / name;
  std::error_code ec;
  const std::string type = readSys(dir / "type");
  if (type == "772") return "loopback";
  if (type == "32") return "ipoib";
  const std::string uevent = [&] {
    std::ifstream in(dir / "uevent");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }();
  if (uevent.find("DEVTYPE=bridge") != std::string::npos || fs::exists(dir / "bridge", ec))
    return "bridge";
  if (uevent.find("DEVTYPE=vxlan") != std::string::npos ||
      uevent.find("DEVTYPE=geneve") != std::string::npos) {
    return "overlay";
  }
  if (fs::exists(dir / "device", ec)) return "physical";
  // A veth's peer has another index: iflink names it.
  if (readSys(dir / "iflink") != readSys(dir / "ifindex")) return "veth";
  return "virtual";
}

std::string defaultRouteInterface() {
  std::ifstream routes("/proc/net/route");
  std::string line;
  std::getline(routes, line);  // header
  while (std::getline(routes, line)) {
    std::istringstream fields(line);
    std::string iface, destination;
    fields >> iface >> destination;
    if (destination == "00000000") return iface;
  }
  return "";
}

}  // namespace

std::vector<NetInterface> listInterfaces() {
  std::map<std::string, NetInterface> byName;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/sys/class/net", ec)) {
    NetInterface iface;
    iface.name = entry.path().filename();
    iface.kind = kindOf(iface.name);
    try {
      iface.mtu = std::stoi(readSys(entry.path() / "mtu"));
      iface.speedMbps = std::stoi(readSys(entry.path() / "speed"));
    } catch (...) {
      // absent or unreadable (virtual interfaces have no speed): stays unknown
    }
    iface.up = readSys(entry.path() / "operstate") != "down";
    byName[iface.name] = iface;
  }
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* a = list; a; a = a->ifa_next) {
      if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !byName.count(a->ifa_name)) continue;
      char text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
      if (byName[a->ifa_name].ipv4.empty()) byName[a->ifa_name].ipv4 = text;
    }
    freeifaddrs(list);
  }
  std::vector<NetInterface> interfaces;
  for (auto& [name, iface] : byName) interfaces.push_back(iface);
  return interfaces;
}

Result<NetInterface> chooseInterface(const std::string& name) {
  const std::vector<NetInterface> interfaces = listInterfaces();
  auto find = [&](const std::string& wanted) -> const NetInterface* {
    for (const NetInterface& iface : interfaces) {
      if (iface.name == wanted) return &iface;
    }
    return nullptr;
  };
  if (!name.empty()) {
    const NetInterface* iface = find(name);
    if (!iface) return Error("--tcp-iface " + name + ": no such interface on this host");
    if (iface->ipv4.empty()) return Error("--tcp-iface " + name + ": has no IPv4 address");
    return *iface;
  }
  if (const NetInterface* iface = find(defaultRouteInterface()); iface && !iface->ipv4.empty()) {
    return *iface;
  }
  for (const NetInterface& iface : interfaces) {
    if (iface.up && iface.kind != "loopback" && !iface.ipv4.empty()) return iface;
  }
  for (const NetInterface& iface : interfaces) {
    if (iface.kind == "loopback" && !iface.ipv4.empty()) return iface;
  }
  return Error("no interface with an IPv4 address: expected --tcp-iface IFACE");
}

std::string pathKind(const NetInterface& iface) {
  if (iface.kind == "loopback") return "loopback";
  if (iface.kind == "ipoib") return "net-ib";
  if (iface.kind == "overlay") return "net-overlay";
  if (iface.kind == "veth" || iface.kind == "bridge") return "net-container";
  return "net-eth";
}

}  // namespace topoplan
