# Fails unless GCC's vectorization report for kernels/cpu/reduce.cc shows at least EXPECTED
# main loops vectorized with 16-byte vectors (one per kernel x type x op).
file(STRINGS "${REPORT}" lines REGEX "reduce\\.cc:[0-9]+:[0-9]+: optimized: loop vectorized using 16 byte vectors")
list(LENGTH lines count)
if(count LESS EXPECTED)
  message(FATAL_ERROR "only ${count} of ${EXPECTED} reduction loops vectorized (see ${REPORT})")
endif()
message(STATUS "${count} reduction loops vectorized with 16-byte vectors")
