// The verdict on a verify run. The gang is slower than another candidate when its median time is
// above the other's and the two sample sets differ at `alpha` (two-sided Mann-Whitney U,
// significance.h, with Holm's correction over the candidates it is compared with): the placement
// was wrong. With a tolerance, the gang's predicted busbw off its measured by more than it also
// fails. A run that measured no gang fails.
#pragma once

#include "report/documents/verify_document.h"

namespace topoplan {

VerifyVerdict judge(const VerifyRun& run);

}  // namespace topoplan
