#pragma once
// Pure rules of the catalog: validation and how costs and times read in each language.

#include <string>
#include <string_view>

#include "core/result.h"
#include "modules/catalog/model.h"

namespace balai::catalog {

// Ok, or validation_failed with the offending fields named. A service that collects personal
// data (a non-empty privacy_notice.data_items) must also state its purpose, recipients,
// retention (Indonesian at least) and legal basis; every data item needs its Indonesian text.
// Field names follow the API's JSON ("privacy_notice.purpose.id",
// "privacy_notice.data_items[2].id").
[[nodiscard]] core::Status validate(const Service& service);
[[nodiscard]] core::Status validate(const Agency& agency);

// Ok, or validation_failed naming the field (text longer than 100 characters).
[[nodiscard]] core::Status validate(const ServiceQuery& query);
// True when the service satisfies every condition of the query (case-insensitive text).
bool matches(const Service& service, const ServiceQuery& query);

// True for a URL slug: 2-64 of [a-z0-9-], not starting or ending with '-'.
bool is_slug(std::string_view text);

// "Rp 150.000" (Indonesian grouping with dots, in both languages, as the currency is written).
std::string format_rupiah(int64_t rupiah);
// "Gratis" / "Free", or the amount.
std::string cost_label(int64_t rupiah, std::string_view lang);
// "Selesai di hari yang sama" / "Same day", "3 hari kerja" / "3 working days".
std::string processing_label(int working_days, std::string_view lang);

}  // namespace balai::catalog
