#pragma once
// The JSON a device sends its readings in, over HTTP (POST /api/v1/city/readings) and MQTT
// (balai/v1/devices/{device}/readings): one parser for both, so both ways in accept the same.
//
//   {"readings": [{"entity": "kali-madiun-01", "attr": "waterLevel", "value": 153.2,
//                  "unit": "CMT", "observedAt": "2026-11-28T09:00:00+07:00"}, ...]}
//
// or, for one entity (MQTT: the device's own), its attributes directly:
//
//   {"waterLevel": 153.2, "observedAt": "2026-11-28T09:00:00+07:00"}
//
// "unit" and "observedAt" are optional (the attribute's unit; the time of arrival).

#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "modules/city/model.h"

namespace balai::city {

inline constexpr size_t kMaxReadingsPerBatch = 10'000;

// The readings of a document. `entity_id`: the entity of the short form (empty: the short form
// is refused). bad_request naming the first malformed item (not an object, no entity or attr,
// a time without zone...), or a batch over kMaxReadingsPerBatch. A value's own checks (type,
// unit, range, time window) are the service's: they refuse one reading, not the batch.
[[nodiscard]] core::Result<std::vector<Reading>> parse_readings(const boost::json::value& doc,
                                                                std::string_view entity_id,
                                                                core::Timestamp now);

}  // namespace balai::city
