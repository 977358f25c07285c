#include "probes/tcp/tcp_probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "core/result_testing.h"

#include <atomic>

#include "core/thread_comm.h"
#include "probes/link_probe.h"

namespace topoplan {
namespace {

// Connects to 127.0.0.1:port and sends `junk` bytes (0: none, holding the connection open).
void attack(int port, std::size_t junk) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && junk > 0) {
    std::vector<char> bytes(junk, 'x');
    (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  ::close(fd);  // the completed connection waits in the listener's backlog
}

TEST(NetInterface, LoopbackAndErrors) {
  auto lo = chooseInterface("lo");
  ASSERT_TRUE(lo.ok()) << lo.error().message();
  EXPECT_EQ(lo->kind, "loopback");
  EXPECT_EQ(lo->ipv4, "127.0.0.1");
  EXPECT_EQ(pathKind(*lo), "loopback");
  EXPECT_EQ(chooseInterface("nope0").error().message(),
            "--tcp-iface nope0: no such interface on this host");
  EXPECT_TRUE(chooseInterface("").ok());
  EXPECT_EQ(pathKind({"v", "veth", "", 0, -1, true}), "net-container");
  EXPECT_EQ(pathKind({"vx0", "overlay", "", 0, -1, true}), "net-overlay");
  EXPECT_EQ(pathKind({"ib0", "ipoib", "", 0, -1, true}), "net-ib");
}

// Strangers connect to every listener without the token, with garbage and with an oversize
// frame; the probe drops them and still measures every pair.
TEST(TcpProbe, DropsConnectionsWithoutTheTokenAndCompletes) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(lo, chooseInterface("lo"));
  ProbeConfig config;
  config.sizes = {64, 65536};
  config.iters = 3;
  config.window = 4;
  std::vector<int> ports(4);
  std::atomic<int> rejected{0};
  std::vector<ProbeResult> results(4);
  auto statuses = ThreadWorld::run(4, [&](Comm& comm) -> Status {
    auto probe = TcpProbe::open(comm, lo, config, 20.0);
    if (!probe) return probe.error();
    ports[static_cast<std::size_t>(comm.rank())] = (*probe)->port();
    TOPOPLAN_TRY(comm.barrier());
    if (comm.rank() == 0) {
      for (int port : ports) {
        attack(port, 24);       // a hello-sized message with the wrong token
        attack(port, 1 << 16);  // an oversize frame
        attack(port, 0);        // connects and says nothing
      }
    }
    TOPOPLAN_TRY(comm.barrier());
    LinkProbeSetup setup;
    setup.config = config;
    setup.firstPass = allPairRounds(4, false);
    setup.rankHosts = {"a", "b", "c", "d"};
    TOPOPLAN_TRY(runLinkProbe(comm, setup, (*probe)->channels(),
                              results[static_cast<std::size_t>(comm.rank())]));
    rejected += (*probe)->rejected();
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_EQ(results[0].links.size(), 6u);
  for (const LinkMeasurement& link : results[0].links) {
    const auto& figures = link.primary();
    ASSERT_EQ(figures.size(), 2u);
    EXPECT_GT(figures[1].bwGbps.median, 0.0);
  }
  EXPECT_GT(rejected.load(), 0);
}

}  // namespace
}  // namespace topoplan
