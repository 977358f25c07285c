#include "probes/tcp/tcp_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>

#include "core/termination.h"
#include "core/units.h"

namespace topoplan {
namespace {

constexpr std::uint32_t kMagic = 0x54505031;  // "TPP1"

#pragma pack(push, 1)
struct Hello {
  std::uint32_t magic;
  std::uint32_t rank;
  std::uint8_t token[16];
};
#pragma pack(pop)

using Clock = std::chrono::steady_clock;

// Closes a socket when it goes out of scope.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

Clock::time_point deadlineAfter(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

Error socketError(const std::string& what) {
  return Error(what + ": " + std::strerror(errno));
}

Status waitFor(int fd, short events, Clock::time_point deadline, const char* what) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error(std::string(what) + ": no progress within --timeout");
    if (const int signal = terminationSignal()) {
      return Error(endedBySignal(signal, std::string("a ") + what));
    }
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
    if (ready > 0) return okStatus();
    if (ready < 0 && errno != EINTR) return socketError(what);
  }
}

Status sendAll(int fd, const void* data, std::size_t size, Clock::time_point deadline) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    TOPOPLAN_TRY(waitFor(fd, POLLOUT, deadline, "tcp send"));
    const ssize_t n = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return socketError("tcp send");
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return okStatus();
}

// Reads exactly `size` bytes: never more than the caller's bounded buffer.
Status recvAll(int fd, void* data, std::size_t size, Clock::time_point deadline) {
  auto* bytes = static_cast<std::uint8_t*>(data);
  while (size > 0) {
    TOPOPLAN_TRY(waitFor(fd, POLLIN, deadline, "tcp receive"));
    const ssize_t n = ::recv(fd, bytes, size, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n == 0) return Error("tcp receive: the peer closed the connection");
    if (n < 0) return socketError("tcp receive");
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return okStatus();
}

void noDelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

Result<std::unique_ptr<TcpProbe>> TcpProbe::open(Comm& comm, const NetInterface& iface,
                                                 const ProbeConfig& config, double timeoutSeconds) {
  std::unique_ptr<TcpProbe> probe(new TcpProbe(comm.rank(), config, timeoutSeconds));
  probe->buffer_.resize(*std::max_element(config.sizes.begin(), config.sizes.end()));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  if (inet_pton(AF_INET, iface.ipv4.c_str(), &address.sin_addr) != 1) {
    return Error("tcp: interface " + iface.name + " address '" + iface.ipv4 + "' is not IPv4");
  }
  probe->listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (probe->listener_ < 0) return socketError("tcp: socket");
  if (::bind(probe->listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return socketError("tcp: bind to " + iface.name + " (" + iface.ipv4 + ")");
  }
  if (::listen(probe->listener_, 64) != 0) return socketError("tcp: listen");
  socklen_t length = sizeof address;
  ::getsockname(probe->listener_, reinterpret_cast<sockaddr*>(&address), &length);
  probe->port_ = ntohs(address.sin_port);

  // The job token, from rank 0 to all.
  std::array<std::uint8_t, 16> token{};
  if (comm.rank() == 0) {
    std::random_device random;
    for (auto& byte : token) byte = static_cast<std::uint8_t>(random());
  }
  TOPOPLAN_TRY(comm.broadcastValue(token, 0));
  probe->token_.assign(token.begin(), token.end());
  auto endpoints = comm.allgatherValues(
      std::vector<Endpoint>{{address.sin_addr.s_addr, static_cast<std::uint16_t>(probe->port_)}});
  if (!endpoints) return endpoints.error();
  probe->endpoints_ = std::move(*endpoints);
  return probe;
}

TcpProbe::~TcpProbe() {
  if (listener_ >= 0) ::close(listener_);
}

Result<int> TcpProbe::connectTo(int partner) {
  const auto deadline = deadlineAfter(timeoutSeconds_);
  const Endpoint& end = endpoints_[static_cast<std::size_t>(partner)];
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = end.address;
  address.sin_port = htons(end.port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return socketError("tcp: socket");
  Socket socket(fd);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS) {
    return socketError("tcp: connect to rank " + std::to_string(partner));
  }
  TOPOPLAN_TRY(waitFor(fd, POLLOUT, deadline, "tcp connect"));
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) {
    errno = error;
    return socketError("tcp: connect to rank " + std::to_string(partner));
  }
  noDelay(fd);
  Hello hello{kMagic, static_cast<std::uint32_t>(rank_), {}};
  std::copy(token_.begin(), token_.end(), hello.token);
  TOPOPLAN_TRY(sendAll(fd, &hello, sizeof hello, deadline));
  socket.fd = -1;
  return fd;
}

Result<int> TcpProbe::acceptFrom(int partner) {
  const auto deadline = deadlineAfter(timeoutSeconds_);
  while (true) {
    Status ready = waitFor(listener_, POLLIN, deadline, "tcp accept");
    if (!ready) {
      return ready.error().context("tcp: waiting for rank " + std::to_string(partner));
    }
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;
    Socket socket(fd);
    Hello hello{};
    // A connection gets a short deadline to prove itself; one without the token is dropped.
    const auto helloDeadline = std::min(deadline, deadlineAfter(2.0));
    const bool valid = recvAll(fd, &hello, sizeof hello, helloDeadline).ok() &&
                       hello.magic == kMagic && hello.rank == static_cast<std::uint32_t>(partner) &&
                       std::equal(token_.begin(), token_.end(), hello.token);
    if (!valid) {
      ++rejected_;
      continue;
    }
    noDelay(fd);
    socket.fd = -1;
    return fd;
  }
}

namespace {

// One connected pair over a socket: ping-pongs, and back-to-back messages answered by a 1-byte
// ack.
class TcpChannel final : public PairChannel {
 public:
  TcpChannel(int fd, std::vector<std::byte>& buffer, bool initiator, double timeoutSeconds)
      : socket_(fd), buffer_(buffer), initiator_(initiator), timeoutSeconds_(timeoutSeconds) {}

  Result<double> pingPong(std::uint64_t bytes) override {
    const auto start = Clock::now();
    if (initiator_) {
      TOPOPLAN_TRY(sendAll(socket_.fd, buffer_.data(), bytes, deadline()));
      TOPOPLAN_TRY(recvAll(socket_.fd, buffer_.data(), bytes, deadline()));
      return secondsSince(start);
    }
    TOPOPLAN_TRY(recvAll(socket_.fd, buffer_.data(), bytes, deadline()));
    TOPOPLAN_TRY(sendAll(socket_.fd, buffer_.data(), bytes, deadline()));
    return 0.0;
  }

  Result<double> stream(std::uint64_t bytes, int count) override {
    std::uint8_t ack = 1;
    const auto start = Clock::now();
    if (initiator_) {
      for (int i = 0; i < count; ++i)
        TOPOPLAN_TRY(sendAll(socket_.fd, buffer_.data(), bytes, deadline()));
      TOPOPLAN_TRY(recvAll(socket_.fd, &ack, 1, deadline()));
      return secondsSince(start);
    }
    for (int i = 0; i < count; ++i)
      TOPOPLAN_TRY(recvAll(socket_.fd, buffer_.data(), bytes, deadline()));
    TOPOPLAN_TRY(sendAll(socket_.fd, &ack, 1, deadline()));
    return 0.0;
  }

 private:
  Clock::time_point deadline() const { return deadlineAfter(timeoutSeconds_); }
  static double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  Socket socket_;
  std::vector<std::byte>& buffer_;
  bool initiator_;
  double timeoutSeconds_;
};

}  // namespace

ChannelOpener TcpProbe::channels() {
  return [this](int partner, bool initiator) -> Result<std::unique_ptr<PairChannel>> {
    auto connection = initiator ? connectTo(partner) : acceptFrom(partner);
    if (!connection) return connection.error();
    return std::unique_ptr<PairChannel>(
        std::make_unique<TcpChannel>(*connection, buffer_, initiator, timeoutSeconds_));
  };
}

}  // namespace topoplan
