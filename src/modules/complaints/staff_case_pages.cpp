// HTML routes of one report for the staff who verify or handle it (ComplaintService decides who
// may do what and audits it; every answer is Cache-Control: no-store):
//   GET  /petugas/pengaduan/{tracking}                 the work page: details, place, photos, the
//                                                      whole timeline with internal notes, and
//                                                      the forms the state and role allow;
//                                                      ?templat=<id> fills the answer with a
//                                                      template (the no-JavaScript way)
//   POST /petugas/pengaduan/{tracking}/verifikasi      catatan
//   POST /petugas/pengaduan/{tracking}/tolak           alasan, catatan
//   POST /petugas/pengaduan/{tracking}/alihkan         instansi, catatan          supervisors
//   POST /petugas/pengaduan/{tracking}/tugaskan        petugas ("" releases it)
//   POST /petugas/pengaduan/{tracking}/tindak-lanjut   isi                        public answer
//   POST /petugas/pengaduan/{tracking}/catatan         isi                        internal
//   POST /petugas/pengaduan/{tracking}/selesai         jawaban, foto (multipart, up to 3)
//   POST /petugas/pengaduan/{tracking}/gabung          asli                       supervisors
//   POST /petugas/pengaduan/{tracking}/pelapor         tujuan: who reported (audited read)
// A refused form comes back with 422 (413 for photos that are too large, 409 when the report
// changed meanwhile), its problems summarized at the top and what was typed kept.
#include <algorithm>
#include <boost/json.hpp>

#include "core/geo.h"
#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/complaints/routes.h"
#include "modules/complaints/rules.h"
#include "modules/complaints/staff_page_support.h"
#include "modules/regions/directory.h"
#include "security/actor.h"

namespace balai::complaints::staff_pages {
namespace {

constexpr std::string_view kTemplatesScript = "js/complaint-templates.js";
constexpr RejectionReason kReasons[] = {RejectionReason::spam, RejectionReason::not_city_authority,
                                        RejectionReason::incomplete};

std::string case_path(std::string_view tracking) {
  return std::string(kQueuePath) + "/" + std::string(tracking);
}

// What the person typed into one of the work page's forms, and what is wrong with it.
struct CaseState {
  int status = 200;
  std::map<std::string, std::string> values;  // model name -> the text as typed
  FieldErrors errors;
  std::string template_id;  // the template chosen to fill the answer (?templat=)
};

std::string typed(const CaseState& s, const std::string& name) {
  auto it = s.values.find(name);
  return it == s.values.end() ? std::string() : it->second;
}

// Who reads a timeline entry's author: the staff member's name, or the role as people call it.
std::string actor_label(const app::App& app, const http::Request& req, const Event& e,
                        const std::map<std::string, std::string>& people,
                        const std::map<std::string, std::string>& agencies) {
  std::string who;
  if (auto it = people.find(e.actor_id); !e.actor_id.empty() && it != people.end())
    who = it->second;
  else
    who = text(app, req, "complaints_staff.actor." + e.actor_role);
  if (!e.agency_code.empty()) who += " (" + name_or_code(agencies, e.agency_code) + ")";
  return who;
}

boost::json::object place_model(const app::App& app, const Complaint& c) {
  boost::json::object place{{"address", c.address}, {"has_address", !c.address.empty()}};
  std::string region;
  for (const auto* r : app.regions.lineage(c.village_code)) {
    if (r->level < regions::Level::district) continue;
    region = region.empty() ? r->name : r->name + ", " + region;
  }
  if (!region.empty()) place["region"] = region;
  if (c.location) {
    place["lat"] = core::format_degrees_e6(c.location->lat_e6);
    place["lon"] = core::format_degrees_e6(c.location->lon_e6);
    place["has_location"] = true;
  }
  return place;
}

// The answers to the category's questions (Open311 attributes), labelled as the category asks.
boost::json::array attributes_model(const Complaint& c, const Category* category) {
  boost::json::array out;
  for (const auto& [code, answer] : c.attributes) {
    std::string label = code;
    std::string shown = answer;
    if (category) {
      for (const auto& a : category->attributes) {
        if (a.code != code) continue;
        if (!a.description.empty()) label = a.description;
        for (const auto& v : a.values)
          if (v.key == answer) shown = v.name;
      }
    }
    out.push_back({{"label", label}, {"value", shown}});
  }
  return out;
}

boost::json::object details_model(app::App& app, const http::Request& req, const Complaint& c,
                                  const Category* category,
                                  const std::map<std::string, std::string>& people,
                                  const std::map<std::string, std::string>& agencies) {
  const core::Timestamp now = app.clock.now();
  boost::json::object o{
      {"tracking", c.tracking},
      {"title", rules::display_title(c.title, c.description)},
      {"description", c.description},
      {"status", status_label(app, req, c.status)},
      {"status_code", to_string(c.status)},
      {"kind", text(app, req, "complaints_staff.kind." + std::string(to_string(c.kind)))},
      {"category", category ? category->name(req.context.lang) : c.category_code},
      {"created", local_time(app, req, c.created_at)},
      {"created_iso", iso_time(app, c.created_at)},
      {"verifier", name_or_code(agencies, c.verifier_agency)},
      {"overdue", rules::overdue(c, now)},
      {"escalated", c.escalated_at.has_value()},
      {"supporters", c.supporters},
      {"anonymous", c.anonymous},
      {"confidential", c.confidential},
      {"channel", text(app, req, "complaints_staff.channel." + std::string(to_string(c.channel)))},
      {"source", text(app, req, "complaints_staff.source." + c.source)},
      {"attributes", attributes_model(c, category)},
      {"place", place_model(app, c)}};
  if (!c.agency_code.empty()) o["agency"] = name_or_code(agencies, c.agency_code);
  if (!c.assignee.empty()) o["assignee"] = name_or_code(people, c.assignee);
  if (c.due_at) {
    o["due"] = local_time(app, req, *c.due_at);
    o["due_iso"] = iso_time(app, *c.due_at);
  }
  if (c.rejection_reason)
    o["rejection_reason"] = text(
        app, req, "complaints_staff.reject_reason." + std::string(to_string(*c.rejection_reason)));
  if (!c.merged_into.empty()) o["merged_into"] = c.merged_into;
  o["has_attributes"] = !c.attributes.empty();
  return o;
}

// The forms this person may use on this report now: the state machine (rules::allowed) and the
// same scopes the service checks, so a form shown is a form the service accepts.
void add_forms(app::App& app, ComplaintService& service, const http::Request& req,
               const security::Actor& staff, const View& v, const Category* category,
               const CaseState& state, const std::map<std::string, std::string>& agencies,
               boost::json::object& model) {
  const Complaint& c = v.complaint;
  const std::string_view holder = c.agency_code.empty() ? c.verifier_agency : c.agency_code;
  const bool verifies = staff.agency == c.verifier_agency;
  const bool handles = !c.agency_code.empty() && staff.agency == c.agency_code;
  const bool holds = staff.agency == holder;
  const bool supervisor = staff.role == security::Role::supervisor;
  auto can = [&](rules::Action a) { return rules::allowed(a, c.status).ok(); };
  bool any = false;

  if (verifies && can(rules::Action::verify)) {
    boost::json::object verify;
    auto routes = service.routes();
    if (category && routes)
      verify["route_to"] = name_or_code(agencies, rules::route(*category, c.village_code, *routes));
    model["verify"] = std::move(verify);
    boost::json::array reasons;
    for (RejectionReason r : kReasons) {
      const std::string code(to_string(r));
      reasons.push_back({{"value", code},
                         {"id", "reject-reason-" + code},
                         {"label", text(app, req, "complaints_staff.reject_reason." + code)},
                         {"hint", text(app, req, "complaints_staff.reject_hint." + code)},
                         {"checked", typed(state, "reject_reason") == code}});
    }
    model["reject"] = boost::json::object{{"reasons", std::move(reasons)}};
    any = true;
  }
  if (supervisor && (handles || verifies) && !c.agency_code.empty() &&
      can(rules::Action::reroute)) {
    std::vector<std::pair<std::string, std::string>> by_name;  // name, code
    for (const auto& [code, name] : agencies)
      if (code != c.agency_code) by_name.emplace_back(name, code);
    std::sort(by_name.begin(), by_name.end());
    boost::json::array options;
    for (const auto& [name, code] : by_name)
      options.push_back(
          {{"value", code}, {"label", name}, {"selected", typed(state, "reroute_agency") == code}});
    model["reroute"] = boost::json::object{{"agencies", std::move(options)}};
    any = true;
  }
  if (handles && can(rules::Action::assign)) {
    boost::json::object assign{{"me", staff.id}};
    if (supervisor) {
      const std::string chosen =
          state.values.contains("assignee") ? typed(state, "assignee") : c.assignee;
      boost::json::array people;
      for (const auto& a : agency_staff(app, c.agency_code))
        people.push_back({{"id", a.id}, {"name", a.display_name}, {"selected", a.id == chosen}});
      assign["people"] = std::move(people);
      assign["unassigned"] = chosen.empty();
    } else if (c.assignee == staff.id) {
      assign["release"] = true;
    } else {
      assign["take"] = true;
    }
    model["assign"] = std::move(assign);
    any = true;
  }
  if (handles && can(rules::Action::follow_up)) {
    boost::json::object follow_up;
    if (auto templates = service.templates(staff); templates && !templates->empty()) {
      boost::json::array options;
      for (const auto& t : *templates)
        options.push_back({{"id", t.id},
                           {"title", t.title},
                           {"body", t.body},
                           {"selected", t.id == state.template_id}});
      follow_up["templates"] = std::move(options);
      follow_up["has_templates"] = true;
      model["templates_script"] = app.statics.url_for(kTemplatesScript);
    }
    model["follow_up"] = std::move(follow_up);
    any = true;
  }
  if (handles && can(rules::Action::resolve)) {
    model["resolve"] = boost::json::object{{"physical", category && category->physical},
                                           {"max_photos", rules::kMaxPhotos}};
    any = true;
  }
  if (supervisor && holds && c.merged_into.empty() && can(rules::Action::merge)) {
    model["merge"] = true;
    any = true;
  }
  if (holds) {
    model["note_form"] = true;
    model["reporter"] = boost::json::object{{"anonymous", c.anonymous}};
    any = true;
  }
  model["has_actions"] = any;
}

http::Response case_page(app::App& app, ComplaintService& service, const http::Request& req,
                         const security::Actor& staff, const View& v, const CaseState& state) {
  const Complaint& c = v.complaint;
  auto found = service.category(c.category_code);
  const Category* category = found ? &*found : nullptr;
  const auto agencies = agency_names(app, req.context.lang);
  std::vector<std::string> ids{c.assignee};
  for (const auto& e : v.timeline) ids.push_back(e.actor_id);
  const auto people = staff_names(app, std::move(ids));

  boost::json::array timeline;
  for (const auto& e : v.timeline) {
    boost::json::object item{
        {"label", text(app, req, "complaints_staff.event." + std::string(to_string(e.kind)))},
        {"at", local_time(app, req, e.at)},
        {"at_iso", iso_time(app, e.at)},
        {"by", actor_label(app, req, e, people, agencies)},
        {"internal", e.kind == EventKind::internal_note},
        {"body", e.body},
        {"has_body", !e.body.empty()}};
    timeline.push_back(std::move(item));
  }
  boost::json::array before, after;
  for (const auto& p : v.photos) {
    auto& list = p.after ? after : before;
    list.push_back({{"url", "/api/v1/complaints/" + c.tracking + "/photos/" + p.id},
                    {"number", static_cast<int64_t>(list.size() + 1)}});
  }
  boost::json::object values;
  for (const auto& [name, as_typed] : state.values) values[name] = as_typed;

  boost::json::object model{
      {"title", c.tracking + " — " + rules::display_title(c.title, c.description)},
      {"nav_current", {{"officer_complaints", true}}},
      {"c", details_model(app, req, c, category, people, agencies)},
      {"timeline", std::move(timeline)},
      {"has_photos", !before.empty()},
      {"photos", std::move(before)},
      {"has_after_photos", !after.empty()},
      {"after_photos", std::move(after)},
      {"values", std::move(values)}};
  add_forms(app, service, req, staff, v, category, state, agencies, model);
  if (state.status == 200) {
    if (auto ok = req.query_param("ok")) {
      for (std::string_view k : {"assigned", "followed_up", "noted", "resolved"})
        if (*ok == k) model["ok_message"] = text(app, req, "complaints_staff.ok." + std::string(k));
    }
  }
  state.errors.put(model);
  return private_page(app, state.status, "complaints_staff/case", req, std::move(model));
}

// The report as this staff member works on it; an error page for anyone else (404 for unknown
// reports, 403 for staff of an agency that neither verifies nor handles it).
core::Result<View> staff_view(ComplaintService& service, const security::Actor& staff,
                              std::string_view tracking) {
  auto v = service.view(&staff, tracking);
  if (!v) return v.take_error();
  if (!v->staff) return core::make_error(core::ErrorCode::forbidden, "Not your agency's report.");
  return v;
}

std::optional<http::Response> refuse(app::App& app, const http::Request& req,
                                     const security::Actor* staff) {
  const std::string_view tracking = req.param("tracking");
  const std::string back =
      rules::is_tracking(tracking) ? case_path(tracking) : std::string(kQueuePath);
  return refuse_unless_staff(app, req, staff, back);
}

// One action of the work page: the form's fields, where its problems are shown, what the
// service is asked, and where a success leads.
struct Action {
  std::string_view path;                                  // after the tracking number
  std::vector<std::pair<std::string, std::string>> keep;  // form field -> model name
  std::vector<FieldTarget> targets;
  // The service's conflict shown at a field (merge: the original is closed), or none.
  std::optional<FieldTarget> conflict_at;
  // Photos over the size limit (413): where the problem is shown.
  std::optional<FieldTarget> too_large_at;
  std::function<core::Status(const security::Actor&, std::string_view tracking, const http::Form&,
                             const RequestFacts&)>
      act;
  std::function<std::string(std::string_view tracking)> done;
  uint64_t body_limit = kFormLimit;
  http::FormLimits limits{};
};

core::Error field_error(std::string_view field, std::string_view reason) {
  return core::Error{core::ErrorCode::validation_failed,
                     "Check the form.",
                     {{std::string(field), std::string(reason)}}};
}

http::Response run(app::App& app, ComplaintService& service, http::Request& req,
                   const Action& action) {
  const auto* staff = security::current_actor(req);
  if (auto refused = refuse(app, req, staff)) return std::move(*refused);
  const std::string tracking(req.param("tracking"));
  CaseState state;
  auto form = http::parse_form(req, action.limits);
  if (!form && !(form.error().code == core::ErrorCode::payload_too_large && action.too_large_at))
    return refusal_page(app, req, form.error());
  auto v = staff_view(service, *staff, tracking);
  if (!v) return refusal_page(app, req, v.error());
  if (!form) {
    const auto& t = *action.too_large_at;
    state.status = 413;
    state.errors.add(t.as, t.element_id,
                     text(app, req, "complaints_staff.errors." + t.as + ".too_large"));
    return case_page(app, service, req, *staff, *v, state);
  }
  for (const auto& [field, name] : action.keep) state.values[name] = value(*form, field);

  core::Status done = action.act(*staff, tracking, *form, facts_of(req, "portal"));
  if (done) return http::Response::redirect(action.done(tracking));
  const core::Error& e = done.error();
  switch (e.code) {
    case core::ErrorCode::validation_failed:
      state.status = 422;
      if (!add_service_errors(state.errors, app, req, e, action.targets))
        state.errors.add_general(text(app, req, "complaints_staff.errors.generic"));
      break;
    case core::ErrorCode::payload_too_large:
      if (!action.too_large_at) return refusal_page(app, req, e);
      state.status = 413;
      state.errors.add(
          action.too_large_at->as, action.too_large_at->element_id,
          text(app, req, "complaints_staff.errors." + action.too_large_at->as + ".too_large"));
      break;
    case core::ErrorCode::conflict: {
      // The report changed since the page was read (a colleague acted first), or the service
      // refuses this step in its state: the page as it is now, with the reason.
      state.status = 409;
      if (action.conflict_at) {
        state.errors.add(
            action.conflict_at->as, action.conflict_at->element_id,
            text(app, req, "complaints_staff.errors." + action.conflict_at->as + ".conflict"));
      } else {
        state.errors.add_general(text(app, req, "complaints_staff.errors.changed"));
      }
      auto now = staff_view(service, *staff, tracking);
      if (!now) return refusal_page(app, req, now.error());
      return case_page(app, service, req, *staff, *now, state);
    }
    default:
      return refusal_page(app, req, e);
  }
  return case_page(app, service, req, *staff, *v, state);
}

std::string to_queue(std::string_view ok) {
  return std::string(kQueuePath) + "?ok=" + std::string(ok);
}

std::string to_case(std::string_view tracking, std::string_view ok) {
  return case_path(tracking) + "?ok=" + std::string(ok);
}

// Tracking numbers as people type them: spaces around, lower-case letters.
std::string tracking_as_typed(std::string_view text) {
  std::string out(core::trim(text));
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

std::vector<Action> actions(app::App& app, ComplaintService& service) {
  std::vector<Action> list;
  list.push_back({"verifikasi",
                  {{"catatan", "verify_note"}},
                  {{"note", "verify_note", "verify-note"}},
                  {},
                  {},
                  [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                             const RequestFacts& facts) {
                    return service.verify(a, t, value(f, "catatan"), facts);
                  },
                  [](std::string_view) { return to_queue("verified"); }});
  list.push_back(
      {"tolak",
       {{"alasan", "reject_reason"}, {"catatan", "reject_note"}},
       {{"reason", "reject_reason", "reject-reason-spam"}, {"note", "reject_note", "reject-note"}},
       {},
       {},
       [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                  const RequestFacts& facts) -> core::Status {
         const std::string reason = value(f, "alasan");
         if (reason.empty()) return field_error("reason", "required");
         return service.reject(a, t, reason, value(f, "catatan"), facts);
       },
       [](std::string_view) { return to_queue("rejected"); }});
  list.push_back(
      {"alihkan",
       {{"instansi", "reroute_agency"}, {"catatan", "reroute_note"}},
       {{"agency", "reroute_agency", "reroute-agency"}, {"note", "reroute_note", "reroute-note"}},
       {},
       {},
       [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                  const RequestFacts& facts) -> core::Status {
         const std::string agency = value(f, "instansi");
         if (agency.empty()) return field_error("agency", "required");
         const std::string note = value(f, "catatan");
         if (core::utf8_length(note) > rules::kAnswerMax)
           return field_error("note", "at most 4000 characters");
         return service.reroute(a, t, agency, note, facts);
       },
       [](std::string_view) { return to_queue("rerouted"); }});
  list.push_back({"tugaskan",
                  {{"petugas", "assignee"}},
                  {{"assignee", "assignee", "assign-person"}},
                  {},
                  {},
                  [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                             const RequestFacts& facts) {
                    return service.assign(a, t, value(f, "petugas"), facts);
                  },
                  [](std::string_view t) { return to_case(t, "assigned"); }});
  list.push_back({"tindak-lanjut",
                  {{"isi", "follow_up_text"}},
                  {{"text", "follow_up_text", "follow-up-text"}},
                  {},
                  {},
                  [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                             const RequestFacts& facts) {
                    return service.follow_up(a, t, value(f, "isi"), facts);
                  },
                  [](std::string_view t) { return to_case(t, "followed_up"); }});
  list.push_back(
      {"catatan",
       {{"isi", "note_text"}},
       {{"text", "note_text", "note-text"}},
       {},
       {},
       [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                  const RequestFacts& facts) { return service.note(a, t, value(f, "isi"), facts); },
       [](std::string_view t) { return to_case(t, "noted"); }});
  // Up to three photos at the size limit, sent as they are (multipart), and the answer.
  const uint64_t photo_max = app.config.complaints.photo_max_bytes;
  Action resolve{"selesai",
                 {{"jawaban", "resolve_answer"}},
                 {{"answer", "resolve_answer", "resolve-answer"},
                  {"photos", "resolve_photos", "resolve-photos"}},
                 {},
                 FieldTarget{"photos", "resolve_photos", "resolve-photos"},
                 [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                            const RequestFacts& facts) {
                   std::vector<std::string> photos;
                   for (const auto& file : f.files)
                     if (file.field == "foto" && !file.data.empty()) photos.push_back(file.data);
                   return service.resolve(a, t, value(f, "jawaban"), photos, facts);
                 },
                 [](std::string_view t) { return to_case(t, "resolved"); },
                 rules::kMaxPhotos * photo_max + 64 * 1024};
  resolve.limits.max_files = rules::kMaxPhotos + 2;  // a fourth photo is named, not cut off
  resolve.limits.max_file_bytes = photo_max;
  list.push_back(std::move(resolve));
  list.push_back({"gabung",
                  {{"asli", "merge_into"}},
                  {{"into", "merge_into", "merge-original"}},
                  FieldTarget{"into", "merge_into", "merge-original"},
                  {},
                  [&service](const security::Actor& a, std::string_view t, const http::Form& f,
                             const RequestFacts& facts) -> core::Status {
                    const std::string original = tracking_as_typed(value(f, "asli"));
                    if (original.empty()) return field_error("into", "required");
                    return service.merge(a, t, original, facts);
                  },
                  [](std::string_view) { return to_queue("merged"); }});
  return list;
}

// Who reported: shown once, on the answer to the form that states the purpose (never stored by
// a browser). Anonymous reports: nobody can see who it was, which the page says.
http::Response reveal_reporter(app::App& app, ComplaintService& service, http::Request& req) {
  const auto* staff = security::current_actor(req);
  if (auto refused = refuse(app, req, staff)) return std::move(*refused);
  const std::string tracking(req.param("tracking"));
  auto form = http::parse_form(req);
  if (!form) return refusal_page(app, req, form.error());
  auto v = staff_view(service, *staff, tracking);
  if (!v) return refusal_page(app, req, v.error());
  const std::string purpose = value(*form, "tujuan");
  boost::json::object model{
      {"title", text(app, req, "complaints_staff.reporter.title")},
      {"nav_current", {{"officer_complaints", true}}},
      {"tracking", tracking},
      {"report_title", rules::display_title(v->complaint.title, v->complaint.description)}};
  auto who = service.reporter(*staff, tracking, purpose, facts_of(req, "portal"));
  if (!who) {
    const auto& e = who.error();
    if (e.code == core::ErrorCode::forbidden && v->complaint.anonymous) {
      model["anonymous"] = true;
      return private_page(app, 403, "complaints_staff/reporter", req, std::move(model));
    }
    if (e.code != core::ErrorCode::validation_failed) return refusal_page(app, req, e);
    CaseState state;
    state.status = 422;
    state.values["purpose"] = purpose;
    if (!add_service_errors(state.errors, app, req, e,
                            {{"purpose", "purpose", "reporter-purpose"}}))
      state.errors.add_general(text(app, req, "complaints_staff.errors.generic"));
    return case_page(app, service, req, *staff, *v, state);
  }
  model["reporter"] =
      boost::json::object{{"name", who->name},
                          {"email", who->email},
                          {"phone", who->phone},
                          {"has_contact", !who->email.empty() || !who->phone.empty()}};
  model["purpose"] = std::string(core::trim(purpose));
  return private_page(app, 200, "complaints_staff/reporter", req, std::move(model));
}

}  // namespace

void install_case_pages(app::App& app, ComplaintService& service) {
  const std::string base = std::string(kQueuePath) + "/{tracking}";

  app.router.get(base, [&app, &service](http::Request& req) {
    const auto* staff = security::current_actor(req);
    if (auto refused = refuse(app, req, staff)) return std::move(*refused);
    auto v = staff_view(service, *staff, req.param("tracking"));
    if (!v) return refusal_page(app, req, v.error());
    CaseState state;
    // "Gunakan templat" without JavaScript: the chosen template's text in the answer field.
    if (auto chosen = req.query_param("templat"); chosen && !chosen->empty()) {
      if (auto templates = service.templates(*staff)) {
        for (const auto& t : *templates) {
          if (t.id != *chosen) continue;
          state.template_id = t.id;
          state.values["follow_up_text"] = t.body;
        }
      }
    }
    return case_page(app, service, req, *staff, *v, state);
  });

  for (auto& action : actions(app, service)) {
    const uint64_t limit = action.body_limit;
    app.router
        .post(base + "/" + std::string(action.path),
              [&app, &service, action = std::move(action)](http::Request& req) {
                return run(app, service, req, action);
              })
        .body_limit(limit);
  }

  app.router
      .post(base + "/pelapor",
            [&app, &service](http::Request& req) { return reveal_reporter(app, service, req); })
      .body_limit(kFormLimit);
}

}  // namespace balai::complaints::staff_pages
