#pragma once
// How the identity module's objects look in JSON (the API and the export share them).

#include <boost/json/object.hpp>

#include "core/time.h"
#include "modules/identity/service.h"

namespace balai::identity {

boost::json::object profile_json(const Profile& p, core::Zone zone);
boost::json::object consent_json(const ConsentChange& c, core::Zone zone);
// `for_staff` adds the requester's id (officers need it; the requester knows it).
boost::json::object data_request_json(const DataRequest& r, core::Zone zone, core::Timestamp now,
                                      bool for_staff);
boost::json::object access_json(const AccessLogEntry& a, core::Zone zone);
boost::json::object export_json(const PersonalExport& e, core::Zone zone, core::Timestamp now);
boost::json::object transparency_json(const Transparency& t);

}  // namespace balai::identity
