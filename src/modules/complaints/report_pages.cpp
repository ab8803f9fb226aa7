// HTML routes of one report, for browsers without JavaScript (ComplaintService does the work):
//   GET/POST /pengaduan/baru                  the report form (signed-in citizens; multipart with
//                                             up to 3 photos); the region picker's refresh button
//                                             shows the form again with the next level filled
//   GET      /pengaduan/{tracking}            the status page: status and next step, place,
//                                             photos, the public timeline, the actions allowed
//   POST     /pengaduan/{tracking}/dukung         support it (any citizen but the reporter)
//   POST     /pengaduan/{tracking}/komentar       the reporter's reply (text)
//   POST     /pengaduan/{tracking}/konfirmasi     the reporter confirms the resolution
//   POST     /pengaduan/{tracking}/buka-kembali   the reporter reopens it (reason)
//   POST     /pengaduan/{tracking}/nilai          the reporter rates it (rating 1-4, comment)
// Each POST answers 303 to the status page with ?ok=<what>, or shows the page again with the
// errors (422; 409 when the report's state does not allow it any more), everything typed kept.
#include <boost/json.hpp>
#include <optional>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/catalog/service.h"
#include "modules/complaints/page_support.h"
#include "modules/complaints/routes.h"
#include "modules/complaints/rules.h"
#include "modules/regions/picker.h"
#include "security/actor.h"

namespace balai::complaints::pages {
namespace {

constexpr uint64_t kActionFormLimit = 16 * 1024;
// The field prefix of the form's region picker (lokasi_province, ...).
constexpr std::string_view kPicker = "lokasi";
// More files than a report may have, so that a fourth photo is refused by the service (with
// every field kept) instead of by the parser.
constexpr size_t kFilesParsed = rules::kMaxPhotos + 2;
constexpr std::string_view kOkKinds[] = {"submitted", "supported", "commented",
                                         "confirmed", "reopened",  "rated"};

// --- The report form ----------------------------------------------------------------------

// What the form holds, as typed (photos cannot be given back to a browser: it is told to
// choose them again).
struct ReportInput {
  Submission submission;
  std::string region;  // the deepest region the picker names consistently
  bool photos_sent = false;
};

// A textarea's value as the person typed it: browsers send its line breaks as CR LF, which
// would count twice against the limits the page tells them.
std::string typed(const http::Form& form, std::string_view name) {
  std::string text = value(form, name);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i)
    if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) out += text[i];
  return out;
}

ReportInput read_report(const app::App& app, const http::Form& form) {
  ReportInput in;
  Submission& s = in.submission;
  s.kind = value(form, "kind");
  s.category = value(form, "category");
  s.title = value(form, "title");
  s.description = typed(form, "description");
  s.lat = std::string(core::trim(value(form, "lat")));
  s.lon = std::string(core::trim(value(form, "lon")));
  s.address = value(form, "address");
  in.region = regions::chosen_region(app.regions, form, kPicker);
  // Only a village is a place; a district chosen on the way is kept for the picker alone.
  if (regions::level_of(in.region) == regions::Level::village) s.village_code = in.region;
  s.anonymous = form.get("anonymous").has_value();
  s.confidential = form.get("confidential").has_value();
  s.channel = value(form, "channel");
  for (const auto& f : form.files)
    if (f.field == "photos") s.photos.push_back({f.data});
  in.photos_sent = !s.photos.empty();
  return in;
}

// The region picker narrowed to the city: a place outside it is refused anyway, so the
// province and the regency are fixed (hidden fields, for regions::chosen_region) and only the
// kecamatan and the kelurahan/desa are asked for (which also keeps the page small). The
// template draws the two levels itself (partials/region_picker would ask for all four).
boost::json::object city_picker(const app::App& app, std::string_view chosen,
                                const regions::PickerOptions& options) {
  const std::string& city = app.config.city.region_code;
  const bool inside = chosen == city || chosen.starts_with(city + ".");
  boost::json::object view =
      regions::picker_view(app.regions, kPicker, inside ? chosen : std::string_view(city), options);
  boost::json::array fixed;
  for (const auto* r : app.regions.lineage(city))
    if (r->level <= regions::Level::regency)
      fixed.push_back({{"name", regions::picker_field(kPicker, r->level)}, {"value", r->code}});
  view["fixed"] = std::move(fixed);
  view["province"] = false;
  view["regency"] = false;
  return view;
}

boost::json::array choices(const app::App& app, const http::Request& req, std::string_view group,
                           std::initializer_list<std::string_view> values,
                           std::string_view chosen) {
  boost::json::array out;
  for (std::string_view v : values) {
    const std::string key = "complaints.form." + std::string(group) + "_" + std::string(v);
    out.push_back({{"value", v},
                   {"id", std::string(group) + "-" + std::string(v)},
                   {"label", text(app, req, key)},
                   {"hint", text(app, req, key + "_hint")},
                   {"checked", v == chosen}});
  }
  return out;
}

// "4" for 4 MiB: the photo limit as the form's hint and errors say it.
std::string photo_limit_mb(const app::App& app, const http::Request& req) {
  const uint32_t bytes = app.config.complaints.photo_max_bytes;
  return number(req, bytes / 1048576.0, bytes % 1048576 ? 1 : 0);
}

// The error of a photo over the size limit.
std::string photo_too_large(const app::App& app, const http::Request& req) {
  return fill(field_message(app, req, "photos", "too large"), {{"mb", photo_limit_mb(app, req)}});
}

// The form, fresh (`in` null) or as the person sent it, with `errors`.
http::Response report_form(app::App& app, ComplaintService& service, const http::Request& req,
                           int status, const ReportInput* in, FieldErrors errors) {
  const Names names(app, service, req.context.lang);
  const Submission fresh;
  const Submission& s = in ? in->submission : fresh;
  boost::json::object model{
      {"title", text(app, req, "complaints.form.title")},
      {"nav_current", {{"complaints", true}}},
      {"privacy_href", catalog::privacy_notice_path("pengaduan")},
      {"kinds", choices(app, req, "kind", {"pengaduan", "aspirasi", "informasi"}, s.kind)},
      {"channels", choices(app, req, "channel", {"email", "sms", "none"}, s.channel)},
      {"description_max", rules::kDescriptionMax},
      {"description_max_text", number(req, static_cast<double>(rules::kDescriptionMax), 0)},
      {"photo_hint",
       fill(text(app, req, "complaints.form.photos_hint"),
            {{"n", std::to_string(rules::kMaxPhotos)}, {"mb", photo_limit_mb(app, req)}})},
      {"v",
       {{"title", s.title},
        {"description", s.description},
        {"lat", s.lat},
        {"lon", s.lon},
        {"address", s.address}}},
      {"anonymous", s.anonymous},
      {"confidential", s.confidential},
      {"photos_again", in && in->photos_sent},
      {"map", map_model(app, req)}};
  boost::json::array categories;
  for (const auto& c : names.categories())
    categories.push_back(
        {{"code", c.code}, {"name", c.name(req.context.lang)}, {"selected", c.code == s.category}});
  model["categories"] = std::move(categories);

  regions::PickerOptions options;
  options.legend = text(app, req, "complaints.form.region_legend");
  options.script_url = app.statics.url_for(regions::kPickerScript);
  options.error = errors.message("village_code");
  model["region"] = city_picker(app, in ? in->region : "", options);
  errors.put(model);
  return private_page(app, status, "complaints/new", req, std::move(model));
}

// Where each of the service's field errors is shown; the picker's link goes to its first
// level still to choose.
std::vector<FieldTarget> report_targets(const app::App& app, const ReportInput& in) {
  const auto picker = city_picker(app, in.region, {});
  return {{"kind", "kind-pengaduan"},
          {"category", "category"},
          {"title", "title"},
          {"description", "description"},
          {"lat", "lokasi"},
          {"lon", "lokasi"},
          {"village_code", std::string(picker.at("focus_id").as_string())},
          {"address", "address"},
          {"photos", "photos"},
          {"channel", "channel-email"}};
}

// The answer to anyone but a signed-in citizen when a report is to be made or acted on:
// staff never report or act as citizens.
std::optional<http::Response> refuse_non_citizen(const app::App& app, const http::Request& req,
                                                 const security::Actor* actor,
                                                 std::string_view path) {
  if (!actor) return sign_in_first(path);
  if (actor->role != security::Role::citizen) return app.renderer.error_page(req, 403);
  return std::nullopt;
}

http::Response submit_report(app::App& app, ComplaintService& service, http::Request& req) {
  const auto* actor = security::current_actor(req);
  if (auto refused = refuse_non_citizen(app, req, actor, "/pengaduan/baru"))
    return std::move(*refused);
  http::FormLimits limits;
  limits.max_files = kFilesParsed;
  // As large as the body may be: one photo over the limit is refused by the service, with the
  // rest of the form kept, rather than by the parser, which would lose it.
  limits.max_file_bytes = req.route->body_limit;
  auto form = http::parse_form(req, limits);
  if (!form) {
    if (form.error().code != core::ErrorCode::payload_too_large)
      return app.renderer.error_page(req, http::status_for(form.error().code));
    FieldErrors errors;
    errors.add("photos", "photos", photo_too_large(app, req));
    return report_form(app, service, req, 413, nullptr, std::move(errors));
  }
  const ReportInput in = read_report(app, *form);
  if (regions::refresh_requested(*form, kPicker))
    return report_form(app, service, req, 200, &in, {});
  auto stored = service.submit(*actor, in.submission, facts_of(req, "portal"));
  if (stored) return http::Response::redirect("/pengaduan/" + stored->tracking + "?ok=submitted");
  const core::Error& e = stored.error();
  FieldErrors errors;
  if (e.code == core::ErrorCode::payload_too_large) {
    errors.add("photos", "photos", photo_too_large(app, req));
    return report_form(app, service, req, 413, &in, std::move(errors));
  }
  if (e.code != core::ErrorCode::validation_failed)
    return app.renderer.error_page(req, http::status_for(e.code));
  add_service_errors(errors, app, req, e, report_targets(app, in));
  if (errors.empty()) errors.add_general(text(app, req, "complaints.errors.generic"));
  return report_form(app, service, req, 422, &in, std::move(errors));
}

// --- The status page ----------------------------------------------------------------------

// What an action's form was sent with, when the page is shown again because of errors.
struct ActionInput {
  FieldErrors errors;
  std::string comment;         // komentar
  std::string reason;          // buka-kembali
  std::string rating;          // nilai: "1".."4"
  std::string rating_comment;  // nilai
};

std::string who(const Names& names, const app::App& app, const http::Request& req, const Event& e) {
  if (e.actor_role == "reporter") return text(app, req, "complaints.report.by_reporter");
  if (e.actor_role == "system" || e.actor_role.empty())
    return text(app, req, "complaints.report.by_system");
  if (e.actor_role == "integrator") return text(app, req, "complaints.report.by_integrator");
  return e.agency_code.empty() ? text(app, req, "complaints.report.by_staff")
                               : names.agency(e.agency_code);
}

boost::json::object place_model(const app::App& app, const http::Request& req, const Complaint& c,
                                const Names& names) {
  boost::json::object o;
  if (!c.address.empty()) o["address"] = c.address;
  if (auto area = names.place(c.village_code); !area.empty()) o["area"] = std::move(area);
  if (c.location) {
    const std::string lat = core::format_degrees_e6(c.location->lat_e6);
    const std::string lon = core::format_degrees_e6(c.location->lon_e6);
    boost::json::object pin = point_in_area(app, *c.location);
    pin["lat"] = lat;
    pin["lon"] = lon;
    pin["alt"] = fill(text(app, req, "complaints.report.map_alt"), {{"lat", lat}, {"lon", lon}});
    if (!app.config.city.map_tiles.empty()) pin["map"] = map_model(app, req);
    o["pin"] = std::move(pin);
  }
  return o;
}

http::Response report_page(app::App& app, ComplaintService& service, const http::Request& req,
                           int status, std::string_view tracking, ActionInput in) {
  const auto* actor = security::current_actor(req);
  auto found = service.view(actor, tracking);
  if (!found) return app.renderer.error_page(req, http::status_for(found.error().code));
  const View& v = *found;
  const Complaint& c = v.complaint;
  const Names names(app, service, req.context.lang);
  const core::Timestamp now = app.clock.now();

  boost::json::object model = summary_model(app, req, c, names, now);
  model["title"] = rules::display_title(c.title, c.description);
  model["nav_current"] = {{"complaints", true}};
  model["description"] = c.description;
  model["kind"] = text(app, req, "complaints.form.kind_" + std::string(to_string(c.kind)));
  model["next_step"] = next_step(app, req, c, names);
  if (c.due_at && is_open(c.status)) {
    model["due"] = local_time(app, req, *c.due_at);
    model["due_iso"] = iso_time(app, *c.due_at);
  }
  if (!c.agency_code.empty()) model["agency"] = names.agency(c.agency_code);
  if (c.rejection_reason)
    model["rejection_reason"] =
        text(app, req, "complaints.rejection." + std::string(to_string(*c.rejection_reason)));
  if (!c.merged_into.empty())
    model["merged_into"] = {{"tracking", c.merged_into}, {"href", "/pengaduan/" + c.merged_into}};
  model["place"] = place_model(app, req, c, names);
  model["form_js"] = app.statics.url_for("js/complaint-form.js");

  boost::json::array photos;
  int before = 0, after = 0;
  for (const auto& p : v.photos) {
    const int n = p.after ? ++after : ++before;
    photos.push_back({{"url", "/api/v1/complaints/" + c.tracking + "/photos/" + p.id},
                      {"alt", fill(text(app, req,
                                        p.after ? "complaints.report.photo_after_alt"
                                                : "complaints.report.photo_alt"),
                                   {{"n", std::to_string(n)}})}});
  }
  model["has_photos"] = !photos.empty();
  model["photos"] = std::move(photos);

  boost::json::array timeline;
  for (const auto& e : v.timeline) {
    if (!is_public(e.kind)) continue;  // this page shows the public timeline, to staff too
    boost::json::object item{
        {"at", local_time(app, req, e.at)},
        {"at_iso", iso_time(app, e.at)},
        {"what", text(app, req, "complaints.event." + std::string(to_string(e.kind)))},
        {"who", who(names, app, req, e)}};
    // A rating's comment is the reporter's to read; the public sees that it was rated.
    if (!e.body.empty() && (e.kind != EventKind::rated || v.mine)) item["body"] = e.body;
    timeline.push_back(std::move(item));
  }
  model["timeline"] = std::move(timeline);

  // What the viewer may do.
  const std::string back = "/pengaduan/" + c.tracking;
  model["action_base"] = back;
  model["mine"] = v.mine;
  if (v.mine && c.anonymous) model["mine_anonymous"] = true;
  if (v.mine && c.confidential) model["mine_confidential"] = true;
  model["can_support"] = v.can_support;
  model["supported"] = v.supported;
  if (!actor && !c.confidential && c.merged_into.empty() && is_open(c.status) &&
      c.status != Status::resolved)
    model["sign_in_href"] = "/masuk?next=" + back;
  model["can_comment"] = v.can_comment;
  model["can_confirm"] = v.can_confirm;
  model["can_reopen"] = v.can_reopen;
  if (v.can_reopen && v.reopen_until)
    model["reopen_until"] = fill(text(app, req, "complaints.report.reopen_until"),
                                 {{"until", local_time(app, req, *v.reopen_until)}});
  model["can_rate"] = v.can_rate;
  if (v.mine && c.rating)
    model["rated"] =
        fill(text(app, req, "complaints.report.rated"), {{"n", std::to_string(*c.rating)}});
  model["comment"] = in.comment;
  model["reason"] = in.reason;
  model["rating_comment"] = in.rating_comment;
  boost::json::array ratings;
  for (int r = 4; r >= 1; --r) {
    const std::string value = std::to_string(r);
    ratings.push_back({{"value", value},
                       {"id", "rating-" + value},
                       {"label", text(app, req, "complaints.report.rating_" + value)},
                       {"checked", in.rating == value}});
  }
  model["ratings"] = std::move(ratings);
  if (auto ok = req.query_param("ok"))
    for (std::string_view kind : kOkKinds)
      if (*ok == kind) model["ok_message"] = text(app, req, "complaints.report.ok." + *ok);

  in.errors.put(model);
  return private_page(app, status, "complaints/report", req, std::move(model));
}

// A form POST on a report: refused to anyone but a signed-in citizen, the form parsed, then
// `act` runs; its success is a 303 back with ?ok=<ok>, its refusal the page again.
template <class Act>
void report_action(app::App& app, ComplaintService& service, std::string_view segment,
                   std::string_view ok, std::vector<FieldTarget> targets, Act act) {
  app.router
      .post("/pengaduan/{tracking}/" + std::string(segment),
            [&app, &service, ok = std::string(ok), targets = std::move(targets),
             act = std::move(act)](http::Request& req) {
              const std::string tracking(req.param("tracking"));
              if (!rules::is_tracking(tracking)) return app.renderer.error_page(req, 404);
              const std::string back = "/pengaduan/" + tracking;
              const auto* actor = security::current_actor(req);
              if (auto refused = refuse_non_citizen(app, req, actor, back))
                return std::move(*refused);
              auto form = http::parse_form(req);
              if (!form) return app.renderer.error_page(req, http::status_for(form.error().code));
              ActionInput in;
              const core::Status done = act(*actor, tracking, *form, in, facts_of(req, "portal"));
              if (done) return http::Response::redirect(back + "?ok=" + ok);
              const core::Error& e = done.error();
              int status = 422;
              switch (e.code) {
                case core::ErrorCode::validation_failed:
                  add_service_errors(in.errors, app, req, e, targets);
                  if (in.errors.empty())
                    in.errors.add_general(text(app, req, "complaints.errors.generic"));
                  break;
                case core::ErrorCode::conflict:
                  status = 409;
                  in.errors.add_general(text(app, req, "complaints.errors.not_now." + ok));
                  break;
                default:
                  return app.renderer.error_page(req, http::status_for(e.code));
              }
              return report_page(app, service, req, status, tracking, std::move(in));
            })
      .body_limit(kActionFormLimit);
}

}  // namespace

void install_report_pages(app::App& app, ComplaintService& service) {
  auto& router = app.router;
  const uint64_t report_limit =
      rules::kMaxPhotos * uint64_t{app.config.complaints.photo_max_bytes} + 256 * 1024;

  router.get("/pengaduan/baru", [&app, &service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) {
      return private_page(app, 200, "complaints/sign_in_needed", req,
                          {{"title", text(app, req, "complaints.form.title")},
                           {"nav_current", {{"complaints", true}}},
                           {"sign_in_href", "/masuk?next=/pengaduan/baru"}});
    }
    if (actor->role != security::Role::citizen) return app.renderer.error_page(req, 403);
    return report_form(app, service, req, 200, nullptr, {});
  });
  router
      .post("/pengaduan/baru",
            [&app, &service](http::Request& req) { return submit_report(app, service, req); })
      .body_limit(report_limit);

  router.get("/pengaduan/{tracking}", [&app, &service](http::Request& req) {
    return report_page(app, service, req, 200, req.param("tracking"), {});
  });

  report_action(app, service, "dukung", "supported", {},
                [&service](const security::Actor& a, const std::string& tracking, const http::Form&,
                           ActionInput&, const RequestFacts& facts) {
                  return service.support(a, tracking, facts);
                });
  report_action(app, service, "komentar", "commented", {{"text", "comment-text"}},
                [&service](const security::Actor& a, const std::string& tracking,
                           const http::Form& form, ActionInput& in, const RequestFacts& facts) {
                  in.comment = typed(form, "text");
                  return service.comment(a, tracking, in.comment, facts);
                });
  report_action(app, service, "konfirmasi", "confirmed", {},
                [&service](const security::Actor& a, const std::string& tracking, const http::Form&,
                           ActionInput&, const RequestFacts& facts) {
                  return service.confirm(a, tracking, facts);
                });
  report_action(app, service, "buka-kembali", "reopened", {{"reason", "reopen-reason"}},
                [&service](const security::Actor& a, const std::string& tracking,
                           const http::Form& form, ActionInput& in, const RequestFacts& facts) {
                  in.reason = typed(form, "reason");
                  return service.reopen(a, tracking, in.reason, facts);
                });
  report_action(
      app, service, "nilai", "rated", {{"rating", "rating-4"}, {"comment", "rating-comment"}},
      [&service](const security::Actor& a, const std::string& tracking, const http::Form& form,
                 ActionInput& in, const RequestFacts& facts) {
        in.rating = value(form, "rating");
        in.rating_comment = typed(form, "comment");
        const int rating = in.rating.size() == 1 && in.rating[0] >= '1' && in.rating[0] <= '4'
                               ? in.rating[0] - '0'
                               : 0;
        return service.rate(a, tracking, rating, in.rating_comment, facts);
      });
}

}  // namespace balai::complaints::pages
