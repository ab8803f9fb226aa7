// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2, in JSON and XML
// (the format is the resource's suffix: ".json" or ".xml"):
//   GET  discovery.{fmt}                      the endpoint, its formats, whom to ask for a key
//   GET  services.{fmt}                       the categories
//   GET  services/{service_code}.{fmt}        a category's attributes (service definition)
//   POST requests.{fmt}                       a report from an integrator (form-encoded, api_key)
//   GET  requests.{fmt}                       public reports (filters below)
//   GET  requests/{service_request_id}.{fmt}  one public report
//   GET  tokens/{token}.{fmt}                 the report a POST's token stands for
// Anything else under /open311/v2/ answers 404 (405 for a known resource and another method)
// in the Open311 error shape, [{"code":404,"description":"..."}], in the format asked (JSON
// when none). The routes are cookie-free (security::Authenticator) and public reads are
// readable from any origin (Access-Control-Allow-Origin: *). Never any reporter's identity;
// confidential reports do not exist here.
#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "http/form.h"
#include "modules/complaints/open311_format.h"
#include "modules/complaints/routes.h"
#include "modules/complaints/rules.h"
#include "security/api_tokens.h"

namespace balai::complaints {
namespace {

using open311::Format;
using open311::Problem;

constexpr std::string_view kBase = "/open311/v2/";
constexpr uint64_t kPostBodyLimit = 64 * 1024;
constexpr int kPublicCacheMs = 5'000;              // public reads, kept in memory this long
constexpr int64_t kMaxSpanMs = 90 * core::kDayMs;  // the specification's longest date range
constexpr int kPageSizeDefault = 50;
constexpr int kPageSizeMax = 1'000;  // the specification's "first 1000 requests"
constexpr size_t kMaxIds = 1'000;
// Several service codes are read code by code and merged (Filter takes one category), so a
// page that deep would read this many rows per code.
constexpr int64_t kMergeRowsMax = 10'000;

constexpr std::pair<std::string_view, Format> kFormats[] = {{"json", Format::json},
                                                            {"xml", Format::xml}};

http::Response document(int status, Format format, std::string body) {
  http::Response res;
  res.status = status;
  res.headers.set("Content-Type", open311::content_type(format));
  res.body = std::move(body);
  return res;
}

// A public read: the same for everyone, readable by any web page.
http::Response public_document(Format format, std::string body, int max_age_s) {
  http::Response res = document(200, format, std::move(body));
  res.headers.set("Cache-Control", "public, max-age=" + std::to_string(max_age_s));
  res.headers.set("Access-Control-Allow-Origin", "*");
  return res;
}

// The answer's status is the first problem's code (the specification's HTTP status: 404 for what
// does not exist, 403 for the api_key, 400 for everything else the client can fix).
http::Response failure(const http::Request& req, Format format, std::vector<Problem> problems) {
  http::Response res = document(problems.front().code, format, open311::errors(problems, format));
  res.headers.set("Cache-Control", "no-store");
  if (req.method == http::Method::get || req.method == http::Method::head)
    res.headers.set("Access-Control-Allow-Origin", "*");
  return res;
}

http::Response failure(const http::Request& req, Format format, int code, std::string description) {
  return failure(req, format, {Problem{code, std::move(description)}});
}

// The name the client used for a field the rules name after the portal's form.
std::string open311_field(const std::string& field) {
  if (field == "category") return "service_code";
  if (field == "lon") return "long";
  if (field == "address") return "address_string";
  if (field == "village_code") return "address_id";
  if (field == "name") return "first_name, last_name";
  return field;
}

// An error as Open311 problems: one per field for a validation failure.
std::vector<Problem> problems_of(const core::Error& e) {
  using core::ErrorCode;
  int code = 400;
  switch (e.code) {
    case ErrorCode::unauthenticated:
    case ErrorCode::forbidden:
      code = 403;
      break;
    case ErrorCode::not_found:
      code = 404;
      break;
    case ErrorCode::rate_limited:
      code = 429;
      break;
    // The specification answers 400 even for a server that cannot work ("CRM is down"); a
    // client retries a 503 later, which is what it should do here.
    case ErrorCode::unavailable:
      code = 503;
      break;
    case ErrorCode::internal:
      code = 500;
      break;
    default:
      code = 400;
  }
  std::vector<Problem> out;
  if (e.code == ErrorCode::validation_failed && !e.fields.empty()) {
    for (const auto& [field, why] : e.fields) {
      if (field == "village_code" && why.starts_with("give a map pin")) {
        out.push_back({400, "location: required (lat and long, address_string or address_id)"});
        continue;
      }
      out.push_back({400, open311_field(field) + ": " + why});
    }
    return out;
  }
  out.push_back(
      {code, code >= 500 ? "The service is not available now; try again later." : e.message});
  return out;
}

http::Response failure(const http::Request& req, Format format, const core::Error& e) {
  http::Response res = failure(req, format, problems_of(e));
  if (auto it = e.fields.find("retry_after"); it != e.fields.end())
    res.headers.set("Retry-After", it->second);
  return res;
}

// The format of a path under /open311/v2/ by its last segment's suffix; JSON when it has none.
Format format_of_path(std::string_view path) {
  const std::string_view last = path.substr(path.rfind('/') + 1);
  auto r = open311::parse_resource(last);
  return r ? r->format : Format::json;
}

std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string item(core::trim(text.substr(start, comma - start)));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

std::optional<int> parse_int(std::string_view text, int lo, int hi) {
  int v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size() || v < lo || v > hi)
    return std::nullopt;
  return v;
}

// GET requests' arguments as a filter; what is wrong with them goes to `problems`.
struct ListQuery {
  Filter filter;
  std::vector<std::string> service_codes;
};

ListQuery list_query(const http::Request& req, core::Timestamp now,
                     std::vector<Problem>& problems) {
  ListQuery q;
  Filter& f = q.filter;
  const auto arg = [&](std::string_view name) {
    auto v = req.query_param(name);
    return v ? std::string(core::trim(*v)) : std::string();
  };
  // "This overrides all other arguments."
  if (const auto ids = comma_list(arg("service_request_id")); !ids.empty()) {
    if (ids.size() > kMaxIds) {
      problems.push_back({400, "service_request_id: at most 1000 ids"});
      return q;
    }
    f.tracking = ids;
    f.page_size = static_cast<int>(ids.size());
    return q;
  }
  q.service_codes = comma_list(arg("service_code"));
  bool open = false, closed = false;
  for (const auto& s : comma_list(arg("status"))) {
    open = open || s == "open";
    closed = closed || s == "closed";
    if (s != "open" && s != "closed") {
      problems.push_back({400, "status: open, closed or both (comma-separated)"});
      break;
    }
  }
  if (open != closed) f.open = open;  // both (or neither): every status

  constexpr std::string_view kW3 =
      ": a W3C date and time with its offset, e.g. 2026-11-28T09:30:00+07:00";
  const auto date = [&](std::string_view name) -> std::optional<core::Timestamp> {
    std::string text = arg(name);
    if (text.empty()) return std::nullopt;
    auto t = core::parse_iso8601(text);
    // A "+07:00" offset sent without percent-encoding arrives as " 07:00".
    if (const size_t space = text.rfind(' '); !t && space != std::string::npos) {
      text[space] = '+';
      t = core::parse_iso8601(text);
    }
    if (!t) problems.push_back({400, std::string(name) + std::string(kW3)});
    return t;
  };
  std::optional<core::Timestamp> start = date("start_date"), end = date("end_date");
  // "When not specified, the range defaults to most recent 90 days"; one end alone reaches 90
  // days from it. The end is inclusive ("latest datetime to include").
  if (start && end) {
    if (end->ms < start->ms)
      problems.push_back({400, "end_date: before start_date"});
    else if (end->ms - start->ms > kMaxSpanMs)
      problems.push_back({400, "start_date, end_date: the range may not span more than 90 days"});
  } else if (start) {
    end = core::Timestamp{start->ms + kMaxSpanMs};
  } else if (end) {
    start = core::Timestamp{end->ms - kMaxSpanMs};
  } else {
    start = core::Timestamp{now.ms - kMaxSpanMs};
  }
  f.from = start;
  if (end) f.to = core::Timestamp{end->ms + 1};

  // Extension: the specification returns at most the first 1000; page through the rest.
  f.page = 1;
  f.page_size = kPageSizeDefault;
  if (const auto p = arg("page"); !p.empty()) {
    if (auto v = parse_int(p, 1, 1'000'000))
      f.page = *v;
    else
      problems.push_back({400, "page: a whole number from 1"});
  }
  if (const auto p = arg("page_size"); !p.empty()) {
    if (auto v = parse_int(p, 1, kPageSizeMax))
      f.page_size = *v;
    else
      problems.push_back({400, "page_size: a whole number from 1 to 1000"});
  }
  if (q.service_codes.size() > 1 && static_cast<int64_t>(f.page) * f.page_size > kMergeRowsMax)
    problems.push_back({400, "page: too deep for several service codes; ask one at a time"});
  return q;
}

// One page of public reports for the query. Several service codes: each code's newest rows up
// to the page's end, merged newest first (Filter names one category).
core::Result<Page> list_reports(const ComplaintService& service, const ListQuery& q) {
  Filter f = q.filter;
  if (q.service_codes.size() <= 1) {
    if (!q.service_codes.empty()) f.category = q.service_codes.front();
    return service.public_list(f);
  }
  const int64_t end = static_cast<int64_t>(f.page) * f.page_size;
  Page merged;
  for (const auto& code : q.service_codes) {
    Filter one = f;
    one.category = code;
    one.page = 1;
    one.page_size = static_cast<int>(end);
    auto page = service.public_list(one);
    if (!page) return page.take_error();
    merged.total += page->total;
    for (auto& c : page->items) merged.items.push_back(std::move(c));
  }
  std::sort(merged.items.begin(), merged.items.end(), [](const Complaint& a, const Complaint& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.tracking > b.tracking;
  });
  const size_t begin = static_cast<size_t>(end - f.page_size);
  if (begin >= merged.items.size()) {
    merged.items.clear();
  } else {
    merged.items.erase(merged.items.begin(), merged.items.begin() + static_cast<long>(begin));
    if (merged.items.size() > static_cast<size_t>(f.page_size))
      merged.items.resize(static_cast<size_t>(f.page_size));
  }
  return merged;
}

// Category code -> its name, for service_name.
std::string name_of(const std::vector<Category>& categories, std::string_view code) {
  for (const auto& c : categories)
    if (c.code == code) return c.name_id;
  return std::string(code);
}

// An attribute answer's code: "attribute[code]" or, for a multivaluelist,
// "attribute[code][]" (the specification's form for several values).
std::optional<std::string> attribute_code(std::string_view field) {
  if (!field.starts_with("attribute[")) return std::nullopt;
  field.remove_prefix(10);
  if (field.ends_with("][]"))
    field.remove_suffix(3);
  else if (field.ends_with("]"))
    field.remove_suffix(1);
  else
    return std::nullopt;
  if (field.empty() || field.find_first_of("[]") != std::string_view::npos) return std::nullopt;
  return std::string(field);
}

http::Response discovery(const app::App& app, ComplaintService& service, Format f) {
  const std::string& base = app.config.server.public_url;
  open311::Discovery d;
  // When the services or their definitions last changed: the newest category change.
  core::Timestamp changed{0};
  if (auto all = service.categories())
    for (const auto& c : **all) changed = std::max(changed, c.updated_at);
  d.changeset = core::format_iso8601(changed, app.config.city.zone);
  d.contact = app.config.city.name + ", layanan pengaduan: " + base + "/pengaduan";
  d.key_service =
      "API keys are issued by the city's administrators: balai token create --role integrator "
      "--name \"<your application>\"";
  d.endpoint_url = base + "/open311/v2";
  return public_document(f, open311::discovery(d, f), 60);
}

http::Response services(const ComplaintService& service, const http::Request& req, Format f) {
  auto all = service.categories();
  if (!all) return failure(req, f, all.error());
  return public_document(f, open311::services(**all, f), 60);
}

http::Response definition(const ComplaintService& service, const http::Request& req) {
  auto file = open311::parse_resource(req.param("file"));
  if (!file) return failure(req, Format::json, 404, "No such resource.");
  auto category = service.category(file->name);
  if (!category) {
    if (category.error().code == core::ErrorCode::not_found)
      return failure(req, file->format, 404, "service_code: no such service");
    return failure(req, file->format, category.error());
  }
  return public_document(file->format, open311::service_definition(*category, file->format), 60);
}

open311::Publication publication(const app::App& app) {
  return {app.config.city.zone, app.config.server.public_url};
}

http::Response list(const app::App& app, const ComplaintService& service, const http::Request& req,
                    Format f) {
  std::vector<Problem> problems;
  const ListQuery q = list_query(req, app.clock.now(), problems);
  if (!problems.empty()) return failure(req, f, std::move(problems));
  auto page = list_reports(service, q);
  if (!page) return failure(req, f, page.error());
  auto all = service.categories();
  if (!all) return failure(req, f, all.error());
  std::vector<open311::ServiceRequest> items;
  items.reserve(page->items.size());
  // Lists carry the client's own media_url only: the first photo of each report would cost a
  // query per report.
  for (const auto& c : page->items) items.push_back({&c, name_of(**all, c.category_code), ""});
  http::Response res = public_document(f, open311::service_requests(items, publication(app), f), 5);
  res.headers.set("X-Total-Count", std::to_string(page->total));
  return res;
}

http::Response one(const app::App& app, ComplaintService& service, const http::Request& req) {
  auto file = open311::parse_resource(req.param("file"));
  if (!file) return failure(req, Format::json, 404, "No such resource.");
  // Anonymous viewer: confidential reports are not found, like unknown ones.
  auto view = service.view(nullptr, file->name);
  if (!view) {
    if (view.error().code == core::ErrorCode::not_found)
      return failure(req, file->format, 404, "service_request_id: no such request");
    return failure(req, file->format, view.error());
  }
  auto all = service.categories();
  if (!all) return failure(req, file->format, all.error());
  const Complaint& c = view->complaint;
  // The reporter's first photo, else the first "after" photo of a resolution.
  std::string photo;
  for (const auto& p : view->photos)
    if (photo.empty() || !p.after) {
      photo = p.id;
      if (!p.after) break;
    }
  const std::vector<open311::ServiceRequest> items{{&c, name_of(**all, c.category_code), photo}};
  return public_document(file->format,
                         open311::service_requests(items, publication(app), file->format), 5);
}

http::Response token(ComplaintService& service, const http::Request& req) {
  auto file = open311::parse_resource(req.param("file"));
  if (!file) return failure(req, Format::json, 404, "No such resource.");
  const auto not_found = [&] { return failure(req, file->format, 404, "token: no such token"); };
  auto tracking = service.tracking_of_token(file->name);
  if (!tracking) return failure(req, file->format, tracking.error());
  if (!*tracking) return not_found();
  // The report must still be public: a token never reveals a confidential report's number.
  if (auto view = service.view(nullptr, **tracking); !view) {
    if (view.error().code == core::ErrorCode::not_found) return not_found();
    return failure(req, file->format, view.error());
  }
  http::Response res =
      document(200, file->format, open311::token_answer(**tracking, file->name, file->format));
  res.headers.set("Cache-Control", "no-store");
  res.headers.set("Access-Control-Allow-Origin", "*");
  return res;
}

// The integrator behind a POST: api_key in the body (the specification; the query string is
// accepted too), or the same token sent as a bearer. Nullopt: no key, or not a live one.
core::Result<std::optional<security::Actor>> integrator_of(app::App& app, const http::Request& req,
                                                           const http::Form& form) {
  std::string api_key(core::trim(form.get("api_key").value_or("")));
  if (api_key.empty()) api_key = std::string(core::trim(req.query_param("api_key").value_or("")));
  if (api_key.empty()) {
    const auto* bearer = security::current_actor(req);
    if (bearer && bearer->method == security::AuthMethod::bearer) return std::optional(*bearer);
    return std::optional<security::Actor>{};
  }
  auto token = app.security.tokens.resolve(api_key, app.clock.now());
  if (!token) return token.take_error();
  if (!*token) return std::optional<security::Actor>{};
  const security::ApiToken& t = **token;
  return std::optional(
      security::Actor{t.id, t.role, t.agency, security::AuthMethod::bearer, "", t.created_at});
}

http::Response submit(app::App& app, ComplaintService& service, const http::Request& req,
                      Format f) {
  auto form = http::parse_form(
      req, {.max_fields = 200, .max_field_bytes = 32 * 1024, .max_files = 0, .max_file_bytes = 0});
  if (!form) return failure(req, f, 400, form.error().message);

  auto actor = integrator_of(app, req, *form);
  if (!actor) return failure(req, f, actor.error());
  if (!*actor) return failure(req, f, 403, "api_key: missing or not a valid key");
  if ((*actor)->role != security::Role::integrator)
    return failure(req, f, 403, "api_key: not an integrator's key");

  // The specification's errors for POST: 400 when service_code is missing, 404 when it is not
  // found ("service_code or jurisdiction_id was not found"). Checked first, so an unknown
  // service is not answered with a list of its attributes' problems.
  const std::string code(core::trim(form->get("service_code").value_or("")));
  if (code.empty()) return failure(req, f, 400, "service_code: required");
  if (auto category = service.category(code); !category) {
    if (category.error().code == core::ErrorCode::not_found)
      return failure(req, f, 404, "service_code: no such service");
    return failure(req, f, category.error());
  }

  const auto field = [&](std::string_view name) {
    return std::string(form->get(name).value_or(""));
  };
  Submission s;
  s.kind = std::string(to_string(Kind::complaint));
  s.category = code;
  s.description = field("description");
  s.lat = std::string(core::trim(field("lat")));
  s.lon = std::string(core::trim(field("long")));
  s.address = field("address_string");
  // The city's address ids are Kemendagri village codes (what address_id answers in reports).
  s.village_code = std::string(core::trim(field("address_id")));
  s.contact_name = std::string(core::trim(field("first_name") + " " + field("last_name")));
  s.contact_email = field("email");
  s.contact_phone = field("phone");
  s.media_url = field("media_url");
  const bool email = !core::trim(s.contact_email).empty();
  s.channel = std::string(to_string(email ? Channel::email : Channel::none));
  for (const auto& [name, value] : form->fields)
    if (auto attribute = attribute_code(name)) s.attributes.emplace_back(*attribute, value);
  // device_id and account_id are not kept: Open311 reports are never linked to an account.

  auto created = service.submit(**actor, s, facts_of(req, "open311"));
  if (!created) return failure(req, f, created.error());
  const open311::Created answer{created->tracking, created->open311_token,
                                "Laporan akan diverifikasi dalam " +
                                    std::to_string(rules::kVerifyWorkingDays) + " hari kerja."};
  // 200 as in the specification's example (some clients check for exactly 200).
  http::Response res = document(200, f, open311::created(answer, f));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response unknown(const http::Request& req) {
  const Format f = format_of_path(req.path);
  // A known resource asked with another method: 405 with what it allows.
  const std::string_view rest = std::string_view(req.path).substr(kBase.size());
  const size_t slash = rest.rfind('/');
  const auto file = open311::parse_resource(rest.substr(slash + 1));
  const std::string_view dir = slash == std::string_view::npos ? "" : rest.substr(0, slash + 1);
  std::string allow;
  if (file && dir.empty() &&
      (file->name == "discovery" || file->name == "services" || file->name == "requests"))
    allow = file->name == "requests" ? "GET, HEAD, POST" : "GET, HEAD";
  else if (file && (dir == "services/" || dir == "requests/" || dir == "tokens/"))
    allow = "GET, HEAD";
  if (!allow.empty()) {
    http::Response res = failure(req, f, 405, "Method not allowed here.");
    res.headers.set("Allow", allow);
    return res;
  }
  return failure(req, f, 404, "No such resource.");
}

}  // namespace

void install_open311(app::App& app, ComplaintService& service) {
  auto& router = app.router;
  const std::string base(kBase);
  for (const auto& [suffix, format] : kFormats) {
    const std::string ext = "." + std::string(suffix);
    const Format f = format;
    router
        .get(base + "discovery" + ext,
             [&app, &service, f](http::Request&) { return discovery(app, service, f); })
        .public_cache_ms(kPublicCacheMs);
    router
        .get(base + "services" + ext,
             [&service, f](http::Request& req) { return services(service, req, f); })
        .public_cache_ms(kPublicCacheMs);
    router
        .get(base + "requests" + ext,
             [&app, &service, f](http::Request& req) { return list(app, service, req, f); })
        .public_cache_ms(kPublicCacheMs);
    router
        .post(base + "requests" + ext,
              [&app, &service, f](http::Request& req) { return submit(app, service, req, f); })
        .body_limit(kPostBodyLimit);
  }
  router
      .get(base + "services/{file}",
           [&service](http::Request& req) { return definition(service, req); })
      .public_cache_ms(kPublicCacheMs);
  router
      .get(base + "requests/{file}",
           [&app, &service](http::Request& req) { return one(app, service, req); })
      .public_cache_ms(kPublicCacheMs);
  router.get(base + "tokens/{file}",
             [&service](http::Request& req) { return token(service, req); });
  // Last, so that it only gets what the routes above did not take.
  for (auto method : {http::Method::get, http::Method::post, http::Method::put, http::Method::patch,
                      http::Method::del})
    router.add(method, base + "{rest:path}", [](http::Request& req) { return unknown(req); })
        .body_limit(kPostBodyLimit);
}

}  // namespace balai::complaints
