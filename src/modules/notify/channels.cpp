#include "modules/notify/channels.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <mutex>

#include "core/text.h"

namespace balai::notify {
namespace {

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Slist = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

constexpr long kConnectTimeoutMs = 10'000;

Easy new_easy() {
  // curl_global_init is not thread-safe on every build; once per process, before any handle.
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return Easy(curl_easy_init(), curl_easy_cleanup);
}

// Appends to a curl list, keeping ownership in `list` (curl_slist_append returns the head, or
// null on allocation failure with the old list untouched).
bool append(Slist& list, const std::string& item) {
  curl_slist* head = curl_slist_append(list.get(), item.c_str());
  if (head == nullptr) return false;
  list.release();
  list.reset(head);
  return true;
}

// The message handed to curl's upload, in pieces as it asks.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::copy_n(upload->data.data() + upload->offset, n, buffer);
  upload->offset += n;
  return n;
}

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

core::Error unavailable(std::string_view channel, CURLcode rc, long code) {
  std::string message = std::string(channel) + ": " + curl_easy_strerror(rc);
  if (code > 0) message += " (" + std::to_string(code) + ")";
  return core::make_error(core::ErrorCode::unavailable, std::move(message));
}

}  // namespace

std::optional<std::string> url_host(std::string_view url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  if (!parsed) return std::nullopt;
  const std::string text(url);
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK)
    return std::nullopt;
  char* host = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr)
    return std::nullopt;
  std::string out(host);
  curl_free(host);
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string text(host);
  // Addresses only as addresses: "127.example.id" is a name like any other.
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return core::ascii_lower(text) == "localhost";
}

core::Status send_email(const SmtpSettings& settings, std::string_view recipient,
                        std::string_view message) {
  const auto host = url_host(settings.url);
  if (!host)
    return core::make_error(core::ErrorCode::unavailable, "smtp: the relay URL does not parse");
  Easy curl = new_easy();
  if (!curl) return core::make_error(core::ErrorCode::unavailable, "smtp: curl could not start");
  Slist recipients(nullptr, curl_slist_free_all);
  if (!append(recipients, "<" + std::string(recipient) + ">"))
    return core::make_error(core::ErrorCode::unavailable, "smtp: out of memory");
  const std::string from = "<" + settings.envelope_from + ">";
  Upload upload{message, 0};

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS is required (the command fails rather than falling back to plain text), except to
  // a relay on this machine; see SmtpSettings.
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   is_loopback_host(*host) ? static_cast<long>(CURLUSESSL_NONE)
                                           : static_cast<long>(CURLUSESSL_ALL));
  if (!settings.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, settings.timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {};
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  // 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed: the relay will
  // never take this recipient. Other refusals (a full queue, failed AUTH) may pass.
  if (code == 550 || code == 551 || code == 553)
    return core::make_error(core::ErrorCode::validation_failed,
                            "smtp: recipient refused (" + std::to_string(code) + ")");
  return unavailable("smtp", rc, code);
}

core::Status send_sms(const SmsSettings& settings, std::string_view to, std::string_view text) {
  Easy curl = new_easy();
  if (!curl) return core::make_error(core::ErrorCode::unavailable, "sms: curl could not start");
  const std::string body = boost::json::serialize(boost::json::object{{"to", to}, {"text", text}});
  Slist headers(nullptr, curl_slist_free_all);
  if (!append(headers, "Content-Type: application/json") ||
      (!settings.token.empty() && !append(headers, "Authorization: Bearer " + settings.token)))
    return core::make_error(core::ErrorCode::unavailable, "sms: out of memory");

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, settings.timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) return unavailable("sms", rc, 0);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status <= 299) return {};
  const std::string message = "sms: the gateway answered " + std::to_string(status);
  const bool retry = status >= 500 || status == 401 || status == 403 || status == 408 ||
                     status == 429 || status < 400;
  return core::make_error(retry ? core::ErrorCode::unavailable : core::ErrorCode::validation_failed,
                          message);
}

}  // namespace balai::notify
