// An InfiniBand port's rate from the codes ibv_query_port reports (active_width, active_speed),
// as ibstat prints it: lanes x the lane's rate in Gb/s (4x HDR: 200).
#pragma once

#include <string>

namespace topoplan {

struct IbRate {
  int lanes = 0;      // 0: unknown width code
  std::string speed;  // "SDR" ... "NDR"; empty: unknown speed code
  double laneGbps = 0;
  double rateGbps() const { return lanes * laneGbps; }
};

IbRate ibRate(int widthCode, int speedCode);

}  // namespace topoplan
