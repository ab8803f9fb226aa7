#include "modules/catalog/rules.h"

#include <fmt/format.h>

#include "core/text.h"

namespace balai::catalog {

std::string_view to_string(Category c) {
  switch (c) {
    case Category::identity:
      return "identity";
    case Category::permits:
      return "permits";
    case Category::tax:
      return "tax";
    case Category::complaints:
      return "complaints";
    case Category::appointments:
      return "appointments";
    case Category::transport:
      return "transport";
    case Category::smart_city:
      return "smart_city";
    case Category::feedback:
      return "feedback";
    case Category::transparency:
      return "transparency";
  }
  return "identity";
}

bool parse_category(std::string_view text, Category& out) {
  for (Category c : {Category::identity, Category::permits, Category::tax, Category::complaints,
                     Category::appointments, Category::transport, Category::smart_city,
                     Category::feedback, Category::transparency}) {
    if (to_string(c) == text) {
      out = c;
      return true;
    }
  }
  return false;
}

bool is_slug(std::string_view t) {
  if (t.size() < 2 || t.size() > 64 || t.front() == '-' || t.back() == '-') return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

core::Status validate(const Agency& agency) {
  core::Error e{core::ErrorCode::validation_failed, "the agency is incomplete", {}};
  if (!is_slug(agency.code)) e.fields["code"] = "must be 2-64 lower-case letters, digits or dashes";
  if (agency.name.id.empty()) e.fields["name.id"] = "is required";
  if (agency.name.id.size() > 200 || agency.name.en.size() > 200) e.fields["name"] = "is too long";
  if (!e.fields.empty()) return e;
  return {};
}

namespace {

constexpr size_t kMaxDataItems = 40;
constexpr size_t kMaxDataItemLength = 200;     // characters, per language
constexpr size_t kMaxNoticeTextLength = 2000;  // characters, per language
constexpr size_t kMaxLegalBasisLength = 1000;  // characters

bool longer_than(const LocalizedText& t, size_t limit) {
  return core::utf8_length(t.id) > limit || core::utf8_length(t.en) > limit;
}

// A notice's paragraph: required in Indonesian when the service collects personal data.
void check_notice_text(const LocalizedText& t, bool required, const std::string& field,
                       core::Error& e) {
  if (required && core::trim(t.id).empty())
    e.fields[field + ".id"] = "is required when the service collects personal data";
  else if (longer_than(t, kMaxNoticeTextLength))
    e.fields[field] = "is too long";
}

// A service that collects personal data must say what, why, who sees it, how long it is kept
// and on which legal basis (UU 27/2022 PDP, Pasal 21); one that does not may leave them empty.
void check_privacy_notice(const Service& s, core::Error& e) {
  const PrivacyNotice& n = s.privacy_notice;
  const bool collects = n.collects_personal_data();
  if (n.data_items.size() > kMaxDataItems) {
    e.fields["privacy_notice.data_items"] = fmt::format("at most {} items", kMaxDataItems);
  } else {
    for (size_t i = 0; i < n.data_items.size(); ++i) {
      const std::string field = "privacy_notice.data_items[" + std::to_string(i) + "]";
      if (core::trim(n.data_items[i].id).empty())
        e.fields[field + ".id"] = "is required";
      else if (longer_than(n.data_items[i], kMaxDataItemLength))
        e.fields[field] = "is too long";
    }
  }
  check_notice_text(n.purpose, collects, "privacy_notice.purpose", e);
  check_notice_text(n.recipients, collects, "privacy_notice.recipients", e);
  check_notice_text(n.retention, collects, "privacy_notice.retention", e);
  if (collects && core::trim(s.legal_basis).empty())
    e.fields["legal_basis"] = "is required when the service collects personal data";
  else if (core::utf8_length(s.legal_basis) > kMaxLegalBasisLength)
    e.fields["legal_basis"] = "is too long";
}

}  // namespace

core::Status validate(const Service& s) {
  core::Error e{core::ErrorCode::validation_failed, "the service is incomplete", {}};
  if (!is_slug(s.code)) e.fields["code"] = "must be 2-64 lower-case letters, digits or dashes";
  if (!is_slug(s.agency_code)) e.fields["agency_code"] = "is required";
  if (s.name.id.empty()) e.fields["name.id"] = "is required";
  // A path of this portal only: "/..." but never "//host" (another site to a browser).
  if (!s.start_path.empty() &&
      (s.start_path[0] != '/' || s.start_path.starts_with("//") || s.start_path.size() > 200 ||
       s.start_path.find_first_of("\\ \"<>") != std::string::npos))
    e.fields["start_path"] = "must be a path of this portal";
  if (s.name.id.size() > 200 || s.name.en.size() > 200) e.fields["name"] = "is too long";
  if (s.summary.id.empty()) e.fields["summary.id"] = "is required";
  if (s.summary.id.size() > 300 || s.summary.en.size() > 300) e.fields["summary"] = "is too long";
  if (s.cost_rupiah < 0) e.fields["cost_rupiah"] = "cannot be negative";
  if (s.processing_days < 0 || s.processing_days > 365)
    e.fields["processing_days"] = "must be 0-365";
  if (s.icon.empty() || s.icon.size() > 40) e.fields["icon"] = "is required";
  check_privacy_notice(s, e);
  if (!e.fields.empty()) return e;
  return {};
}

core::Status validate(const ServiceQuery& q) {
  if (core::utf8_length(q.text) > 100) {
    core::Error e{core::ErrorCode::validation_failed, "the search text is too long", {}};
    e.fields["q"] = "at most 100 characters";
    return e;
  }
  return {};
}

bool matches(const Service& s, const ServiceQuery& q) {
  if (q.category && s.category != *q.category) return false;
  if (q.online && s.online != *q.online) return false;
  if (q.text.empty()) return true;
  const std::string needle = core::ascii_lower(q.text);
  for (const std::string* hay : {&s.name.id, &s.name.en, &s.summary.id, &s.summary.en, &s.code}) {
    if (core::ascii_lower(*hay).find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string format_rupiah(int64_t rupiah) {
  const bool negative = rupiah < 0;
  // Work in unsigned so the most negative value does not overflow on negation.
  uint64_t v = negative ? 0 - static_cast<uint64_t>(rupiah) : static_cast<uint64_t>(rupiah);
  std::string digits = std::to_string(v);
  std::string grouped;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    grouped += digits[i];
    const size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) grouped += '.';
  }
  return (negative ? "-Rp " : "Rp ") + grouped;
}

std::string cost_label(int64_t rupiah, std::string_view lang) {
  if (rupiah == 0) return lang == "en" ? "Free" : "Gratis";
  return format_rupiah(rupiah);
}

std::string processing_label(int days, std::string_view lang) {
  if (days == 0) return lang == "en" ? "Same day" : "Selesai di hari yang sama";
  if (lang == "en") return fmt::format("{} working day{}", days, days == 1 ? "" : "s");
  return fmt::format("{} hari kerja", days);
}

}  // namespace balai::catalog
