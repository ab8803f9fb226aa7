#pragma once
// The service catalog: the city's agencies (OPD, organisasi perangkat daerah) and the public
// services they offer. Every other module hangs off a service of this catalog.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace balai::catalog {

// A text in both portal languages.
struct LocalizedText {
  std::string id;  // Bahasa Indonesia (always present)
  std::string en;  // English (falls back to Indonesian when empty)
  const std::string& in(std::string_view lang) const {
    return lang == "en" && !en.empty() ? en : id;
  }
};

struct Agency {
  std::string code;  // short code, e.g. "disdukcapil"
  LocalizedText name;
};

// What a service does with personal data, shown as the service's privacy notice
// (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, Pasal 21: the purpose, the kinds of
// data, how long they are kept and the data subject's rights). The legal basis is the service's
// own `legal_basis`; the short paragraph is the service's `privacy`.
struct PrivacyNotice {
  std::vector<LocalizedText> data_items;  // each item of personal data collected; empty: none
  LocalizedText purpose;                  // why the data is needed
  LocalizedText recipients;  // who sees it: agency, roles, and any other institution it goes to
  LocalizedText retention;   // how long it is kept and what happens afterwards
  bool collects_personal_data() const { return !data_items.empty(); }
};

// What kind of thing a service is; the portal groups and routes by it.
enum class Category {
  identity,
  permits,
  tax,
  complaints,
  appointments,
  transport,
  smart_city,
  feedback,
  transparency
};
std::string_view to_string(Category c);
bool parse_category(std::string_view text, Category& out);

struct Service {
  std::string code;  // URL slug, e.g. "ktp-el"
  std::string agency_code;
  LocalizedText agency_name;  // filled on reads
  Category category = Category::identity;
  std::string icon;  // symbol id in web/static/img/icons.svg
  LocalizedText name;
  LocalizedText summary;      // one sentence for the grid
  LocalizedText description;  // a paragraph for the service page
  std::vector<LocalizedText> requirements;
  LocalizedText privacy;         // what personal data it uses and why, in a sentence or two
  PrivacyNotice privacy_notice;  // the full notice (/layanan/<code>/privasi)
  int64_t cost_rupiah = 0;       // 0 = free
  int processing_days = 0;       // working days; 0 = the same day
  std::string legal_basis;       // Indonesian legal references, e.g. "Perpres No. 96 Tahun 2018"
  bool online = false;           // can be used online in this portal now
  std::string start_path;        // where it starts in this portal ("/pengaduan/baru"); "" if none
  int position = 0;              // order in the grid
};

// A search over the catalog (portal search box, integrators).
struct ServiceQuery {
  std::string text;                  // matched in names and summaries, both languages; empty: all
  std::optional<Category> category;  // only this category
  std::optional<bool> online;        // only services usable online (true) or not (false)
};

}  // namespace balai::catalog
