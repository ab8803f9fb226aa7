#include "web/i18n.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace balai::web {
namespace {

void flatten(const boost::json::object& obj, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out) {
  for (const auto& [k, v] : obj) {
    const std::string key = prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
    if (v.is_object()) {
      flatten(v.as_object(), key, out);
    } else if (v.is_string()) {
      out[key] = std::string(v.as_string());
    }
  }
}

}  // namespace

core::Result<Catalogs> Catalogs::load(const std::string& dir) {
  namespace fs = std::filesystem;
  Catalogs out;
  // The shared catalogs (<dir>/<lang>.json) and each module's own (<dir>/<module>/<lang>.json),
  // merged by top-level key, so that modules do not all edit one file. A key defined twice is
  // an error: two modules would silently overwrite each other.
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory()) {
      std::error_code sub_ec;
      for (const auto& sub : fs::directory_iterator(entry.path(), sub_ec))
        if (sub.path().extension() == ".json") files.push_back(sub.path());
    } else if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec) return core::make_error(core::ErrorCode::not_found, "cannot read i18n folder " + dir);
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    const std::string lang = path.stem().string();
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    boost::system::error_code jec;
    auto v = boost::json::parse(buf.str(), jec);
    if (jec || !v.is_object())
      return core::make_error(core::ErrorCode::bad_request,
                              "i18n catalog " + path.string() + " is not a JSON object");
    boost::json::object& tree = out.trees_[lang];
    for (const auto& [key, value] : v.as_object()) {
      if (tree.contains(key))
        return core::make_error(
            core::ErrorCode::validation_failed,
            "i18n key " + std::string(key) + " is defined twice (" + path.string() + ")");
      tree[key] = value;
    }
    flatten(v.as_object(), "", out.flat_[lang]);
  }
  auto id = out.flat_.find(kDefaultLang);
  if (id == out.flat_.end())
    return core::make_error(core::ErrorCode::not_found,
                            "i18n catalog id.json is missing in " + dir);
  for (const auto& [lang, keys] : out.flat_) {
    for (const auto& [key, text] : id->second) {
      if (!keys.contains(key))
        return core::make_error(core::ErrorCode::validation_failed,
                                "i18n catalog " + lang + ".json lacks the key " + key);
    }
  }
  return out;
}

std::string_view Catalogs::text(std::string_view lang, std::string_view key) const {
  for (std::string_view l : {lang, kDefaultLang}) {
    auto c = flat_.find(l);
    if (c == flat_.end()) continue;
    auto it = c->second.find(key);
    if (it != c->second.end()) return it->second;
  }
  return key;
}

const boost::json::object& Catalogs::tree(std::string_view lang) const {
  auto it = trees_.find(std::string(lang));
  if (it == trees_.end()) it = trees_.find(std::string(kDefaultLang));
  return it->second;
}

std::vector<std::string> Catalogs::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, tree] : trees_) out.push_back(lang);
  return out;
}

std::string choose_language(std::string_view query_lang, std::string_view cookie_lang,
                            const Catalogs& catalogs) {
  if (!query_lang.empty() && catalogs.has_language(query_lang)) return std::string(query_lang);
  if (!cookie_lang.empty() && catalogs.has_language(cookie_lang)) return std::string(cookie_lang);
  return std::string(kDefaultLang);
}

}  // namespace balai::web
