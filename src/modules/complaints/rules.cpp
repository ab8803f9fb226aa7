#include "modules/complaints/rules.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/image_metadata.h"
#include "core/media_type.h"
#include "core/text.h"
#include "modules/regions/directory.h"

namespace balai::complaints::rules {
namespace {

const Category* find_category(std::span<const Category> all, std::string_view code) {
  for (const auto& c : all)
    if (c.code == code) return &c;
  return nullptr;
}

// Text a person typed: valid UTF-8 (the HTTP layer checks), trimmed, without control
// characters other than newlines and tabs.
bool clean_text(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
  });
}

bool looks_like_email(std::string_view e) {
  const size_t at = e.find('@');
  return e.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string_view::npos &&
         e.find('.', at) != std::string_view::npos &&
         std::none_of(e.begin(), e.end(), [](char c) { return c == ' ' || c == '<' || c == '>'; });
}

bool looks_like_phone(std::string_view p) {
  size_t digits = 0;
  for (char c : p) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')')
      return false;
  }
  return digits >= 8 && digits <= 15;
}

bool is_number(std::string_view text) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  return !text.empty() && r.ec == std::errc{} && r.ptr == text.data() + text.size();
}

}  // namespace

core::Result<CheckedSubmission> check_submission(const Submission& s,
                                                 const SubmissionContext& context) {
  std::map<std::string, std::string> errors;
  CheckedSubmission out;

  if (auto kind = parse_kind(s.kind))
    out.kind = *kind;
  else
    errors["kind"] = "must be pengaduan, aspirasi or informasi";

  if (s.category.empty())
    errors["category"] = "required";
  else if (!(out.category = find_category(context.categories, s.category)))
    errors["category"] = "unknown category";

  const std::string_view title = core::trim(s.title);
  if (core::utf8_length(title) > kTitleMax || !clean_text(title))
    errors["title"] = "at most 120 characters of text";
  out.title = title;

  const std::string_view description = core::trim(s.description);
  if (description.empty())
    errors["description"] = "required";
  else if (core::utf8_length(description) > kDescriptionMax)
    errors["description"] = "at most 4000 characters";
  else if (!clean_text(description))
    errors["description"] = "contains control characters";
  out.description = description;

  // The place: a pin inside the city, or a village of the city (or both).
  const bool has_lat = !s.lat.empty(), has_lon = !s.lon.empty();
  if (has_lat || has_lon) {
    auto point = core::parse_geo_point(s.lat, s.lon);
    if (!has_lat || !has_lon)
      errors[has_lat ? "lon" : "lat"] = "required with the other coordinate";
    else if (!point)
      errors["lat"] = "latitude and longitude must be decimal degrees";
    else if (!context.area.contains(*point))
      errors["lat"] = "the place is outside the city's area";
    else
      out.location = point;
  }
  const std::string_view address = core::trim(s.address);
  if (core::utf8_length(address) > kAddressMax || !clean_text(address))
    errors["address"] = "at most 300 characters of text";
  out.address = address;
  if (!s.village_code.empty()) {
    const auto* region = context.regions.find(s.village_code);
    if (!region || region->level != regions::Level::village)
      errors["village_code"] = "not a village code";
    else if (!s.village_code.starts_with(std::string(context.city_region) + "."))
      errors["village_code"] = "the village is outside the city";
    else
      out.village_code = s.village_code;
  } else if (!has_lat && !has_lon) {
    if (context.open311 && !address.empty()) {
      // Open311 allows address_string alone; the verifier places it.
    } else {
      errors["village_code"] = "give a map pin or the village";
    }
  }

  out.anonymous = s.anonymous;
  out.confidential = s.confidential;
  if (auto channel = parse_channel(s.channel))
    out.channel = *channel;
  else
    errors["channel"] = "must be none, email or sms";

  if (s.photos.size() > kMaxPhotos) errors["photos"] = "at most 3 photos";
  for (size_t i = 0; i < s.photos.size() && i < kMaxPhotos; ++i) {
    const std::string& bytes = s.photos[i].bytes;
    if (bytes.size() > context.photo_max_bytes)
      return core::make_error(core::ErrorCode::payload_too_large, "A photo is too large.");
    auto type = core::sniff_image_type(bytes);
    if (!type) {
      errors["photos"] = "each photo must be a JPEG, PNG or WebP image";
      continue;
    }
    auto stripped = core::strip_image_metadata(bytes, *type);
    if (!stripped) {
      errors["photos"] = "a photo could not be read as an image";
      continue;
    }
    out.photos.push_back({std::string(*type), std::move(stripped).value()});
  }

  if (context.open311) {
    if (out.category) out.attributes = check_attributes(*out.category, s.attributes, errors);
    const auto name = core::trim(s.contact_name);
    if (core::utf8_length(name) > 100 || !clean_text(name))
      errors["name"] = "at most 100 characters";
    out.contact_name = name;
    const auto email = core::trim(s.contact_email);
    if (!email.empty() && !looks_like_email(email)) errors["email"] = "not an email address";
    out.contact_email = core::ascii_lower(email);
    const auto phone = core::trim(s.contact_phone);
    if (!phone.empty() && !looks_like_phone(phone)) errors["phone"] = "not a phone number";
    out.contact_phone = phone;
    const auto url = core::trim(s.media_url);
    if (!url.empty() &&
        (url.size() > 1000 || !(url.starts_with("https://") || url.starts_with("http://")) ||
         !clean_text(url) || url.find(' ') != std::string_view::npos))
      errors["media_url"] = "an http(s) URL of at most 1000 characters";
    out.media_url = url;
  } else if (!s.attributes.empty() || !s.contact_email.empty() || !s.contact_phone.empty()) {
    errors["attributes"] = "not accepted here";
  }

  if (!errors.empty()) {
    core::Error e{core::ErrorCode::validation_failed, "The report has problems.", {}};
    e.fields = std::move(errors);
    return e;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> check_attributes(
    const Category& category, const std::vector<std::pair<std::string, std::string>>& answers,
    std::map<std::string, std::string>& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [code, value] : answers) {
    const bool known = std::any_of(category.attributes.begin(), category.attributes.end(),
                                   [&](const Attribute& a) { return a.code == code; });
    if (!known) errors["attribute[" + code + "]"] = "not an attribute of this service";
  }
  std::vector<Attribute> ordered = category.attributes;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Attribute& a, const Attribute& b) { return a.order < b.order; });
  for (const auto& a : ordered) {
    const std::string field = "attribute[" + a.code + "]";
    std::vector<std::string_view> given;
    for (const auto& [code, value] : answers)
      if (code == a.code && !core::trim(value).empty()) given.push_back(core::trim(value));
    if (given.empty()) {
      if (a.required) errors[field] = "required";
      continue;
    }
    if (given.size() > 1 && a.type != AttributeType::multivaluelist) {
      errors[field] = "one value only";
      continue;
    }
    for (std::string_view v : given) {
      bool ok = true;
      switch (a.type) {
        case AttributeType::string:
          ok = core::utf8_length(v) <= 200 && clean_text(v);
          break;
        case AttributeType::text:
          ok = core::utf8_length(v) <= kDescriptionMax && clean_text(v);
          break;
        case AttributeType::number:
          ok = is_number(v);
          break;
        case AttributeType::datetime:
          ok = core::parse_iso8601(v).has_value();
          break;
        case AttributeType::singlevaluelist:
        case AttributeType::multivaluelist:
          ok = std::any_of(a.values.begin(), a.values.end(),
                           [&](const AttributeValue& x) { return x.key == v; });
          break;
      }
      if (!ok) {
        errors[field] = a.values.empty() ? "not a valid " + std::string(to_string(a.type))
                                         : "not one of the allowed values";
        break;
      }
      out.emplace_back(a.code, std::string(v));
    }
  }
  return out;
}

core::Status check_text(std::string_view text, size_t max, std::string_view field) {
  const auto t = core::trim(text);
  if (t.empty())
    return core::Error{core::ErrorCode::validation_failed,
                       "Write something first.",
                       {{std::string(field), "required"}}};
  if (core::utf8_length(t) > max)
    return core::Error{core::ErrorCode::validation_failed,
                       "The text is too long.",
                       {{std::string(field), "at most " + std::to_string(max) + " characters"}}};
  if (!clean_text(t))
    return core::Error{core::ErrorCode::validation_failed,
                       "The text has control characters.",
                       {{std::string(field), "contains control characters"}}};
  return {};
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::verify:
      return "verify";
    case Action::reject:
      return "reject";
    case Action::reroute:
      return "reroute";
    case Action::assign:
      return "assign";
    case Action::follow_up:
      return "follow_up";
    case Action::note:
      return "note";
    case Action::resolve:
      return "resolve";
    case Action::confirm:
      return "confirm";
    case Action::reopen:
      return "reopen";
    case Action::comment:
      return "comment";
    case Action::rate:
      return "rate";
    case Action::support:
      return "support";
    case Action::merge:
      return "merge";
    case Action::close_auto:
      return "close_auto";
    case Action::escalate:
      return "escalate";
  }
  return "?";
}

core::Status allowed(Action action, Status s) {
  bool ok = false;
  switch (action) {
    case Action::verify:
    case Action::reject:
      ok = s == Status::submitted;
      break;
    case Action::reroute:
    case Action::assign:
    case Action::follow_up:
      ok = s == Status::dispositioned || s == Status::in_progress;
      break;
    case Action::resolve:
      ok = s == Status::dispositioned || s == Status::in_progress;
      break;
    case Action::note:
      ok = true;
      break;
    case Action::confirm:
    case Action::reopen:
    case Action::close_auto:
      ok = s == Status::resolved;
      break;
    case Action::comment:
      ok = s != Status::closed && s != Status::rejected;
      break;
    case Action::rate:
      ok = s == Status::closed;
      break;
    case Action::escalate:
      ok = s == Status::submitted || s == Status::dispositioned || s == Status::in_progress;
      break;
    case Action::support:
    case Action::merge:
      ok = is_open(s);
      break;
  }
  if (ok) return {};
  return core::make_error(core::ErrorCode::conflict,
                          "Not possible while the report is " + std::string(to_string(s)) + ".");
}

Status next_status(Action action, Status s) {
  switch (action) {
    case Action::verify:
      return Status::dispositioned;
    case Action::reject:
      return Status::rejected;
    case Action::follow_up:
      return Status::in_progress;
    case Action::resolve:
      return Status::resolved;
    case Action::confirm:
    case Action::close_auto:
    case Action::merge:
      return Status::closed;
    case Action::reopen:
      return Status::in_progress;
    default:
      return s;
  }
}

std::string route(const Category& category, std::string_view village_code,
                  std::span<const Route> routes) {
  const Route* best = nullptr;
  for (const auto& r : routes) {
    if (r.category_code != category.code || village_code.empty()) continue;
    const bool matches =
        village_code == r.region_prefix || (village_code.starts_with(r.region_prefix) &&
                                            village_code.size() > r.region_prefix.size() &&
                                            village_code[r.region_prefix.size()] == '.');
    if (matches && (!best || r.region_prefix.size() > best->region_prefix.size())) best = &r;
  }
  return best ? best->agency_code : category.agency_code;
}

std::string village_agency(std::string_view prefix, std::string_view village_code) {
  std::string out(prefix);
  for (char c : village_code)
    if (c != '.') out += c;
  return out;
}

std::string verifier_for(std::string_view mode, std::string_view desk_agency,
                         std::string_view village_prefix, std::string_view village_code,
                         const std::function<bool(std::string_view)>& agency_exists) {
  if (mode == "village" && !village_code.empty()) {
    std::string office = village_agency(village_prefix, village_code);
    if (agency_exists(office)) return office;
  }
  return std::string(desk_agency);
}

core::Timestamp verify_due(const calendar::WorkingDays& days, core::Timestamp submitted) {
  return days.deadline_after(submitted, kVerifyWorkingDays);
}
core::Timestamp follow_up_due(const calendar::WorkingDays& days, core::Timestamp dispositioned) {
  return days.deadline_after(dispositioned, kFollowUpWorkingDays);
}
core::Timestamp close_due(const calendar::WorkingDays& days, core::Timestamp resolved) {
  return days.deadline_after(resolved, kCloseWorkingDays);
}

bool overdue(const Complaint& c, core::Timestamp now) {
  // Only the agency's and the verifier's steps have service levels; the close deadline is the
  // reporter's time and passing it closes the report rather than making it late.
  const bool staff_step = c.status == Status::submitted || c.status == Status::dispositioned ||
                          c.status == Status::in_progress;
  return staff_step && c.due_at && now.ms > c.due_at->ms;
}

std::string format_tracking(int year, int64_t sequence) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "ADU-%04d-%06lld", year, static_cast<long long>(sequence));
  return buf;
}

bool is_tracking(std::string_view t) {
  if (t.size() < 15 || t.size() > 20 || !t.starts_with("ADU-") || t[8] != '-') return false;
  for (size_t i = 4; i < t.size(); ++i)
    if (i != 8 && (t[i] < '0' || t[i] > '9')) return false;
  return true;
}

std::optional<int64_t> median(std::vector<int64_t>& values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2;
}

std::string display_title(std::string_view title, std::string_view description) {
  if (!title.empty()) return std::string(title);
  std::string_view first = description.substr(0, description.find('\n'));
  if (core::utf8_length(first) <= 80) return std::string(first);
  // Cut at the last space before 80 characters (by bytes, then back to a UTF-8 boundary).
  size_t cut = 0, chars = 0;
  while (cut < first.size() && chars < 80) {
    cut += core::utf8_sequence_length(first, cut);
    ++chars;
  }
  size_t space = first.rfind(' ', cut);
  if (space != std::string_view::npos && space > 40) cut = space;
  return std::string(first.substr(0, cut)) + "…";
}

}  // namespace balai::complaints::rules
