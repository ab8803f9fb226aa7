#include "http/form.h"

#include "core/text.h"
#include "http/detail/query_string.h"

namespace balai::http {
namespace {

using core::ErrorCode;

core::Error bad(std::string msg) {
  return core::make_error(ErrorCode::bad_request, std::move(msg));
}
core::Error too_large(std::string msg) {
  return core::make_error(ErrorCode::payload_too_large, std::move(msg));
}

// Value of a parameter in a header value (`type; name="value"; other=token`), read left to
// right so that a ';' or '=' inside a quoted value never starts a parameter. Case-insensitive
// names; nullopt when absent or when a quote is not closed.
std::optional<std::string> header_param(std::string_view header, std::string_view name) {
  size_t pos = header.find(';');
  while (pos != std::string_view::npos && pos < header.size()) {
    ++pos;  // past ';'
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == '\t')) ++pos;
    const size_t eq = header.find_first_of("=;", pos);
    if (eq == std::string_view::npos) return std::nullopt;
    if (header[eq] == ';') {  // a parameter without a value
      pos = eq;
      continue;
    }
    const std::string_view key = core::trim(header.substr(pos, eq - pos));
    std::string value;
    size_t next = eq + 1;
    while (next < header.size() && header[next] == ' ') ++next;
    if (next < header.size() && header[next] == '"') {
      bool closed = false;
      for (++next; next < header.size(); ++next) {
        if (header[next] == '\\' && next + 1 < header.size()) {
          value += header[++next];
        } else if (header[next] == '"') {
          closed = true;
          ++next;
          break;
        } else {
          value += header[next];
        }
      }
      if (!closed) return std::nullopt;
      next = header.find(';', next);
    } else {
      const size_t semi = header.find(';', next);
      value = std::string(core::trim(header.substr(next, semi - next)));
      next = semi;
    }
    if (iequals(key, name)) return value;
    pos = next;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Form::get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::vector<std::string_view> Form::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : fields)
    if (k == name) out.emplace_back(v);
  return out;
}

core::Result<Form> parse_urlencoded(std::string_view body, const FormLimits& limits) {
  Form form;
  if (body.empty()) return form;
  auto pairs = detail::decode_query(body);
  if (!pairs) return bad("the form body is not valid urlencoded data");
  for (auto& [key, value] : *pairs) {
    if (form.fields.size() >= limits.max_fields) return too_large("too many form fields");
    if (value.size() > limits.max_field_bytes) return too_large("a form field is too long");
    if (!core::is_valid_utf8(key) || !core::is_valid_utf8(value))
      return bad("the form holds text that is not valid UTF-8");
    form.fields.emplace_back(std::move(key), std::move(value));
  }
  return form;
}

core::Result<Form> parse_multipart(std::string_view body, std::string_view content_type,
                                   const FormLimits& limits) {
  const auto boundary = header_param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return bad("the multipart body has no valid boundary");
  const std::string delimiter = "--" + *boundary;
  Form form;

  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos || (pos != 0 && (pos < 2 || body.substr(pos - 2, 2) != "\r\n")))
    return bad("the multipart body does not start with its boundary");
  pos += delimiter.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") return form;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return bad("malformed multipart delimiter");
    pos += 2;
    const size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return bad("malformed multipart part headers");
    const std::string_view head = body.substr(pos, head_end - pos);
    const size_t data_start = head_end + 4;
    const size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return bad("the multipart body is not terminated");
    const std::string_view data = body.substr(data_start, next - data_start);

    std::string disposition, part_type;
    size_t line_start = 0;
    while (line_start <= head.size()) {
      const size_t eol = head.find("\r\n", line_start);
      const std::string_view line = head.substr(line_start, eol - line_start);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string_view name = core::trim(line.substr(0, colon));
        const std::string_view value = core::trim(line.substr(colon + 1));
        if (iequals(name, "Content-Disposition")) disposition = std::string(value);
        if (iequals(name, "Content-Type")) part_type = std::string(value);
      }
      if (eol == std::string_view::npos) break;
      line_start = eol + 2;
    }
    if (!core::ascii_lower(disposition).starts_with("form-data"))
      return bad("a multipart part is not form-data");
    const auto name = header_param(disposition, "name");
    if (!name || name->empty() || !core::is_valid_utf8(*name))
      return bad("a multipart part has no name");
    const auto filename = header_param(disposition, "filename");
    if (filename) {
      if (form.files.size() >= limits.max_files) return too_large("too many files");
      if (data.size() > limits.max_file_bytes) return too_large("a file is too large");
      if (!core::is_valid_utf8(*filename)) return bad("a file name is not valid UTF-8");
      if (!data.empty() || !filename->empty())
        form.files.push_back({*name, *filename, part_type, std::string(data)});
    } else {
      if (form.fields.size() >= limits.max_fields) return too_large("too many form fields");
      if (data.size() > limits.max_field_bytes) return too_large("a form field is too long");
      if (!core::is_valid_utf8(data)) return bad("the form holds text that is not valid UTF-8");
      form.fields.emplace_back(*name, std::string(data));
    }
    pos = next + 2 + delimiter.size();
  }
}

core::Result<Form> parse_form(const Request& req, const FormLimits& limits) {
  const std::string type = req.content_type();
  if (type == "application/x-www-form-urlencoded") return parse_urlencoded(req.body, limits);
  if (type == "multipart/form-data")
    return parse_multipart(req.body, req.headers.get("Content-Type").value_or(""), limits);
  return core::make_error(ErrorCode::unsupported_media, "the body must be a form");
}

}  // namespace balai::http
