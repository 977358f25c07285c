#include "probes/pair_channel.h"

#include <chrono>

namespace topoplan {
namespace {

constexpr int kPingTag = 201;
constexpr int kStreamTag = 202;
constexpr int kAckTag = 203;

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Point-to-point over Comm: ping-pongs, and windows of non-blocking sends answered by an ack.
class CommChannel final : public PairChannel {
 public:
  CommChannel(Comm& comm, std::vector<std::byte>& buffer, int partner, bool initiator)
      : comm_(comm), buffer_(buffer), partner_(partner), initiator_(initiator) {}

  Result<double> pingPong(std::uint64_t bytes) override {
    const std::span<std::byte> message(buffer_.data(), bytes);
    if (!initiator_) {
      TOPOPLAN_TRY(comm_.recv(partner_, message, kPingTag));
      TOPOPLAN_TRY(comm_.send(partner_, message, kPingTag));
      return 0.0;
    }
    const auto start = Clock::now();
    TOPOPLAN_TRY(comm_.send(partner_, message, kPingTag));
    TOPOPLAN_TRY(comm_.recv(partner_, message, kPingTag));
    return secondsSince(start);
  }

  Result<double> stream(std::uint64_t bytes, int count) override {
    const std::span<std::byte> message(buffer_.data(), bytes);
    std::byte ack{};
    std::vector<Request> requests;
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) {
      auto request = initiator_ ? comm_.isend(partner_, message, kStreamTag)
                                : comm_.irecv(partner_, message, kStreamTag);
      if (!request) return request.error();
      requests.push_back(*request);
    }
    TOPOPLAN_TRY(comm_.waitAll(requests));
    if (!initiator_) {
      TOPOPLAN_TRY(comm_.send(partner_, std::span<const std::byte>(&ack, 1), kAckTag));
      return 0.0;
    }
    TOPOPLAN_TRY(comm_.recv(partner_, std::span<std::byte>(&ack, 1), kAckTag));
    return secondsSince(start);
  }

 private:
  Comm& comm_;
  std::vector<std::byte>& buffer_;
  int partner_;
  bool initiator_;
};

}  // namespace

ChannelOpener commChannels(Comm& comm, std::vector<std::byte>& buffer) {
  return [&comm, &buffer](int partner, bool initiator) -> Result<std::unique_ptr<PairChannel>> {
    return std::unique_ptr<PairChannel>(
        std::make_unique<CommChannel>(comm, buffer, partner, initiator));
  };
}

}  // namespace topoplan
