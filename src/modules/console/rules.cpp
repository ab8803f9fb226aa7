#include "modules/console/rules.h"

#include <charconv>

#include "core/text.h"

namespace balai::console {

bool recently_authenticated(const security::Actor& actor, core::Timestamp now) {
  return now.ms - actor.authenticated_at.ms < kRecentAuthenticationMs;
}

int page_number(std::optional<std::string_view> text) {
  if (!text || text->empty() || text->size() > 6) return 1;
  int page = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, page);
  if (ec != std::errc() || ptr != end || page < 1 || page > kMaxEventPage) return 1;
  return page;
}

TokenStatus token_status(const security::ApiToken& token, core::Timestamp now) {
  if (token.revoked_at) return TokenStatus::revoked;
  if (token.expires_at && now >= *token.expires_at) return TokenStatus::expired;
  return TokenStatus::active;
}

std::string_view to_string(TokenStatus status) {
  switch (status) {
    case TokenStatus::active:
      return "active";
    case TokenStatus::expired:
      return "expired";
    case TokenStatus::revoked:
      return "revoked";
  }
  return "active";
}

core::Result<std::optional<int>> parse_expires_days(std::string_view text) {
  const std::string_view trimmed = core::trim(text);
  if (trimmed.empty()) return std::optional<int>{};
  core::Error invalid{core::ErrorCode::validation_failed,
                      "The number of days is not valid.",
                      {{"expires", "1 to 3650 days"}}};
  int days = 0;
  const char* end = trimmed.data() + trimmed.size();
  auto [ptr, ec] = std::from_chars(trimmed.data(), end, days);
  if (ec != std::errc() || ptr != end || days < 1 || days > 3650) return invalid;
  return std::optional<int>{days};
}

std::string events_return_path(std::string_view candidate, std::string_view fallback) {
  constexpr std::string_view kEvents = "/konsol/peristiwa";
  if (candidate.size() > 200 || !candidate.starts_with(kEvents)) return std::string(fallback);
  const std::string_view rest = candidate.substr(kEvents.size());
  if (!rest.empty() && rest[0] != '?') return std::string(fallback);
  for (char c : rest) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '?' || c == '&' ||
                         c == '=' || c == '_';
    if (!allowed) return std::string(fallback);
  }
  return std::string(candidate);
}

}  // namespace balai::console
