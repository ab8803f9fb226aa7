#pragma once
// Expected failures as values. A function that can fail in a way the caller must handle returns
// Result<T> (a value or an Error); Status is Result<void>. Exceptions are for bugs and start-up.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace balai::core {

// What went wrong, in terms a caller can act on. Each code maps to one HTTP status
// (http::status_for) so every layer speaks the same language.
enum class ErrorCode {
  validation_failed,  // 422: input parsed but breaks a rule; `fields` says which
  bad_request,        // 400: input could not be parsed at all
  unauthenticated,    // 401
  forbidden,          // 403
  not_found,          // 404
  conflict,           // 409: the state changed under the caller, or a duplicate
  payload_too_large,  // 413
  unsupported_media,  // 415
  rate_limited,       // 429
  unavailable,        // 503: a dependency (database, broker) is down
  internal,           // 500: a bug or an unexpected failure; message is for logs only
};

// Stable machine name of a code, used in API error bodies ("validation_failed").
std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  // Safe to show to the client: never SQL, paths or personal data.
  std::string message;
  // Field name -> what is wrong with it (validation errors).
  std::map<std::string, std::string> fields;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok(). Checked always: reading a missing value would corrupt what follows.
  T& value() & { return checked_value(); }
  const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& value() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return checked_value(); }

  // Precondition: !ok().
  const Error& error() const { return std::get<1>(state_); }
  Error&& take_error() { return std::move(std::get<1>(state_)); }

 private:
  T& checked_value() {
    if (state_.index() != 0) fail_on_error_access(std::get<1>(state_));
    return std::get<0>(state_);
  }
  [[noreturn]] static void fail_on_error_access(const Error& e);
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error&& take_error() { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

[[noreturn]] void abort_on_error_access(const Error& e);

// The status of a result whose value the caller does not need.
template <class T>
[[nodiscard]] Status status_of(Result<T> result) {
  if (!result.ok()) return result.take_error();
  return {};
}

template <class T>
void Result<T>::fail_on_error_access(const Error& e) {
  abort_on_error_access(e);
}

}  // namespace balai::core

// Propagates an error from an expression returning Result/Status.
#define BALAI_TRY(expr)                                                 \
  do {                                                                  \
    auto balai_try_result_ = (expr);                                    \
    if (!balai_try_result_.ok()) return balai_try_result_.take_error(); \
  } while (0)
