#include "security/webhook.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

namespace balai::security {
namespace {

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

}  // namespace

core::Status post_json(std::string_view url, std::string_view json, long timeout_ms) {
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return core::make_error(core::ErrorCode::validation_failed,
                            "the alert webhook must be an http or https URL");
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return core::make_error(core::ErrorCode::unavailable, "curl could not start");
  const std::string target(url);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, target.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, json.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(json.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return core::make_error(core::ErrorCode::unavailable,
                            std::string("alert webhook unreachable: ") + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299)
    return core::make_error(core::ErrorCode::unavailable,
                            "alert webhook answered " + std::to_string(status));
  return {};
}

}  // namespace balai::security
