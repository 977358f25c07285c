#include "probes/ib/rdma_probe.h"

#include <infiniband/verbs.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <vector>

#include "core/termination.h"
#include "core/units.h"

namespace topoplan {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExchangeTag = 4711;

// ibverbs reports failures through errno; they become Errors here.
Error verbsError(const std::string& call) {
  return Error(call + " failed: " + std::strerror(errno));
}

// What a peer needs to reach this rank's queue pair and buffer.
struct Endpoint {
  std::uint32_t qpn = 0;
  std::uint32_t psn = 0;
  std::uint16_t lid = 0;
  std::uint8_t gid[16] = {};
  std::uint64_t address = 0;
  std::uint32_t rkey = 0;
};

// The chosen device port: the first ACTIVE one.
struct PortChoice {
  ibv_device* device = nullptr;
  std::uint8_t port = 0;
  ibv_port_attr attr{};
};

// A RoCE port needs a GID: the first RoCE v2 IPv4-mapped one, else the first that is set.
int chooseGidIndex(ibv_context* context, const std::string& device, std::uint8_t port,
                   int tableLength) {
  int fallback = -1;
  for (int index = 0; index < tableLength; ++index) {
    ibv_gid gid{};
    if (ibv_query_gid(context, port, index, &gid) != 0) continue;
    static const std::uint8_t kZero[16] = {};
    if (std::memcmp(gid.raw, kZero, 16) == 0) continue;
    if (fallback < 0) fallback = index;
    std::ifstream type("/sys/class/infiniband/" + device + "/ports/" + std::to_string(port) +
                       "/gid_attrs/types/" + std::to_string(index));
    std::string text;
    std::getline(type, text);
    const bool ipv4Mapped = gid.raw[10] == 0xff && gid.raw[11] == 0xff;
    if (text == "RoCE v2" && ipv4Mapped) return index;
  }
  return fallback;
}

class VerbsProbe final : public RdmaProbe {
 public:
  VerbsProbe(Comm& comm, const ProbeConfig& config, double timeoutSeconds)
      : comm_(comm), config_(config), timeoutSeconds_(timeoutSeconds) {}
  ~VerbsProbe() override {
    if (mr_) ibv_dereg_mr(mr_);
    if (pd_) ibv_dealloc_pd(pd_);
    if (context_) ibv_close_device(context_);
  }
  VerbsProbe(const VerbsProbe&) = delete;
  VerbsProbe& operator=(const VerbsProbe&) = delete;

  // Opens `choice`, registers the buffer; the reason on failure.
  Status setUp(const PortChoice& choice) {
    name_ = ibv_get_device_name(choice.device);
    port_ = choice.port;
    attr_ = choice.attr;
    context_ = ibv_open_device(choice.device);
    if (!context_) return verbsError("ibv_open_device(" + name_ + ")");
    if (attr_.link_layer == IBV_LINK_LAYER_ETHERNET) {
      gidIndex_ = chooseGidIndex(context_, name_, port_, attr_.gid_tbl_len);
      if (gidIndex_ < 0) return Error(name_ + " port " + std::to_string(port_) + ": no GID set");
      if (ibv_query_gid(context_, port_, gidIndex_, &gid_) != 0) return verbsError("ibv_query_gid");
    }
    pd_ = ibv_alloc_pd(context_);
    if (!pd_) return verbsError("ibv_alloc_pd");
    region_ =
        config_.sizes.empty() ? 1 : *std::max_element(config_.sizes.begin(), config_.sizes.end());
    buffer_.assign(3 * region_, std::byte{0});
    mr_ = ibv_reg_mr(pd_, buffer_.data(), buffer_.size(),
                     IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
    if (!mr_) return verbsError("ibv_reg_mr of " + std::to_string(buffer_.size()) + " bytes");
    return okStatus();
  }

  ChannelOpener channels() override {
    return [this](int partner, bool initiator) -> Result<std::unique_ptr<PairChannel>> {
      auto channel = std::make_unique<Channel>(*this, partner, initiator);
      Status connected = connect(partner, channel->connection);
      if (!connected)
        return connected.error().context("connecting to rank " + std::to_string(partner));
      return std::unique_ptr<PairChannel>(std::move(channel));
    };
  }
  std::string port() const override { return name_ + ":" + std::to_string(port_); }
  std::string networkPath() const override {
    return attr_.link_layer == IBV_LINK_LAYER_ETHERNET ? "net-roce" : "net-ib";
  }

 private:
  // A connected RC queue pair with its completion queue, destroyed together.
  struct Connection {
    ibv_cq* cq = nullptr;
    ibv_qp* qp = nullptr;
    Endpoint remote;
    ~Connection() {
      if (qp) ibv_destroy_qp(qp);
      if (cq) ibv_destroy_cq(cq);
    }
  };

  std::byte* recvRegion() { return buffer_.data(); }
  std::byte* sendRegion() { return buffer_.data() + region_; }
  std::byte* bandwidthRegion() { return buffer_.data() + 2 * region_; }

  Status connect(int partner, Connection& c) {
    const int depth = config_.window + 2;
    c.cq = ibv_create_cq(context_, depth, nullptr, nullptr, 0);
    if (!c.cq) return verbsError("ibv_create_cq");
    ibv_qp_init_attr init{};
    init.send_cq = c.cq;
    init.recv_cq = c.cq;
    init.cap.max_send_wr = static_cast<std::uint32_t>(depth);
    init.cap.max_recv_wr = 1;
    init.cap.max_send_sge = 1;
    init.cap.max_recv_sge = 1;
    init.qp_type = IBV_QPT_RC;
    c.qp = ibv_create_qp(pd_, &init);
    if (!c.qp) return verbsError("ibv_create_qp");

    Endpoint mine;
    mine.qpn = c.qp->qp_num;
    mine.psn = static_cast<std::uint32_t>(std::random_device{}()) & 0xffffff;
    mine.lid = attr_.lid;
    std::memcpy(mine.gid, gid_.raw, sizeof mine.gid);
    mine.address = reinterpret_cast<std::uintptr_t>(buffer_.data());
    mine.rkey = mr_->rkey;
    TOPOPLAN_TRY(comm_.sendrecv(partner, std::as_bytes(std::span(&mine, 1)), partner,
                                std::as_writable_bytes(std::span(&c.remote, 1)), kExchangeTag));

    ibv_qp_attr attr{};
    attr.qp_state = IBV_QPS_INIT;
    attr.pkey_index = 0;
    attr.port_num = port_;
    attr.qp_access_flags = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE;
    if (ibv_modify_qp(c.qp, &attr,
                      IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS) != 0)
      return verbsError("ibv_modify_qp to INIT");

    attr = {};
    attr.qp_state = IBV_QPS_RTR;
    attr.path_mtu = attr_.active_mtu;
    attr.dest_qp_num = c.remote.qpn;
    attr.rq_psn = c.remote.psn;
    attr.max_dest_rd_atomic = 1;
    attr.min_rnr_timer = 12;
    attr.ah_attr.dlid = c.remote.lid;
    attr.ah_attr.port_num = port_;
    if (attr_.link_layer == IBV_LINK_LAYER_ETHERNET) {
      attr.ah_attr.is_global = 1;
      std::memcpy(attr.ah_attr.grh.dgid.raw, c.remote.gid, sizeof c.remote.gid);
      attr.ah_attr.grh.sgid_index = static_cast<std::uint8_t>(gidIndex_);
      attr.ah_attr.grh.hop_limit = 64;
    }
    if (ibv_modify_qp(c.qp, &attr,
                      IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
                          IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER) != 0)
      return verbsError("ibv_modify_qp to RTR");

    attr = {};
    attr.qp_state = IBV_QPS_RTS;
    attr.timeout = 14;
    attr.retry_cnt = 7;
    attr.rnr_retry = 7;
    attr.sq_psn = mine.psn;
    attr.max_rd_atomic = 1;
    if (ibv_modify_qp(c.qp, &attr,
                      IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
                          IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC) != 0)
      return verbsError("ibv_modify_qp to RTS");
    return synchronize(partner);
  }

  // Both ranks of the pair have reached this point.
  Status synchronize(int partner) {
    std::byte out{1}, in{0};
    return comm_.sendrecv(partner, std::span(&out, 1), partner, std::span(&in, 1), kExchangeTag);
  }

  // An RDMA write of `bytes` from `local` (in the registered buffer) to the peer's buffer at
  // `remoteOffset`.
  Status postWrite(Connection& c, const std::byte* local, std::uint64_t remoteOffset,
                   std::uint64_t bytes) {
    ibv_sge sge{};
    sge.addr = reinterpret_cast<std::uintptr_t>(local);
    sge.length = static_cast<std::uint32_t>(bytes);
    sge.lkey = mr_->lkey;
    ibv_send_wr wr{};
    wr.sg_list = &sge;
    wr.num_sge = 1;
    wr.opcode = IBV_WR_RDMA_WRITE;
    wr.send_flags = IBV_SEND_SIGNALED;
    wr.wr.rdma.remote_addr = c.remote.address + remoteOffset;
    wr.wr.rdma.rkey = c.remote.rkey;
    ibv_send_wr* bad = nullptr;
    if (const int code = ibv_post_send(c.qp, &wr, &bad); code != 0) {
      errno = code;
      return verbsError("ibv_post_send (RDMA write of " + std::to_string(bytes) + " bytes)");
    }
    return okStatus();
  }

  // Spins until `done()` or the deadline; a termination signal ends it too.
  template <typename Done>
  Status spinUntil(const std::string& what, Done&& done) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeoutSeconds_);
    for (unsigned spins = 0;; ++spins) {
      Result<bool> finished = done();
      if (!finished) return finished.error();
      if (*finished) return okStatus();
      if ((spins & 1023) == 0) {
        if (const int signal = terminationSignal()) return Error(endedBySignal(signal, what));
        if (Clock::now() > deadline) {
          return Error("no progress within " + secondsText(timeoutSeconds_) + " (--timeout) on " +
                       what);
        }
      }
    }
  }

  Status awaitCompletions(Connection& c, int count, const std::string& what) {
    int seen = 0;
    return spinUntil(what, [&]() -> Result<bool> {
      ibv_wc completions[16];
      const int n = ibv_poll_cq(c.cq, 16, completions);
      if (n < 0) return Error("ibv_poll_cq failed during " + what);
      for (int i = 0; i < n; ++i) {
        if (completions[i].status != IBV_WC_SUCCESS) {
          return Error(what + ": work completion " + ibv_wc_status_str(completions[i].status));
        }
      }
      seen += n;
      return seen >= count;
    });
  }

  Status awaitByte(const std::byte* where, std::uint8_t value, const std::string& what) {
    const volatile std::uint8_t* flag = reinterpret_cast<const volatile std::uint8_t*>(where);
    return spinUntil(what, [&]() -> Result<bool> { return *flag == value; });
  }

  // One connected pair: ping-pongs of RDMA writes whose last byte the other side polls for the
  // sample's sequence number, and windows of signaled writes timed to their completions.
  class Channel final : public PairChannel {
   public:
    Channel(VerbsProbe& probe, int partner, bool initiator)
        : probe_(probe), partner_(partner), initiator_(initiator) {
      peer_ = " with rank " + std::to_string(partner);
    }

    Status beginSize(std::uint64_t bytes) override {
      flag_ = probe_.recvRegion() + bytes - 1;
      *flag_ = std::byte{0};
      sequence_ = 0;
      return probe_.synchronize(partner_);
    }
    // The partner's buffer stays until the writes are done.
    Status endSize() override { return probe_.synchronize(partner_); }

    Result<double> pingPong(std::uint64_t bytes) override {
      const auto seq = static_cast<std::uint8_t>(sequence_++ % 250 + 1);
      const std::string what =
          "RDMA write ping-pong of " + std::to_string(bytes) + " bytes" + peer_;
      probe_.sendRegion()[bytes - 1] = std::byte{seq};
      if (!initiator_) {
        TOPOPLAN_TRY(probe_.awaitByte(flag_, seq, what));
        TOPOPLAN_TRY(probe_.postWrite(connection, probe_.sendRegion(), 0, bytes));
        TOPOPLAN_TRY(probe_.awaitCompletions(connection, 1, what));
        return 0.0;
      }
      const auto start = Clock::now();
      TOPOPLAN_TRY(probe_.postWrite(connection, probe_.sendRegion(), 0, bytes));
      TOPOPLAN_TRY(probe_.awaitByte(flag_, seq, what));
      const auto stop = Clock::now();
      TOPOPLAN_TRY(probe_.awaitCompletions(connection, 1, what));
      return std::chrono::duration<double>(stop - start).count();
    }

    // One-sided: the partner takes no part.
    Result<double> stream(std::uint64_t bytes, int count) override {
      if (!initiator_) return 0.0;
      const std::string what = "RDMA write window of " + std::to_string(bytes) + " bytes" + peer_;
      const auto start = Clock::now();
      for (int w = 0; w < count; ++w) {
        TOPOPLAN_TRY(
            probe_.postWrite(connection, probe_.bandwidthRegion(), 2 * probe_.region_, bytes));
      }
      TOPOPLAN_TRY(probe_.awaitCompletions(connection, count, what));
      return std::chrono::duration<double>(Clock::now() - start).count();
    }

    Connection connection;

   private:
    VerbsProbe& probe_;
    int partner_;
    bool initiator_;
    std::string peer_;
    std::byte* flag_ = nullptr;
    unsigned sequence_ = 0;
  };

  Comm& comm_;
  ProbeConfig config_;
  double timeoutSeconds_;
  std::string name_;
  std::uint8_t port_ = 0;
  ibv_port_attr attr_{};
  int gidIndex_ = -1;
  ibv_gid gid_{};
  ibv_context* context_ = nullptr;
  ibv_pd* pd_ = nullptr;
  ibv_mr* mr_ = nullptr;
  std::uint64_t region_ = 0;
  std::vector<std::byte> buffer_;
};

// The first ACTIVE port of any RDMA device, or why there is none.
Result<PortChoice> findActivePort(ibv_device** devices, int count) {
  if (count == 0) return Error("no RDMA device");
  for (int i = 0; i < count; ++i) {
    ibv_context* context = ibv_open_device(devices[i]);
    if (!context) continue;
    ibv_device_attr device{};
    PortChoice choice;
    if (ibv_query_device(context, &device) == 0) {
      for (int port = 1; port <= device.phys_port_cnt && !choice.device; ++port) {
        ibv_port_attr attr{};
        if (ibv_query_port(context, static_cast<std::uint8_t>(port), &attr) == 0 &&
            attr.state == IBV_PORT_ACTIVE) {
          choice = {devices[i], static_cast<std::uint8_t>(port), attr};
        }
      }
    }
    ibv_close_device(context);
    if (choice.device) return choice;
  }
  return Error("no ACTIVE port on " + std::to_string(count) + " RDMA device(s)");
}

}  // namespace

Result<std::unique_ptr<RdmaProbe>> RdmaProbe::open(Comm& comm, const ProbeConfig& config,
                                                   double timeoutSeconds, std::string& waived) {
  int count = 0;
  errno = 0;
  ibv_device** devices = ibv_get_device_list(&count);
  std::string reason;
  std::unique_ptr<VerbsProbe> probe;
  if (!devices) {
    reason = std::string("no RDMA device (ibv_get_device_list: ") + std::strerror(errno) + ")";
  } else {
    auto choice = findActivePort(devices, count);
    if (!choice) {
      reason = choice.error().message();
    } else {
      probe = std::make_unique<VerbsProbe>(comm, config, timeoutSeconds);
      if (Status ready = probe->setUp(*choice); !ready) {
        reason = ready.error().message();
        probe.reset();
      }
    }
    ibv_free_device_list(devices);  // an opened context keeps its device
  }
  // Every rank learns which ranks cannot take part; rank 0's reason names the first of them.
  auto ready = comm.allgatherValues(std::vector<int>{reason.empty() ? 1 : 0});
  if (!ready) return ready.error().context("ib probe: which ranks have an RDMA port");
  std::vector<int> missing;
  for (int r = 0; r < comm.size(); ++r) {
    if ((*ready)[static_cast<std::size_t>(r)] == 0) missing.push_back(r);
  }
  if (missing.empty()) return std::unique_ptr<RdmaProbe>(std::move(probe));
  waived = "no usable RDMA port on rank";
  waived += missing.size() > 1 ? "s" : "";
  for (std::size_t i = 0; i < missing.size() && i < 8; ++i) {
    waived += (i ? ", " : " ") + std::to_string(missing[i]);
  }
  if (missing.size() > 8) waived += ", ...";
  if (!reason.empty()) waived += " (rank " + std::to_string(comm.rank()) + ": " + reason + ")";
  return std::unique_ptr<RdmaProbe>();
}

}  // namespace topoplan
