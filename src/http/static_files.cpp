#include "http/static_files.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "http/router.h"

namespace balai::http {
namespace fs = std::filesystem;

std::string_view media_type_for(std::string_view name) {
  const size_t dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

core::Result<StaticFiles> StaticFiles::load(const std::string& dir) {
  StaticFiles out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return core::make_error(core::ErrorCode::not_found, "static folder not found: " + dir);
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    File f;
    f.content = buf.str();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(f.content.data(), f.content.size(), digest, &len, EVP_sha256(), nullptr);
    const std::string hex = core::to_hex(std::span<const uint8_t>(digest, len));
    f.fingerprint = hex.substr(0, 8);
    f.etag = "\"" + hex.substr(0, 16) + "\"";
    f.content_type = std::string(media_type_for(rel));
    out.files_.emplace(rel, std::move(f));
  }
  if (ec) return core::make_error(core::ErrorCode::internal, "cannot read static folder: " + dir);
  return out;
}

std::string StaticFiles::url_for(std::string_view name) const {
  auto it = files_.find(name);
  if (it == files_.end()) return fmt::format("/static/{}", name);
  const size_t dot = name.rfind('.');
  const size_t slash = name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return fmt::format("/static/{}.{}", name, it->second.fingerprint);
  return fmt::format("/static/{}.{}{}", name.substr(0, dot), it->second.fingerprint,
                     name.substr(dot));
}

const StaticFiles::File* StaticFiles::find(std::string_view name, bool& fingerprinted) const {
  fingerprinted = false;
  if (auto it = files_.find(name); it != files_.end()) return &it->second;
  // "LICENSE.1a2b3c4d" -> "LICENSE" (a name without extension carries the fingerprint last).
  if (name.size() > 9 && name[name.size() - 9] == '.') {
    auto it = files_.find(name.substr(0, name.size() - 9));
    if (it != files_.end() && it->second.fingerprint == name.substr(name.size() - 8)) {
      fingerprinted = true;
      return &it->second;
    }
  }
  // "css/balai.1a2b3c4d.css" -> "css/balai.css" with fingerprint "1a2b3c4d".
  const size_t last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot < 9) return nullptr;
  const size_t fp_dot = last_dot - 9;
  if (name[fp_dot] != '.') return nullptr;
  const std::string_view fp = name.substr(fp_dot + 1, 8);
  const std::string plain =
      std::string(name.substr(0, fp_dot)) + std::string(name.substr(last_dot));
  auto it = files_.find(plain);
  if (it == files_.end() || it->second.fingerprint != fp) return nullptr;
  fingerprinted = true;
  return &it->second;
}

Response StaticFiles::serve(const Request& req) const {
  const std::string_view name = req.param("path");
  bool fingerprinted = false;
  const File* f = name.find("..") == std::string_view::npos ? find(name, fingerprinted) : nullptr;
  if (!f) {
    Response r = Response::text(404, "Not Found\n");
    r.headers.set("Cache-Control", "no-cache");
    return r;
  }
  Response r;
  r.headers.set("ETag", f->etag);
  r.headers.set("Cache-Control",
                fingerprinted ? "public, max-age=31536000, immutable" : "public, no-cache");
  if (auto inm = req.headers.get("If-None-Match");
      inm && inm->find(f->etag) != std::string_view::npos) {
    r.status = 304;
    return r;
  }
  r.headers.set("Content-Type", f->content_type);
  r.body = f->content;
  return r;
}

void StaticFiles::install(Router& router) const {
  router.get("/static/{path:path}", [this](Request& req) { return serve(req); }).inline_io();
}

}  // namespace balai::http
