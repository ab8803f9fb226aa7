#pragma once
// Server-rendered HTML from mustache templates (web/templates/*.mustache, kainjow, which escapes
// {{ }} by default). Every page is rendered into the shared layout. Templates are loaded and
// parsed once at start-up; rendering is thread-safe and never touches the disk.
//
// What every template can read (the view model is a JSON object merged with these):
//   lang              "id" or "en" (also <html lang>)
//   t                 the language's catalog, e.g. {{t.home.title}}
//   city.name         the city's name in that language
//   asset.css, asset.js, asset.emblem   fingerprinted static URLs
//   lang_switch.href, lang_switch.label, lang_switch.lang   link to the other language
//   path              the current path (for links that come back here)
//   title             page title (set by the page's view model)
// The layout additionally reads {{{content}}}: the page's rendered HTML.

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "http/static_files.h"
#include "web/i18n.h"

namespace balai::web {

class Renderer {
 public:
  // Loads templates from `<web_dir>/templates` and catalogs from `<web_dir>/i18n`.
  [[nodiscard]] static core::Result<std::unique_ptr<Renderer>> load(
      const std::string& web_dir, const core::CityConfig& city, const http::StaticFiles& statics);
  ~Renderer();

  // Renders template `page` (file name without .mustache) with `model` inside the layout, in
  // the request's language. Fails only when the template does not exist (a bug).
  std::string render_page(std::string_view page, const http::Request& req,
                          boost::json::object model) const;

  // A complete HTML response (no-store is added by the caller when the page is personal).
  http::Response page(int status, std::string_view page, const http::Request& req,
                      boost::json::object model) const;

  // The error page (404, 405, 500, ...) in the request's language.
  http::Response error_page(const http::Request& req, int status) const;

  const Catalogs& catalogs() const;

  // Adds what the layout shows about the person viewing (signed in or not, a console link for
  // staff) as `viewer` in every page's model. The web layer does not know the security layer's
  // types, so the app supplies this at start-up; it must be thread-safe and never block.
  using ViewerDescriber = std::function<boost::json::object(const http::Request&)>;
  void set_viewer_describer(ViewerDescriber describer);

 private:
  struct State;
  explicit Renderer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace balai::web
