#pragma once
// The complaints module's JSON shapes (/api/v1/complaints...). A report's public form never
// carries who reported; `for_reporter_or_staff` adds the reporter's own choices (anonymous,
// confidential, channel) for the reporter and the staff handling it.

#include <boost/json/object.hpp>
#include <string_view>

#include "core/time.h"
#include "modules/complaints/model.h"
#include "modules/complaints/service.h"

namespace balai::complaints::json {

boost::json::object category(const Category& c, std::string_view lang);
boost::json::object complaint(const Complaint& c, core::Zone zone, core::Timestamp now,
                              bool for_reporter_or_staff = false);
boost::json::object view(const View& v, core::Zone zone, core::Timestamp now);
boost::json::object statistics(const Statistics& s);
// The statistics as CSV ("dimension,key,value"): one row per count, then the summary figures.
std::string statistics_csv(const Statistics& s);

}  // namespace balai::complaints::json
