// Result<T>: a value or an Error that names what went wrong and where.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/check.h"

namespace topoplan {

// An expected failure: a message that names the input, the field and what was expected.
class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}

  const std::string& message() const { return message_; }

  // Prefixes context, e.g. Error("expected a number").context("file.csv:3") ->
  // "file.csv:3: expected a number".
  [[nodiscard]] Error context(const std::string& where) const {
    return Error(where + ": " + message_);
  }

 private:
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    TOPOPLAN_CHECK(ok(), "value() on an error Result: " + error().message());
    return std::get<0>(state_);
  }
  const T& value() const& {
    TOPOPLAN_CHECK(ok(), "value() on an error Result: " + error().message());
    return std::get<0>(state_);
  }
  T&& value() && {
    TOPOPLAN_CHECK(ok(), "value() on an error Result: " + error().message());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

  const Error& error() const {
    TOPOPLAN_CHECK(!ok(), "error() on a successful Result");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    TOPOPLAN_CHECK(!ok(), "error() on a successful Status");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status okStatus() {
  return {};
}

}  // namespace topoplan

// Propagates an error from an expression returning Status or Result<T>.
#define TOPOPLAN_TRY(expr)                 \
  do {                                     \
    auto topoplan_try_status_ = (expr);    \
    if (!topoplan_try_status_.ok()) {      \
      return topoplan_try_status_.error(); \
    }                                      \
  } while (0)
