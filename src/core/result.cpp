#include "core/result.h"

#include <cstdio>
#include <cstdlib>

namespace balai::core {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation_failed:
      return "validation_failed";
    case ErrorCode::bad_request:
      return "bad_request";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::unsupported_media:
      return "unsupported_media_type";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal_error";
  }
  return "internal_error";
}

void abort_on_error_access(const Error& e) {
  std::fprintf(stderr, "balai: bug: value() on an error result (%s: %s)\n",
               std::string(to_string(e.code)).c_str(), e.message.c_str());
  std::abort();
}

}  // namespace balai::core
