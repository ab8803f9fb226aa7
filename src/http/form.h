#pragma once
// Decoding of HTML form bodies: application/x-www-form-urlencoded and multipart/form-data,
// with limits. Every value is checked to be valid UTF-8 (file contents excepted).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/request.h"

namespace balai::http {

struct FormLimits {
  size_t max_fields = 200;
  size_t max_field_bytes = 64 * 1024;  // one text value
  size_t max_files = 5;
  size_t max_file_bytes = 5 * 1024 * 1024;
};

struct UploadedFile {
  std::string field;         // form field name
  std::string filename;      // as the browser sent it; never used as a path
  std::string content_type;  // as the browser claimed; check the bytes before trusting it
  std::string data;
};

struct Form {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<UploadedFile> files;

  // First value of a field.
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value of a repeated field (checkboxes).
  std::vector<std::string_view> all(std::string_view name) const;
};

// Decodes an urlencoded body ('+' is a space). bad_request on invalid percent-encoding or
// invalid UTF-8; payload_too_large when over the limits.
[[nodiscard]] core::Result<Form> parse_urlencoded(std::string_view body,
                                                  const FormLimits& limits = {});

// Decodes a multipart/form-data body; `content_type` is the whole header (with boundary).
[[nodiscard]] core::Result<Form> parse_multipart(std::string_view body,
                                                 std::string_view content_type,
                                                 const FormLimits& limits = {});

// Decodes a request's form body by its Content-Type; unsupported_media (415) otherwise.
[[nodiscard]] core::Result<Form> parse_form(const Request& req, const FormLimits& limits = {});

}  // namespace balai::http
