#pragma once
// What the complaints module's JSON routes share: error answers, private answers, and reading
// the list filters and statistics periods from a query string.

#include <boost/json/value.hpp>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "core/time.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/complaints/model.h"

namespace balai::complaints {

core::Error sign_in_first();
// validation_failed with each named field "required".
core::Error missing_fields(std::initializer_list<std::string_view> names);

// category, status, region (a region code), from/to (YYYY-MM-DD, `to` inclusive, in the city's
// zone), page (>= 1), page_size (1..100, default 20). validation_failed naming the parameter.
[[nodiscard]] core::Result<Filter> filter_from_query(const http::Request& req, core::Zone zone);
// from/to (YYYY-MM-DD, inclusive); default: the last 12 months up to today. At most 5 years.
[[nodiscard]] core::Result<std::pair<core::Timestamp, core::Timestamp>> period_from_query(
    const http::Request& req, core::Zone zone, core::Timestamp now);
// "YYYY-MM-DD" -> a valid date.
std::optional<core::Date> parse_day(std::string_view text);

}  // namespace balai::complaints
