-- bench/city_patch.lua: wrk script for bench/city, part "patch". Every request updates one
-- attribute of one entity, PATCH /v2/entities/{id}/attrs?type=<type>, with an integrator's
-- bearer token:
--   {"pm25":{"type":"Number","value":12.5}}
-- rotating over BENCH_ENTITIES entities (ids BENCH_ENTITY_PREFIX plus six digits; each wrk
-- thread from its own starting point) and, entity after entity, over their ten attributes, with
-- a new value inside the range Balai accepts (src/modules/city/rules.cpp), so every request can
-- be stored (204).
--
--   BENCH_TOKEN=<token> wrk -s bench/city_patch.lua http://127.0.0.1:PORT/
--
-- Environment: BENCH_TOKEN (required), BENCH_ENTITIES (1000), BENCH_ENTITY_TYPE
-- (AirQualityObserved), BENCH_ENTITY_PREFIX (bench-aq-), BENCH_PATCH_ATTRS (10: how many of the
-- attributes below are rotated over).
-- At the end it prints one line, "statuses 204=N ...", with the count of every HTTP status
-- received over all threads.

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local entities = tonumber(os.getenv("BENCH_ENTITIES") or "1000")
local entity_type = os.getenv("BENCH_ENTITY_TYPE") or "AirQualityObserved"
local prefix = os.getenv("BENCH_ENTITY_PREFIX") or "bench-aq-"
local attr_count = tonumber(os.getenv("BENCH_PATCH_ATTRS") or "10")

-- The same attributes and ranges as city_batch.lua.
local attrs = {
  {"pm25", 0, 150}, {"pm10", 0, 250}, {"so2", 0, 80}, {"co", 0, 4000}, {"o3", 0, 200},
  {"no2", 0, 100}, {"ispu", 0, 180}, {"temperature", 20, 35}, {"relativeHumidity", 40, 95},
  {"windSpeed", 0, 12},
}

wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(4000 + (index or 0))
  next_entity = math.floor((index or 0) * entities / 3) % entities
  next_attr = 1
  if attr_count > #attrs then error("BENCH_PATCH_ATTRS is at most " .. #attrs) end
end

function request()
  local spec = attrs[next_attr]
  local path = string.format("/v2/entities/%s%06d/attrs?type=%s", prefix, next_entity, entity_type)
  local v = spec[2] + math.random() * (spec[3] - spec[2])
  local body = string.format('{"%s":{"type":"Number","value":%.2f}}', spec[1], v)
  next_entity = (next_entity + 1) % entities
  if next_entity == 0 then next_attr = next_attr % attr_count + 1 end
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 204 and not first_error then first_error = body end
end

function done(summary, latency, requests)
  local total = {}
  local sample
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
    sample = sample or thread:get("first_error")
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do table.insert(parts, status .. "=" .. total[status]) end
  io.write("statuses " .. table.concat(parts, " ") .. "\n")
  if sample then io.write("first error: " .. string.sub(sample, 1, 300) .. "\n") end
end
