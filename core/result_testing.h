// For tests: take the value of a Result, or fail the test with its error. Dereferencing a failed
// Result aborts the whole test binary; this fails one test and says why.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#define TOPOPLAN_ASSERT_OK_AND_ASSIGN(name, expression)               \
  auto name##_result = (expression);                                  \
  ASSERT_TRUE(name##_result.ok()) << name##_result.error().message(); \
  auto name = std::move(*name##_result)

#include <stdexcept>

namespace topoplan {

// For helpers that return a value (where ASSERT cannot): the value, or an exception that gtest
// reports as the failure of the test that called the helper.
template <class T, class R>
T valueOrThrow(R result) {
  if (!result.ok()) throw std::runtime_error(result.error().message());
  return std::move(*result);
}

}  // namespace topoplan
