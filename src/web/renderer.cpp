#include "web/renderer.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <sstream>

#include "core/log.h"
#include "core/time.h"

namespace balai::web {
namespace mstch = kainjow::mustache;
namespace fs = std::filesystem;

namespace {

mstch::data to_data(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      mstch::data d{mstch::data::type::object};
      for (const auto& [k, val] : v.as_object()) d.set(std::string(k), to_data(val));
      return d;
    }
    case boost::json::kind::array: {
      mstch::data d{mstch::data::type::list};
      for (const auto& val : v.as_array()) d.push_back(to_data(val));
      return d;
    }
    case boost::json::kind::string:
      return mstch::data{std::string(v.as_string())};
    case boost::json::kind::bool_:
      return v.as_bool() ? mstch::data{mstch::data::type::bool_true}
                         : mstch::data{mstch::data::type::bool_false};
    case boost::json::kind::int64:
      return mstch::data{std::to_string(v.as_int64())};
    case boost::json::kind::uint64:
      return mstch::data{std::to_string(v.as_uint64())};
    case boost::json::kind::double_:
      return mstch::data{fmt::format("{}", v.as_double())};
    case boost::json::kind::null:
      return mstch::data{mstch::data::type::bool_false};
  }
  return mstch::data{};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

struct Renderer::State {
  Catalogs catalogs;
  core::CityConfig city;
  std::map<std::string, std::string, std::less<>> templates;  // name -> source (read-only)
  mstch::data partials{mstch::data::type::object};            // "partials/x" -> partial
  ViewerDescriber viewer;
  std::map<std::string, mstch::data> globals;  // lang -> data shared by every page
};

Renderer::Renderer(std::unique_ptr<State> state) : state_(std::move(state)) {}
Renderer::~Renderer() = default;

core::Result<std::unique_ptr<Renderer>> Renderer::load(const std::string& web_dir,
                                                       const core::CityConfig& city,
                                                       const http::StaticFiles& statics) {
  auto state = std::make_unique<State>();
  auto catalogs = Catalogs::load(web_dir + "/i18n");
  if (!catalogs) return catalogs.take_error();
  state->catalogs = std::move(catalogs).value();
  state->city = city;

  const fs::path root = fs::path(web_dir) / "templates";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".mustache") continue;
    std::string name = fs::relative(it->path(), root).replace_extension().generic_string();
    std::string source = read_file(it->path());
    mstch::mustache check{source};
    if (!check.is_valid())
      return core::make_error(core::ErrorCode::validation_failed,
                              "template " + name + " is invalid: " + check.error_message());
    if (name.starts_with("partials/")) {
      state->partials.set(name, mstch::partial([src = source] { return src; }));
    }
    state->templates.emplace(std::move(name), std::move(source));
  }
  if (ec || !state->templates.contains("layout"))
    return core::make_error(core::ErrorCode::not_found, "templates not found in " + root.string());

  for (const std::string& lang : state->catalogs.languages()) {
    boost::json::object g;
    g["lang"] = lang;
    g["t"] = state->catalogs.tree(lang);
    boost::json::object c;
    c["name"] = lang == "en" && !city.name_en.empty() ? city.name_en : city.name;
    c["zone"] = core::zone_abbreviation(city.zone);
    g["city"] = std::move(c);
    boost::json::object asset;
    asset["css"] = statics.url_for("css/balai.css");
    asset["js"] = statics.url_for("js/balai.js");
    asset["emblem"] = statics.url_for("img/emblem.svg");
    asset["icons"] = statics.url_for("img/icons.svg");
    asset["favicon"] = statics.url_for("img/favicon.svg");
    g["asset"] = std::move(asset);
    state->globals.emplace(lang, to_data(g));
  }
  return std::unique_ptr<Renderer>(new Renderer(std::move(state)));
}

void Renderer::set_viewer_describer(ViewerDescriber describer) {
  state_->viewer = std::move(describer);
}

const Catalogs& Renderer::catalogs() const {
  return state_->catalogs;
}

std::string Renderer::render_page(std::string_view page, const http::Request& req,
                                  boost::json::object model) const {
  const std::string lang = choose_language(req.query_param("lang").value_or(""),
                                           req.cookie("lang").value_or(""), state_->catalogs);
  const std::string other = lang == "id" ? "en" : "id";
  boost::json::object sw;
  sw["href"] = (req.path.empty() ? "/" : req.path) + "?lang=" + other;
  sw["label"] = state_->catalogs.text(other, "site.language_name");
  sw["lang"] = other;
  model["lang_switch"] = std::move(sw);
  model["path"] = req.path;
  model["csrf"] = req.context.csrf_token;
  if (state_->viewer) model["viewer"] = state_->viewer(req);
  model["year"] = core::local_date(core::SystemClock{}.now(), state_->city.zone).year;

  auto tmpl = state_->templates.find(page);
  if (tmpl == state_->templates.end()) {
    core::log::error("web.template_missing", {{"template", page}});
    throw std::logic_error("template missing: " + std::string(page));
  }
  auto globals = state_->globals.find(lang);
  mstch::data page_data = to_data(model);

  mstch::context<std::string> ctx;
  ctx.push(&state_->partials);
  ctx.push(&globals->second);
  ctx.push(&page_data);
  mstch::mustache body{tmpl->second};
  const std::string content = body.render(ctx);

  mstch::data layout_data{mstch::data::type::object};
  layout_data.set("content", content);
  ctx.push(&layout_data);
  mstch::mustache layout{state_->templates.find("layout")->second};
  return layout.render(ctx);
}

http::Response Renderer::page(int status, std::string_view page, const http::Request& req,
                              boost::json::object model) const {
  return http::Response::html(status, render_page(page, req, std::move(model)));
}

http::Response Renderer::error_page(const http::Request& req, int status) const {
  const std::string lang = choose_language(req.query_param("lang").value_or(""),
                                           req.cookie("lang").value_or(""), state_->catalogs);
  const std::string key = fmt::format("error.{}", status);
  std::string heading(state_->catalogs.text(lang, key + ".heading"));
  std::string message(state_->catalogs.text(lang, key + ".message"));
  if (heading == key + ".heading") {
    heading = state_->catalogs.text(lang, "error.generic.heading");
    message = state_->catalogs.text(lang, "error.generic.message");
  }
  boost::json::object model;
  model["status"] = status;
  model["title"] = heading;
  model["heading"] = heading;
  model["message"] = message;
  model["request_id"] = req.request_id;
  http::Response r = page(status, "error", req, std::move(model));
  r.headers.set("Cache-Control", "no-store");
  return r;
}

}  // namespace balai::web
