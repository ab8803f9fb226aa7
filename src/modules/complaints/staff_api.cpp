// JSON routes of complaints for the city's staff and administrators:
//   GET    /api/v1/complaints/queue                 my agency's queue: status, category,
//                                                   overdue=1, assignee, page, page_size
//   GET    /api/v1/complaints/templates             my agency's answer templates
//   POST   /api/v1/complaints/templates             {title, body}
//   DELETE /api/v1/complaints/templates/{id}
//   PUT    /api/v1/complaints/categories/{code}     admin: a category with its attributes
//   PUT    /api/v1/complaints/routes                admin: {category, region, agency}
//   DELETE /api/v1/complaints/routes?category=&region=
//   POST   /api/v1/complaints/{tracking}/verify     {note}
//   POST   /api/v1/complaints/{tracking}/reject     {reason, note}
//   POST   /api/v1/complaints/{tracking}/reroute    {agency, note}          supervisors
//   POST   /api/v1/complaints/{tracking}/assign     {assignee}              "" unassigns
//   POST   /api/v1/complaints/{tracking}/follow-ups {text}                  public answer
//   POST   /api/v1/complaints/{tracking}/notes      {text}                  internal
//   POST   /api/v1/complaints/{tracking}/resolve    {answer, photos:[base64]}
//   POST   /api/v1/complaints/{tracking}/merge      {into}                  supervisors
//   GET    /api/v1/complaints/{tracking}/reporter?purpose=   who reported (audited read)
#include <boost/json.hpp>

#include "core/base64.h"
#include "http/json.h"
#include "modules/complaints/api_support.h"
#include "modules/complaints/json.h"
#include "modules/complaints/routes.h"
#include "security/actor.h"

namespace balai::complaints {
namespace {

constexpr uint64_t kSmallBody = 16 * 1024;

using StaffAct =
    std::function<core::Status(const security::Actor&, http::Request&, const boost::json::object&)>;

// A POST whose JSON body holds only text fields; answers {"ok":true}.
void staff_post(app::App& app, std::string_view pattern, uint64_t limit, StaffAct act) {
  app.router
      .post(pattern,
            [act = std::move(act), limit](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return http::api_error(req, sign_in_first());
              auto body = http::parse_json_object(req, {limit, 6});
              if (!body) return http::api_error(req, body.error());
              core::Status s = act(*actor, req, *body);
              if (!s) return http::api_error(req, s.error());
              return http::private_json_response(200, boost::json::object{{"ok", true}});
            })
      .body_limit(limit);
}

std::string text_or_empty(const boost::json::object& o, std::string_view name) {
  return http::string_member(o, name).value_or("");
}

core::Result<Category> category_from(std::string_view code, const boost::json::object& o) {
  Category c;
  c.code = std::string(code);
  c.name_id = text_or_empty(o, "name_id");
  c.name_en = text_or_empty(o, "name_en");
  c.description_id = text_or_empty(o, "description_id");
  c.description_en = text_or_empty(o, "description_en");
  c.agency_code = text_or_empty(o, "agency");
  if (auto* v = o.if_contains("physical"); v && v->is_bool()) c.physical = v->as_bool();
  if (auto* v = o.if_contains("nearby_radius_m"); v && v->is_int64())
    c.nearby_radius_m = static_cast<int>(std::clamp<int64_t>(v->as_int64(), -1, 100'000));
  if (auto* v = o.if_contains("position"); v && v->is_int64())
    c.position = static_cast<int>(std::clamp<int64_t>(v->as_int64(), 0, 10'000));
  auto bad = [](std::string_view why) {
    return core::Error{core::ErrorCode::validation_failed,
                       "The attributes are not valid.",
                       {{"attributes", std::string(why)}}};
  };
  if (auto* v = o.if_contains("attributes"); v && !v->is_null()) {
    if (!v->is_array() || v->as_array().size() > 50) return bad("an array of at most 50");
    for (const auto& item : v->as_array()) {
      if (!item.is_object()) return bad("each must be an object");
      const auto& a = item.as_object();
      Attribute attr;
      attr.code = text_or_empty(a, "code");
      auto type = parse_attribute_type(text_or_empty(a, "type"));
      if (!type)
        return bad(
            "type must be one of string, number, datetime, text, "
            "singlevaluelist, multivaluelist");
      attr.type = *type;
      if (auto* r = a.if_contains("required"); r && r->is_bool()) attr.required = r->as_bool();
      attr.description = text_or_empty(a, "description");
      if (auto* r = a.if_contains("order"); r && r->is_int64())
        attr.order = static_cast<int>(std::clamp<int64_t>(r->as_int64(), 0, 1000));
      if (auto* vals = a.if_contains("values"); vals && vals->is_array()) {
        for (const auto& x : vals->as_array()) {
          if (!x.is_object()) return bad("values are {key, name} objects");
          attr.values.push_back(
              {text_or_empty(x.as_object(), "key"), text_or_empty(x.as_object(), "name")});
        }
      }
      c.attributes.push_back(std::move(attr));
    }
  }
  return c;
}

}  // namespace

void install_staff_api(app::App& app, ComplaintService& service) {
  const core::Zone zone = app.config.city.zone;

  app.router.get("/api/v1/complaints/queue", [&service, &app, zone](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto filter = filter_from_query(req, zone);
    if (!filter) return http::api_error(req, filter.error());
    if (auto v = req.query_param("overdue")) filter->overdue_only = *v == "1" || *v == "true";
    if (auto v = req.query_param("assignee")) filter->assignee = *v;
    auto page = service.queue(*actor, *filter);
    if (!page) return http::api_error(req, page.error());
    const auto now = app.clock.now();
    boost::json::array items;
    for (const auto& c : page->items) items.push_back(json::complaint(c, zone, now, true));
    return http::private_json_response(200, boost::json::object{{"complaints", std::move(items)},
                                                                {"total", page->total},
                                                                {"page", filter->page},
                                                                {"page_size", filter->page_size}});
  });

  app.router.get("/api/v1/complaints/templates", [&service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto list = service.templates(*actor);
    if (!list) return http::api_error(req, list.error());
    boost::json::array items;
    for (const auto& t : *list)
      items.push_back({{"id", t.id}, {"title", t.title}, {"body", t.body}});
    return http::private_json_response(200, boost::json::object{{"templates", std::move(items)}});
  });
  app.router
      .post("/api/v1/complaints/templates",
            [&service](http::Request& req) {
              const auto* actor = security::current_actor(req);
              if (!actor) return http::api_error(req, sign_in_first());
              auto body = http::parse_json_object(req, {kSmallBody, 4});
              if (!body) return http::api_error(req, body.error());
              auto t = service.add_template(*actor, text_or_empty(*body, "title"),
                                            text_or_empty(*body, "body"), facts_of(req, "api"));
              if (!t) return http::api_error(req, t.error());
              return http::private_json_response(
                  201, boost::json::object{{"id", t->id}, {"title", t->title}, {"body", t->body}});
            })
      .body_limit(kSmallBody);
  app.router.del("/api/v1/complaints/templates/{id:uuid}", [&service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto s = service.delete_template(*actor, req.param("id"), facts_of(req, "api"));
    if (!s) return http::api_error(req, s.error());
    return http::private_json_response(200, boost::json::object{{"ok", true}});
  });

  app.router
      .put("/api/v1/complaints/categories/{code}",
           [&service](http::Request& req) {
             const auto* actor = security::current_actor(req);
             if (!actor) return http::api_error(req, sign_in_first());
             auto body = http::parse_json_object(req, {64 * 1024, 8});
             if (!body) return http::api_error(req, body.error());
             auto c = category_from(req.param("code"), *body);
             if (!c) return http::api_error(req, c.error());
             auto s = service.save_category(*actor, *c, facts_of(req, "api"));
             if (!s) return http::api_error(req, s.error());
             return http::private_json_response(200, json::category(*c, req.context.lang));
           })
      .body_limit(64 * 1024);
  app.router
      .put("/api/v1/complaints/routes",
           [&service](http::Request& req) {
             const auto* actor = security::current_actor(req);
             if (!actor) return http::api_error(req, sign_in_first());
             auto body = http::parse_json_object(req, {kSmallBody, 4});
             if (!body) return http::api_error(req, body.error());
             Route r{text_or_empty(*body, "category"), text_or_empty(*body, "region"),
                     text_or_empty(*body, "agency")};
             auto s = service.save_route(*actor, r, facts_of(req, "api"));
             if (!s) return http::api_error(req, s.error());
             return http::private_json_response(200,
                                                boost::json::object{{"category", r.category_code},
                                                                    {"region", r.region_prefix},
                                                                    {"agency", r.agency_code}});
           })
      .body_limit(kSmallBody);
  app.router.del("/api/v1/complaints/routes", [&service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto category = req.query_param("category");
    auto region = req.query_param("region");
    if (!category || !region) return http::api_error(req, missing_fields({"category", "region"}));
    auto s = service.delete_route(*actor, *category, *region, facts_of(req, "api"));
    if (!s) return http::api_error(req, s.error());
    return http::private_json_response(200, boost::json::object{{"ok", true}});
  });

  staff_post(
      app, "/api/v1/complaints/{tracking}/verify", kSmallBody,
      [&service](const security::Actor& a, http::Request& req, const boost::json::object& o) {
        return service.verify(a, req.param("tracking"), text_or_empty(o, "note"),
                              facts_of(req, "api"));
      });
  staff_post(app, "/api/v1/complaints/{tracking}/reject", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto reason = http::string_member(o, "reason");
               if (!reason) return missing_fields({"reason"});
               return service.reject(a, req.param("tracking"), *reason, text_or_empty(o, "note"),
                                     facts_of(req, "api"));
             });
  staff_post(app, "/api/v1/complaints/{tracking}/reroute", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto agency = http::string_member(o, "agency");
               if (!agency) return missing_fields({"agency"});
               return service.reroute(a, req.param("tracking"), *agency, text_or_empty(o, "note"),
                                      facts_of(req, "api"));
             });
  staff_post(app, "/api/v1/complaints/{tracking}/assign", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto assignee = http::string_member(o, "assignee");
               if (!assignee) return missing_fields({"assignee"});
               return service.assign(a, req.param("tracking"), *assignee, facts_of(req, "api"));
             });
  staff_post(app, "/api/v1/complaints/{tracking}/follow-ups", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto text = http::string_member(o, "text");
               if (!text) return missing_fields({"text"});
               return service.follow_up(a, req.param("tracking"), *text, facts_of(req, "api"));
             });
  staff_post(app, "/api/v1/complaints/{tracking}/notes", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto text = http::string_member(o, "text");
               if (!text) return missing_fields({"text"});
               return service.note(a, req.param("tracking"), *text, facts_of(req, "api"));
             });
  const uint64_t resolve_limit =
      rules::kMaxPhotos * (app.config.complaints.photo_max_bytes / 3 + 1) * 4 + 64 * 1024;
  staff_post(app, "/api/v1/complaints/{tracking}/resolve", resolve_limit,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto answer = http::string_member(o, "answer");
               if (!answer) return missing_fields({"answer"});
               std::vector<std::string> photos;
               if (auto* list = o.if_contains("photos"); list && !list->is_null()) {
                 const auto bad = core::Error{core::ErrorCode::validation_failed,
                                              "Photos must be base64 strings.",
                                              {{"photos", "must be an array of base64 strings"}}};
                 if (!list->is_array()) return bad;
                 for (const auto& p : list->as_array()) {
                   auto bytes = p.is_string() ? core::base64_decode(p.as_string()) : std::nullopt;
                   if (!bytes) return bad;
                   photos.push_back(std::move(*bytes));
                 }
               }
               return service.resolve(a, req.param("tracking"), *answer, photos,
                                      facts_of(req, "api"));
             });
  staff_post(app, "/api/v1/complaints/{tracking}/merge", kSmallBody,
             [&service](const security::Actor& a, http::Request& req,
                        const boost::json::object& o) -> core::Status {
               auto into = http::string_member(o, "into");
               if (!into) return missing_fields({"into"});
               return service.merge(a, req.param("tracking"), *into, facts_of(req, "api"));
             });

  app.router.get("/api/v1/complaints/{tracking}/reporter", [&service](http::Request& req) {
    const auto* actor = security::current_actor(req);
    if (!actor) return http::api_error(req, sign_in_first());
    auto r = service.reporter(*actor, req.param("tracking"),
                              req.query_param("purpose").value_or(""), facts_of(req, "api"));
    if (!r) return http::api_error(req, r.error());
    return http::private_json_response(200, boost::json::object{{"account_id", r->account_id},
                                                                {"name", r->name},
                                                                {"email", r->email},
                                                                {"phone", r->phone}});
  });
}

}  // namespace balai::complaints
