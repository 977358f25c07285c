#include "probes/ib/ib_rate.h"

namespace topoplan {

IbRate ibRate(int widthCode, int speedCode) {
  IbRate rate;
  switch (widthCode) {
    case 1:
      rate.lanes = 1;
      break;
    case 2:
      rate.lanes = 4;
      break;
    case 4:
      rate.lanes = 8;
      break;
    case 8:
      rate.lanes = 12;
      break;
    case 16:
      rate.lanes = 2;
      break;
    default:
      break;
  }
  struct Speed {
    int code;
    const char* name;
    double laneGbps;
  };
  static constexpr Speed kSpeeds[] = {{1, "SDR", 2.5},  {2, "DDR", 5},     {4, "QDR", 10},
                                      {8, "FDR10", 10}, {16, "FDR", 14},   {32, "EDR", 25},
                                      {64, "HDR", 50},  {128, "NDR", 100}, {256, "XDR", 200}};
  for (const Speed& speed : kSpeeds) {
    if (speed.code == speedCode) {
      rate.speed = speed.name;
      rate.laneGbps = speed.laneGbps;
    }
  }
  return rate;
}

}  // namespace topoplan
