#include "modules/complaints/open311_format.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <vector>

#include "core/geo.h"
#include "core/text.h"

namespace balai::complaints::open311 {
namespace {

// A document as both formats see it: XML elements, which JSON writes as values. A list's
// children are its items (their names are the XML item elements: <services><service>...).
struct Node {
  enum class Kind { text, number, boolean, null, object, list };
  Kind kind = Kind::text;
  std::string name;
  std::string value;  // text, a number's literal, "true"/"false"
  std::vector<Node> children;
};

Node text(std::string name, std::string_view value) {
  return {Node::Kind::text, std::move(name), std::string(value), {}};
}
Node number(std::string name, std::string literal) {
  return {Node::Kind::number, std::move(name), std::move(literal), {}};
}
Node number(std::string name, int64_t value) {
  return number(std::move(name), std::to_string(value));
}
Node boolean(std::string name, bool value) {
  return {Node::Kind::boolean, std::move(name), value ? "true" : "false", {}};
}
Node null(std::string name) {
  return {Node::Kind::null, std::move(name), {}, {}};
}
Node object(std::string name, std::vector<Node> children) {
  return {Node::Kind::object, std::move(name), {}, std::move(children)};
}
Node list(std::string name, std::vector<Node> items) {
  return {Node::Kind::list, std::move(name), {}, std::move(items)};
}

void write_json(const Node& n, std::string& out) {
  switch (n.kind) {
    case Node::Kind::text:
      out += boost::json::serialize(boost::json::string_view(n.value));
      return;
    case Node::Kind::number:
    case Node::Kind::boolean:
      out += n.value;
      return;
    case Node::Kind::null:
      out += "null";
      return;
    case Node::Kind::object:
      out += '{';
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ',';
        out += boost::json::serialize(boost::json::string_view(n.children[i].name));
        out += ':';
        write_json(n.children[i], out);
      }
      out += '}';
      return;
    case Node::Kind::list:
      out += '[';
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ',';
        write_json(n.children[i], out);
      }
      out += ']';
      return;
  }
}

void write_xml(const Node& n, std::string& out) {
  if (n.kind == Node::Kind::null) {
    out += '<' + n.name + "/>";
    return;
  }
  out += '<' + n.name + '>';
  if (n.kind == Node::Kind::object || n.kind == Node::Kind::list) {
    for (const auto& child : n.children) write_xml(child, out);
  } else {
    core::append_xml_escaped(out, n.value);
  }
  out += "</" + n.name + '>';
}

std::string render(const Node& root, Format format) {
  std::string out;
  if (format == Format::json) {
    write_json(root, out);
  } else {
    out = R"(<?xml version="1.0" encoding="utf-8"?>)";
    write_xml(root, out);
  }
  return out;
}

Node optional_text(std::string name, const std::optional<std::string>& value) {
  return value ? text(std::move(name), *value) : null(std::move(name));
}

Node service_request(const ServiceRequest& r, const Publication& p) {
  const Complaint& c = *r.complaint;
  const bool open = is_open(c.status);
  std::optional<std::string> expected;
  if (open && c.due_at) expected = core::format_iso8601(*c.due_at, p.zone);
  std::optional<std::string> media;
  if (!c.media_url.empty())
    media = c.media_url;
  else if (!r.first_photo_id.empty())
    media = p.base_url + "/api/v1/complaints/" + c.tracking + "/photos/" + r.first_photo_id;
  std::vector<Node> fields;
  fields.push_back(text("service_request_id", c.tracking));
  fields.push_back(text("status", open ? "open" : "closed"));
  fields.push_back(text("status_notes", c.status_note));
  fields.push_back(text("service_name", r.service_name.empty() ? c.category_code : r.service_name));
  fields.push_back(text("service_code", c.category_code));
  fields.push_back(text("description", c.description));
  fields.push_back(text("agency_responsible", c.agency_code));
  fields.push_back(text("service_notice", ""));
  fields.push_back(text("requested_datetime", core::format_iso8601(c.created_at, p.zone)));
  fields.push_back(text("updated_datetime", core::format_iso8601(c.updated_at, p.zone)));
  fields.push_back(optional_text("expected_datetime", expected));
  fields.push_back(text("address", c.address));
  fields.push_back(text("address_id", c.village_code));
  fields.push_back(text("zipcode", ""));
  if (c.location) {
    fields.push_back(number("lat", core::format_degrees_e6(c.location->lat_e6)));
    fields.push_back(number("long", core::format_degrees_e6(c.location->lon_e6)));
  } else {
    fields.push_back(null("lat"));
    fields.push_back(null("long"));
  }
  fields.push_back(optional_text("media_url", media));
  return object("request", std::move(fields));
}

}  // namespace

std::optional<Resource> parse_resource(std::string_view file) {
  const size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string_view suffix = file.substr(dot + 1);
  Resource r;
  r.name = std::string(file.substr(0, dot));
  if (suffix == "json")
    r.format = Format::json;
  else if (suffix == "xml")
    r.format = Format::xml;
  else
    return std::nullopt;
  return r;
}

std::string_view content_type(Format format) {
  return format == Format::json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
}

std::string discovery(const Discovery& d, Format format) {
  std::vector<Node> formats;
  formats.push_back(text("format", "text/xml"));
  formats.push_back(text("format", "application/json"));
  std::vector<Node> endpoint;
  endpoint.push_back(text("specification", "http://wiki.open311.org/GeoReport_v2"));
  endpoint.push_back(text("url", d.endpoint_url));
  endpoint.push_back(text("changeset", d.changeset));
  endpoint.push_back(text("type", d.type));
  endpoint.push_back(list("formats", std::move(formats)));
  std::vector<Node> endpoints;
  endpoints.push_back(object("endpoint", std::move(endpoint)));
  std::vector<Node> fields;
  fields.push_back(text("changeset", d.changeset));
  fields.push_back(text("contact", d.contact));
  fields.push_back(text("key_service", d.key_service));
  fields.push_back(list("endpoints", std::move(endpoints)));
  return render(object("discovery", std::move(fields)), format);
}

std::string services(std::span<const Category> categories, Format format) {
  std::vector<Node> items;
  items.reserve(categories.size());
  for (const auto& c : categories) {
    std::vector<Node> fields;
    fields.push_back(text("service_code", c.code));
    fields.push_back(text("service_name", c.name_id));
    fields.push_back(text("description", c.description_id));
    fields.push_back(boolean("metadata", !c.attributes.empty()));
    fields.push_back(text("type", "realtime"));
    fields.push_back(text("keywords", ""));
    fields.push_back(text("group", c.agency_code));
    items.push_back(object("service", std::move(fields)));
  }
  return render(list("services", std::move(items)), format);
}

std::string service_definition(const Category& category, Format format) {
  std::vector<const Attribute*> ordered;
  for (const auto& a : category.attributes) ordered.push_back(&a);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Attribute* a, const Attribute* b) { return a->order < b->order; });
  std::vector<Node> attributes;
  for (size_t i = 0; i < ordered.size(); ++i) {
    const Attribute& a = *ordered[i];
    std::vector<Node> values;
    for (const auto& v : a.values)
      values.push_back(object("value", {text("key", v.key), text("name", v.name)}));
    std::vector<Node> fields;
    fields.push_back(boolean("variable", true));
    fields.push_back(text("code", a.code));
    fields.push_back(text("datatype", to_string(a.type)));
    fields.push_back(boolean("required", a.required));
    fields.push_back(text("datatype_description", ""));
    fields.push_back(number("order", static_cast<int64_t>(i + 1)));
    fields.push_back(text("description", a.description));
    fields.push_back(list("values", std::move(values)));
    attributes.push_back(object("attribute", std::move(fields)));
  }
  return render(object("service_definition", {text("service_code", category.code),
                                              list("attributes", std::move(attributes))}),
                format);
}

std::string service_requests(std::span<const ServiceRequest> requests,
                             const Publication& publication, Format format) {
  std::vector<Node> items;
  items.reserve(requests.size());
  for (const auto& r : requests) items.push_back(service_request(r, publication));
  return render(list("service_requests", std::move(items)), format);
}

std::string created(const Created& c, Format format) {
  std::vector<Node> fields;
  fields.push_back(text("service_request_id", c.service_request_id));
  fields.push_back(text("token", c.token));
  fields.push_back(text("service_notice", c.service_notice));
  fields.push_back(null("account_id"));
  std::vector<Node> items;
  items.push_back(object("request", std::move(fields)));
  return render(list("service_requests", std::move(items)), format);
}

std::string token_answer(std::string_view service_request_id, std::string_view token,
                         Format format) {
  std::vector<Node> items;
  items.push_back(
      object("request", {text("service_request_id", service_request_id), text("token", token)}));
  return render(list("service_requests", std::move(items)), format);
}

std::string errors(std::span<const Problem> problems, Format format) {
  std::vector<Node> items;
  items.reserve(problems.size());
  for (const auto& p : problems)
    items.push_back(object("error", {number("code", p.code), text("description", p.description)}));
  return render(list("errors", std::move(items)), format);
}

}  // namespace balai::complaints::open311
