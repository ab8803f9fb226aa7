#pragma once
// Message catalogs: web/i18n/id.json (the default, Bahasa Indonesia) and en.json, plus each
// module's web/i18n/<module>/<lang>.json merged in by top-level key. Keys are
// dotted paths into nested objects ("catalog.home.title"). Loaded once at start-up; read-only
// afterwards, so lookups are thread-safe.

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace balai::web {

inline constexpr std::string_view kDefaultLang = "id";

class Catalogs {
 public:
  // Reads every <lang>.json in `dir`. Fails when id.json is missing or a file is not a JSON
  // object. Also fails when a key of id.json is missing from another language (an untranslated
  // page is a bug, caught at start-up and by the tests).
  [[nodiscard]] static core::Result<Catalogs> load(const std::string& dir);

  // The text for a key in a language; falls back to Indonesian, then to the key itself.
  std::string_view text(std::string_view lang, std::string_view key) const;
  // The whole nested catalog of a language (templates read it as `t`).
  const boost::json::object& tree(std::string_view lang) const;
  bool has_language(std::string_view lang) const { return trees_.count(std::string(lang)) > 0; }
  std::vector<std::string> languages() const;

 private:
  std::map<std::string, boost::json::object> trees_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> flat_;
};

// Picks the language of a request: "?lang=" first, then the "lang" cookie, then "id".
// Accept-Language is ignored on purpose: Indonesian first, English on request.
std::string choose_language(std::string_view query_lang, std::string_view cookie_lang,
                            const Catalogs& catalogs);

}  // namespace balai::web
