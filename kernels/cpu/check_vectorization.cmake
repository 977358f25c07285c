# Fails unless GCC's vectorization report REPORT shows at least EXPECTED loops of the reduction
# kernels vectorized with VECTOR_BYTES-byte vectors (one per kernel x type x op).
file(STRINGS "${REPORT}" lines
     REGEX "reduce_loops\\.h:[0-9]+:[0-9]+: optimized: loop vectorized using ${VECTOR_BYTES} byte vectors")
list(LENGTH lines count)
if(count LESS EXPECTED)
  message(FATAL_ERROR "only ${count} of ${EXPECTED} reduction loops vectorized with "
                      "${VECTOR_BYTES}-byte vectors (see ${REPORT})")
endif()
message(STATUS "${count} reduction loops vectorized with ${VECTOR_BYTES}-byte vectors")
