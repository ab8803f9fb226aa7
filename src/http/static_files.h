#pragma once
// Static files (CSS, JS, images, fonts) from web/static, loaded into memory at start-up so that
// serving them never touches the disk and a path can never escape the folder: a request is
// answered only when its path equals the name of a file found at start-up.
//
// Each file is reachable under its plain name (/static/css/balai.css, revalidated with its
// ETag) and under a fingerprinted name (/static/css/balai.1a2b3c4d.css, cached for a year as
// immutable). Templates link the fingerprinted name through url_for().

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace balai::http {

class Router;

class StaticFiles {
 public:
  // Reads every regular file under `dir` (symlinks are not followed). Fails when the folder
  // cannot be read. Blocks (start-up only).
  [[nodiscard]] static core::Result<StaticFiles> load(const std::string& dir);

  // "/static/css/balai.1a2b3c4d.css" for "css/balai.css"; the plain URL when unknown.
  std::string url_for(std::string_view name) const;

  // Answers GET /static/... (304 on a matching If-None-Match; 404 when absent).
  Response serve(const Request& req) const;

  // Registers GET /static/{path} as an inline (I/O thread) route.
  void install(Router& router) const;

  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;         // "\"<hash>\""
    std::string fingerprint;  // 8 hex characters
  };
  const File* find(std::string_view name, bool& fingerprinted) const;

  std::map<std::string, File, std::less<>> files_;
};

// Media type for a file name by its extension; application/octet-stream when unknown.
std::string_view media_type_for(std::string_view filename);

}  // namespace balai::http
