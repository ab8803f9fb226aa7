// NGSI-v2 (FIWARE Orion's API, https://fiware.github.io/specifications/ngsiv2/stable/) at /v2 on
// ContextService, with Orion's status codes, error bodies and headers:
//   GET    /v2                                   the entry points
//   GET    /v2/entities                          list and query (id, type, patterns, q, mq, geo,
//                                                attrs, metadata, orderBy, limit, offset, options)
//   POST   /v2/entities                          create (options=upsert, keyValues)
//   GET    /v2/entities/{id}                     one entity (type, attrs, metadata, options)
//   DELETE /v2/entities/{id}                     remove it
//   GET    /v2/entities/{id}/attrs               its attributes without id and type
//   POST   /v2/entities/{id}/attrs               append (options=append: strict)
//   PATCH  /v2/entities/{id}/attrs               update existing attributes
//   PUT    /v2/entities/{id}/attrs               replace all attributes
//   GET    /v2/entities/{id}/attrs/{attr}        one attribute
//   PUT    /v2/entities/{id}/attrs/{attr}        replace one attribute
//   DELETE /v2/entities/{id}/attrs/{attr}        remove one attribute
//   GET    /v2/entities/{id}/attrs/{attr}/value  its value (text/plain for scalars)
//   PUT    /v2/entities/{id}/attrs/{attr}/value  set its value (application/json or text/plain)
//   GET    /v2/types, /v2/types/{type}           the types, their attributes and counts
//   POST   /v2/op/update                         batch write, all or nothing
//   POST   /v2/op/query                          batch query
// (/v2/subscriptions is subscription_api.cpp's; the request helpers both use are ngsi_http.h.)
// Anything else under /v2 is Orion's 400 "service not found" (405 with Allow for a known resource
// and another method).
//
// Tenancy: Fiware-Service and Fiware-ServicePath, read by ngsi::tenant_of (reads: up to ten
// paths, "/#" subtrees, all by default; writes: exactly one path, "/" by default).
//
// Who may do what: writes need an actor (a bearer token or a staff session; none: 401) and the
// service authorizes it (a device writes its own entity only: 403). Reads are public for the
// entity types whose built-in spec is public_read, and for the types Balai does not know: the
// NGSI context is the city's open data, and a system that keeps something confidential in it
// uses a known non-public type (SecurityIncident). Devices, integrators and staff see every
// type; anyone else sees the non-public ones neither in lists nor one by one (404, as if absent).
#include <algorithm>
#include <boost/json/array.hpp>
#include <memory>

#include "modules/city/ngsi_http.h"
#include "modules/city/ngsi_json.h"
#include "modules/city/ngsi_query.h"
#include "modules/city/routes.h"
#include "security/actor.h"

namespace balai::city {
namespace {

using ngsi::accepts;
using ngsi::bad_request;
using ngsi::Body;
using ngsi::fail;
using ngsi::Failure;
using ngsi::form_of;
using ngsi::json_reply;
using ngsi::kBodyLimit;
using ngsi::kMaxJsonDepth;
using ngsi::kMaxPayload;
using ngsi::options_of;
using ngsi::parse_error;
using ngsi::projection_of;
using ngsi::reply;
using ngsi::Tenant;
using ngsi::tenant_of;
using ngsi::url_segment;
using ngsi::Write;

constexpr std::string_view kCatchAll = "/v2/{rest:path}";
constexpr std::string_view kNoEntity = "The requested entity has not been found. Check type and id";
constexpr std::string_view kNoAttribute = "The entity does not have such an attribute";
constexpr std::string_view kTooMany = "More than one matching entity. Please refine your query";

bool visible(const security::Actor* actor, std::string_view type) {
  if (sees_private_types(actor)) return true;
  const EntityTypeSpec* spec = find_entity_type(type);
  return !spec || spec->public_read;  // unknown types are public: see the file's comment
}

// --- Parameters ---

std::optional<std::string> query(const http::Request& req, std::string_view name) {
  return req.query_param(name);
}

// The entity named by the path ({id}) and the type parameter, checked.
struct Target {
  std::string id;
  std::string type;  // "" when not given
};

core::Result<Target> target_of(const http::Request& req) {
  Target t{std::string(req.param("id")), {}};
  if (!ngsi::is_valid_name(t.id)) return bad_request("invalid character in URI");
  if (auto type = query(req, "type")) {
    if (type->empty()) return bad_request("Empty right-hand-side for URI param /type/");
    if (!ngsi::is_valid_name(*type)) return bad_request("invalid character in URI parameter");
    t.type = std::move(*type);
  }
  return t;
}

// --- The routes ---

// The routes' handlers; kept in app.states, so it lives as long as the routes.
class NgsiApi : public app::ModuleState {
 public:
  NgsiApi(app::App& app, ContextService& service) : app_(app), service_(service) {}

  void install();

 private:
  // ngsi::prepare_write with the context's 401 message.
  std::optional<http::Response> prepare(const http::Request& req, Body body, Write& out) const;

  // The one entity a read names, among those the caller may see: NotFound, TooManyResults.
  core::Result<Entity> find_one(const Tenant& t, const security::Actor* actor,
                                const Target& target) const;
  // The same for a write: in the write's own service path.
  core::Result<Entity> find_for_write(const Write& w, const Target& target) const;
  // The entity a read's URL names ({id}, ?type=) in its tenant, and one of its attributes
  // ({attr}; NotFound "The entity does not have such an attribute").
  core::Result<Entity> read_target(const http::Request& req) const;
  core::Result<Attribute> read_attribute(const http::Request& req) const;
  // The entity a write's URL names, and one of its attributes (which must exist).
  core::Result<Entity> write_target(const http::Request& req, const Write& w) const;
  core::Result<Entity> write_attribute_target(const http::Request& req, const Write& w) const;

  http::Response list(const http::Request& req, const Tenant& t,
                      const std::vector<EntityListQuery>& selectors) const;
  http::Response apply(const http::Request& req, const Write& w, std::vector<EntityChange> changes,
                       UpdateMode mode);
  // The same answered when the group commit is done, without a worker waiting for it
  // (http::Response::later): the attribute writes of one entity, the most frequent.
  http::Response apply_later(const http::Request& req, const Write& w,
                             std::vector<EntityChange> changes, UpdateMode mode);

  http::Response entry(const http::Request& req) const;
  http::Response list_entities(const http::Request& req) const;
  http::Response create(const http::Request& req);
  http::Response get_entity(const http::Request& req, bool with_id) const;
  http::Response remove_entity(const http::Request& req);
  http::Response write_attrs(const http::Request& req, UpdateMode mode);
  http::Response get_attribute(const http::Request& req) const;
  http::Response put_attribute(const http::Request& req);
  http::Response remove_attribute(const http::Request& req);
  http::Response get_value(const http::Request& req) const;
  http::Response put_value(const http::Request& req);
  http::Response types(const http::Request& req) const;
  http::Response type(const http::Request& req) const;
  http::Response batch_update(const http::Request& req);
  http::Response batch_query(const http::Request& req) const;
  http::Response unknown(http::Request& req) const;

  app::App& app_;
  ContextService& service_;
};

std::optional<http::Response> NgsiApi::prepare(const http::Request& req, Body body,
                                               Write& out) const {
  return ngsi::prepare_write(req, body, out,
                             "A bearer token (device, integrator) or a staff session is needed to "
                             "write context.");
}

core::Result<Entity> NgsiApi::find_one(const Tenant& t, const security::Actor* actor,
                                       const Target& target) const {
  std::vector<std::string> types;
  if (!target.type.empty()) types.push_back(target.type);
  auto found = service_.candidates(t.service, t.paths, types, {target.id});
  if (!found) return found.take_error();
  std::vector<Entity> seen;
  for (auto& s : *found)
    if (visible(actor, s.entity.type)) seen.push_back(std::move(s.entity));
  if (seen.empty()) return core::make_error(core::ErrorCode::not_found, std::string(kNoEntity));
  if (seen.size() > 1) return core::make_error(core::ErrorCode::conflict, std::string(kTooMany));
  return std::move(seen.front());
}

core::Result<Entity> NgsiApi::find_for_write(const Write& w, const Target& target) const {
  Tenant exact = w.tenant;
  exact.paths = PathFilter{{w.tenant.scope().service_path}, {}};
  return find_one(exact, w.actor, target);
}

core::Error no_attribute() {
  return core::make_error(core::ErrorCode::not_found, std::string(kNoAttribute));
}

core::Result<Entity> NgsiApi::read_target(const http::Request& req) const {
  auto tenant = tenant_of(req, /*for_read=*/true);
  if (!tenant) return tenant.take_error();
  auto target = target_of(req);
  if (!target) return target.take_error();
  return find_one(*tenant, security::current_actor(req), *target);
}

core::Result<Attribute> NgsiApi::read_attribute(const http::Request& req) const {
  auto e = read_target(req);
  if (!e) return e.take_error();
  auto it = e->attrs.find(std::string(req.param("attr")));
  if (it == e->attrs.end()) return no_attribute();
  return std::move(it->second);
}

core::Result<Entity> NgsiApi::write_target(const http::Request& req, const Write& w) const {
  auto target = target_of(req);
  if (!target) return target.take_error();
  return find_for_write(w, *target);
}

core::Result<Entity> NgsiApi::write_attribute_target(const http::Request& req,
                                                     const Write& w) const {
  auto e = write_target(req, w);
  if (e && !e->attrs.contains(std::string(req.param("attr")))) return no_attribute();
  return e;
}

http::Response NgsiApi::list(const http::Request& req, const Tenant& t,
                             const std::vector<EntityListQuery>& selectors) const {
  const security::Actor* actor = security::current_actor(req);
  const EntityListQuery& first = selectors.front();
  // Narrow the rows read when every selector names its ids (or its types) exactly.
  std::vector<std::string> ids, types;
  bool all_ids = true, all_types = true;
  for (const auto& s : selectors) {
    all_ids = all_ids && !s.ids.empty();
    all_types = all_types && !s.types.empty();
    ids.insert(ids.end(), s.ids.begin(), s.ids.end());
    types.insert(types.end(), s.types.begin(), s.types.end());
  }
  auto found =
      service_.candidates(t.service, t.paths, all_types ? types : std::vector<std::string>{},
                          all_ids ? ids : std::vector<std::string>{});
  if (!found) return fail(req, found.error());
  std::vector<Entity> matching;
  for (auto& s : *found) {
    if (!visible(actor, s.entity.type)) continue;
    if (std::any_of(selectors.begin(), selectors.end(),
                    [&](const EntityListQuery& q) { return matches(q, s.entity); }))
      matching.push_back(std::move(s.entity));
  }
  // Without orderBy the order is the entities' creation (the store's key order), as Orion's.
  if (!first.order_by.empty())
    std::sort(matching.begin(), matching.end(),
              [&](const Entity& a, const Entity& b) { return comes_before(first, a, b); });
  const ngsi::Projection projection{first.attrs, first.metadata};
  const ngsi::Form form = form_of(first.options);
  boost::json::array out;
  const ngsi::Slice page = ngsi::slice_of(first.page, matching.size());
  for (size_t i = page.begin; i < page.end; ++i)
    out.push_back(ngsi::entity_json(matching[i], form, projection));
  return ngsi::list_reply(req, std::move(out), first.options.count, matching.size());
}

http::Response NgsiApi::apply(const http::Request& req, const Write& w,
                              std::vector<EntityChange> changes, UpdateMode mode) {
  auto status = service_.apply(*w.actor, w.tenant.scope(), changes, mode);
  if (!status) return fail(req, status.error());
  return reply(req, 204);
}

http::Response NgsiApi::apply_later(const http::Request& req, const Write& w,
                                    std::vector<EntityChange> changes, UpdateMode mode) {
  // What the answer needs from the request is taken now: it is finished on another thread.
  return http::Response::later([this, head = reply(req, 204), actor = *w.actor,
                                scope = w.tenant.scope(), changes = std::move(changes),
                                mode](http::Response::Finish finish) mutable {
    service_.apply_async(
        actor, scope, std::move(changes), mode,
        [head = std::move(head), finish = std::move(finish)](core::Status s) mutable {
          finish(s ? std::move(head) : fail(head, s.error()));
        });
  });
}

http::Response NgsiApi::entry(const http::Request& req) const {
  // Registrations are not served, so their URL is not offered.
  return json_reply(req, 200,
                    boost::json::object{{"entities_url", "/v2/entities"},
                                        {"types_url", "/v2/types"},
                                        {"subscriptions_url", "/v2/subscriptions"}});
}

http::Response NgsiApi::list_entities(const http::Request& req) const {
  auto tenant = tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  QueryParams params;
  for (std::string_view name :
       {"id", "type", "idPattern", "typePattern", "q", "mq", "georel", "geometry", "coords",
        "limit", "offset", "attrs", "metadata", "orderBy", "options"})
    if (auto v = query(req, name)) params.emplace(std::string(name), std::move(*v));
  auto q = parse_entity_list_query(params);
  if (!q) return fail(req, q.error());
  return list(req, *tenant, {std::move(*q)});
}

http::Response NgsiApi::create(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::json, w)) return std::move(*refused);
  auto parsed = ngsi::parse_entity(w.json, w.options.key_values, /*id_required=*/true);
  if (!parsed) return fail(req, parsed.error());
  EntityChange change{parsed->id, parsed->type, std::move(parsed->attrs), 0};
  auto created = service_.create(*w.actor, w.tenant.scope(), change, w.options.upsert);
  if (!created) return fail(req, created.error());
  // The spec: 201 for a creation, 204 when upsert was asked (created or updated).
  http::Response res = reply(req, w.options.upsert ? 204 : 201);
  res.headers.set("Location", "/v2/entities/" + url_segment(change.id) + "?type=" +
                                  url_segment(change.type.empty() ? "Thing" : change.type));
  return res;
}

http::Response NgsiApi::get_entity(const http::Request& req, bool with_id) const {
  auto projection = projection_of(req);
  if (!projection) return fail(req, projection.error());
  auto options = options_of(req);
  if (!options) return fail(req, options.error());
  auto e = read_target(req);
  if (!e) return fail(req, e.error());
  return json_reply(req, 200, ngsi::entity_json(*e, form_of(*options), *projection, with_id));
}

http::Response NgsiApi::remove_entity(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::none, w)) return std::move(*refused);
  auto e = write_target(req, w);
  if (!e) return fail(req, e.error());
  auto status = service_.remove(*w.actor, w.tenant.scope(), e->id, e->type);
  if (!status) return fail(req, status.error());
  return reply(req, 204);
}

http::Response NgsiApi::write_attrs(const http::Request& req, UpdateMode mode) {
  Write w;
  if (auto refused = prepare(req, Body::json, w)) return std::move(*refused);
  auto attrs = ngsi::parse_attributes(w.json, w.options.key_values);
  if (!attrs) return fail(req, attrs.error());
  // The entity must exist (the service's append would create it, as a batch append does).
  auto e = write_target(req, w);
  if (!e) return fail(req, e.error());
  if (mode == UpdateMode::append && w.options.append) mode = UpdateMode::append_strict;
  return apply_later(req, w, {EntityChange{e->id, e->type, std::move(*attrs), 0}}, mode);
}

http::Response NgsiApi::get_attribute(const http::Request& req) const {
  auto projection = projection_of(req);
  if (!projection) return fail(req, projection.error());
  auto a = read_attribute(req);
  if (!a) return fail(req, a.error());
  return json_reply(req, 200, ngsi::attribute_json(*a, projection->metadata));
}

http::Response NgsiApi::put_attribute(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::json, w)) return std::move(*refused);
  const std::string name(req.param("attr"));
  auto attribute = ngsi::parse_attribute(name, w.json, /*key_values=*/false);
  if (!attribute) return fail(req, attribute.error());
  auto e = write_attribute_target(req, w);
  if (!e) return fail(req, e.error());
  return apply(req, w, {EntityChange{e->id, e->type, {{name, std::move(*attribute)}}, 0}},
               UpdateMode::update);
}

http::Response NgsiApi::remove_attribute(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::none, w)) return std::move(*refused);
  const std::string name(req.param("attr"));
  auto e = write_attribute_target(req, w);
  if (!e) return fail(req, e.error());
  return apply(req, w, {EntityChange{e->id, e->type, {{name, Attribute{}}}, 0}},
               UpdateMode::remove);
}

http::Response NgsiApi::get_value(const http::Request& req) const {
  auto a = read_attribute(req);
  if (!a) return fail(req, a.error());
  const boost::json::value& v = a->value;
  // Objects and arrays are JSON; scalars are text (a string in quotes), as the spec says.
  const bool structured = v.is_object() || v.is_array();
  std::string media;
  if (structured && accepts(req, "application/json"))
    media = "application/json";
  else if (accepts(req, "text/plain"))
    media = "text/plain";
  if (media.empty())
    return fail(req, Failure{406, "NotAcceptable",
                             structured ? "accepted MIME types: application/json, text/plain"
                                        : "accepted MIME types: text/plain"});
  http::Response res = reply(req, 200);
  res.headers.set("Content-Type", media);
  res.body = ngsi::value_text(v);
  return res;
}

http::Response NgsiApi::put_value(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::json_or_text, w)) return std::move(*refused);
  boost::json::value value = w.json;
  if (w.text) {
    auto parsed = ngsi::parse_text_value(req.body);
    if (!parsed) return fail(req, parsed.error());
    value = std::move(*parsed);
  }
  const std::string name(req.param("attr"));
  auto e = write_attribute_target(req, w);
  if (!e) return fail(req, e.error());
  const Attribute& current = e->attrs.at(name);
  // The value alone changes: the type and metadata stay (a DateTime is checked again).
  auto attribute = ngsi::parse_attribute(
      name, boost::json::object{{"type", current.type}, {"value", std::move(value)}}, false);
  if (!attribute) return fail(req, attribute.error());
  attribute->metadata = current.metadata;
  return apply(req, w, {EntityChange{e->id, e->type, {{name, std::move(*attribute)}}, 0}},
               UpdateMode::update);
}

http::Response NgsiApi::types(const http::Request& req) const {
  auto tenant = tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  auto options = options_of(req);
  if (!options) return fail(req, options.error());
  auto page = parse_page(query(req, "limit"), query(req, "offset"));
  if (!page) return fail(req, page.error());
  auto all = service_.types(tenant->service, tenant->paths);
  if (!all) return fail(req, all.error());
  const security::Actor* actor = security::current_actor(req);
  std::vector<TypeSummary> shown;
  for (auto& t : *all)
    if (visible(actor, t.type)) shown.push_back(std::move(t));
  std::sort(shown.begin(), shown.end(),
            [](const TypeSummary& a, const TypeSummary& b) { return a.type < b.type; });
  boost::json::array out;
  const ngsi::Slice slice = ngsi::slice_of(*page, shown.size());
  for (size_t i = slice.begin; i < slice.end; ++i) {
    const TypeSummary& t = shown[i];
    if (options->values) {
      out.push_back(boost::json::value(t.type));
      continue;
    }
    boost::json::object attrs;
    for (const auto& [name, seen] : t.attrs)
      attrs[name] = boost::json::object{{"types", boost::json::array(seen.begin(), seen.end())}};
    out.push_back(
        boost::json::object{{"type", t.type}, {"attrs", std::move(attrs)}, {"count", t.count}});
  }
  return ngsi::list_reply(req, std::move(out), options->count, shown.size());
}

http::Response NgsiApi::type(const http::Request& req) const {
  auto tenant = tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  const std::string_view name = req.param("type");
  if (!ngsi::is_valid_name(name)) return fail(req, bad_request("invalid character in URI"));
  auto all = service_.types(tenant->service, tenant->paths);
  if (!all) return fail(req, all.error());
  for (const auto& t : *all) {
    if (t.type != name || !visible(security::current_actor(req), t.type)) continue;
    boost::json::object attrs;
    for (const auto& [attr, seen] : t.attrs)
      attrs[attr] = boost::json::object{{"types", boost::json::array(seen.begin(), seen.end())}};
    return json_reply(req, 200,
                      boost::json::object{{"attrs", std::move(attrs)}, {"count", t.count}});
  }
  return fail(req, Failure{404, "NotFound", "Entity type not found"});
}

http::Response NgsiApi::batch_update(const http::Request& req) {
  Write w;
  if (auto refused = prepare(req, Body::json, w)) return std::move(*refused);
  auto batch = ngsi::parse_update_batch(w.json, w.options.key_values);
  if (!batch) return fail(req, batch.error());
  std::vector<EntityChange> changes;
  for (auto& e : batch->entities) changes.push_back({e.id, e.type, std::move(e.attrs), 0});
  switch (batch->action) {
    case ngsi::ActionType::append:
      return apply(req, w, std::move(changes), UpdateMode::append);
    case ngsi::ActionType::update:
      return apply(req, w, std::move(changes), UpdateMode::update);
    case ngsi::ActionType::replace:
      return apply(req, w, std::move(changes), UpdateMode::replace);
    case ngsi::ActionType::remove:
      return apply(req, w, std::move(changes), UpdateMode::remove);
    case ngsi::ActionType::append_strict:
      break;
  }
  // appendStrict creates the entities that do not exist (as POST /v2/entities would) and adds
  // attributes to the others, refusing any that exists. The service's append_strict refuses
  // missing entities, so a batch with some is checked here and written as an append (in one
  // transaction; a concurrent writer adding the same attribute in between wins silently).
  bool all_exist = true;
  for (const auto& c : changes) {
    auto e = find_for_write(w, Target{c.id, c.type});
    if (!e && e.error().code != core::ErrorCode::not_found) return fail(req, e.error());
    if (!e) {
      all_exist = false;
      continue;
    }
    for (const auto& [name, a] : c.attrs)
      if (e->attrs.contains(name))
        return fail(req, Failure{422, "Unprocessable",
                                 "one or more of the attributes in the request already exist: " +
                                     c.id + " - [ " + name + " ]"});
  }
  return apply(req, w, std::move(changes),
               all_exist ? UpdateMode::append_strict : UpdateMode::append);
}

http::Response NgsiApi::batch_query(const http::Request& req) const {
  if (req.body.size() > kMaxPayload)
    return fail(req, Failure{413, "RequestEntityTooLarge",
                             "payload size: " + std::to_string(req.body.size()) +
                                 ", max size supported: " + std::to_string(kMaxPayload)});
  auto tenant = tenant_of(req, /*for_read=*/true);
  if (!tenant) return fail(req, tenant.error());
  const std::string type = req.content_type();
  if (!req.body.empty() && type != "application/json")
    return fail(req, Failure{415, "UnsupportedMediaType",
                             type.empty() ? "Content-Type header not used, default "
                                            "application/octet-stream is not supported"
                                          : "not supported content type: " + type});
  if (req.body.empty())
    return fail(req, Failure{411, "ContentLengthRequired",
                             "Zero/No Content-Length in PUT/POST/PATCH request"});
  auto json = ngsi::parse_document(req.body, kMaxJsonDepth);
  if (!json || !json->is_object()) return parse_error(req);
  auto batch = ngsi::parse_query_batch(*json);
  if (!batch) return fail(req, batch.error());
  // Each item of "entities" is a list query of its own; an entity matching any is answered.
  QueryParams common;
  for (const auto& [name, value] : batch->expression) common.emplace(name, value);
  for (std::string_view name : {"limit", "offset", "orderBy", "options"})
    if (auto v = query(req, name)) common.emplace(std::string(name), std::move(*v));
  auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
  };
  if (!batch->attrs.empty()) common.emplace("attrs", join(batch->attrs));
  if (!batch->metadata.empty()) common.emplace("metadata", join(batch->metadata));
  std::vector<ngsi::EntitySelector> selectors = batch->entities;
  if (selectors.empty()) selectors.emplace_back();
  std::vector<EntityListQuery> queries;
  for (const auto& s : selectors) {
    QueryParams params = common;
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"id", &s.id},
        {"idPattern", &s.id_pattern},
        {"type", &s.type},
        {"typePattern", &s.type_pattern}};
    for (const auto& [name, value] : fields)
      if (!value->empty()) params.emplace(std::string(name), *value);
    auto q = parse_entity_list_query(params);
    if (!q) return fail(req, q.error());
    // An item's id is one id, not a list.
    if (!s.id.empty()) q->ids = {s.id};
    if (!s.type.empty()) q->types = {s.type};
    queries.push_back(std::move(*q));
  }
  return list(req, *tenant, queries);
}

http::Response NgsiApi::unknown(http::Request& req) const {
  auto routed = [&](http::Method m, std::string_view path) -> const http::Route* {
    const http::Match match = app_.router.match(m, path);
    return match.route && match.route->pattern != kCatchAll ? match.route : nullptr;
  };
  // Orion ignores one trailing slash: /v2/entities/ is /v2/entities.
  if (req.path.size() > 1 && req.path.ends_with('/')) {
    const std::string path = req.path.substr(0, req.path.size() - 1);
    if (const http::Route* route = routed(req.method, path)) {
      req.params = app_.router.match(req.method, path).params;
      return route->handler(req);
    }
  }
  std::string allow;
  for (http::Method m : {http::Method::get, http::Method::post, http::Method::put,
                         http::Method::patch, http::Method::del}) {
    if (!routed(m, req.path)) continue;
    if (!allow.empty()) allow += ", ";
    allow += http::to_string(m);
    if (m == http::Method::get) allow += ", HEAD";
  }
  if (!allow.empty()) {
    http::Response res = fail(req, Failure{405, "MethodNotAllowed", "method not allowed"});
    res.headers.set("Allow", allow);
    return res;
  }
  return fail(req, Failure{400, "BadRequest", "service not found"});
}

void NgsiApi::install() {
  http::Router& r = app_.router;
  auto read = [this](http::Response (NgsiApi::*handler)(const http::Request&) const) {
    return [this, handler](http::Request& req) { return (this->*handler)(req); };
  };
  auto write = [this](http::Response (NgsiApi::*handler)(const http::Request&)) {
    return [this, handler](http::Request& req) { return (this->*handler)(req); };
  };
  r.get("/v2", read(&NgsiApi::entry));
  r.get("/v2/entities", read(&NgsiApi::list_entities));
  r.post("/v2/entities", write(&NgsiApi::create)).body_limit(kBodyLimit);
  r.get("/v2/entities/{id}",
        [this](http::Request& req) { return get_entity(req, /*with_id=*/true); });
  r.del("/v2/entities/{id}", write(&NgsiApi::remove_entity));
  r.get("/v2/entities/{id}/attrs",
        [this](http::Request& req) { return get_entity(req, /*with_id=*/false); });
  const std::pair<http::Method, UpdateMode> verbs[] = {{http::Method::post, UpdateMode::append},
                                                       {http::Method::patch, UpdateMode::update},
                                                       {http::Method::put, UpdateMode::replace}};
  for (const auto& [method, mode] : verbs)
    r.add(method, "/v2/entities/{id}/attrs", [this, m = mode](http::Request& req) {
       return write_attrs(req, m);
     }).body_limit(kBodyLimit);
  r.get("/v2/entities/{id}/attrs/{attr}", read(&NgsiApi::get_attribute));
  r.put("/v2/entities/{id}/attrs/{attr}", write(&NgsiApi::put_attribute)).body_limit(kBodyLimit);
  r.del("/v2/entities/{id}/attrs/{attr}", write(&NgsiApi::remove_attribute));
  r.get("/v2/entities/{id}/attrs/{attr}/value", read(&NgsiApi::get_value));
  r.put("/v2/entities/{id}/attrs/{attr}/value", write(&NgsiApi::put_value)).body_limit(kBodyLimit);
  r.get("/v2/types", read(&NgsiApi::types));
  r.get("/v2/types/{type}", read(&NgsiApi::type));
  r.post("/v2/op/update", write(&NgsiApi::batch_update)).body_limit(kBodyLimit);
  r.post("/v2/op/query", read(&NgsiApi::batch_query)).body_limit(kBodyLimit);
  // Last, so that they only get what the routes above did not take (the router's first match).
  for (auto method : {http::Method::get, http::Method::post, http::Method::put, http::Method::patch,
                      http::Method::del}) {
    r.add(method, std::string(kCatchAll), [this](http::Request& req) {
       return unknown(req);
     }).body_limit(kBodyLimit);
    if (method != http::Method::get)
      r.add(method, "/v2", [this](http::Request& req) { return unknown(req); });
  }
}

}  // namespace

void install_ngsi_api(app::App& app, ContextService& service) {
  auto api = std::make_unique<NgsiApi>(app, service);
  api->install();
  app.states.push_back(std::move(api));
}

}  // namespace balai::city
