-- bench/city_batch.lua: wrk script for bench/city, part "batch". Every request is one NGSI-v2
-- batch write, POST /v2/op/update, of BENCH_BATCH_ENTITIES entities with BENCH_BATCH_ATTRS
-- attributes each, with an integrator's bearer token:
--   {"actionType":"update","entities":[{"id":"bench-aq-000000","type":"AirQualityObserved",
--     "pm25":{"type":"Number","value":12.5},"pm10":{...},...},...]}
-- The entities are taken in turn from BENCH_ENTITIES entities (ids BENCH_ENTITY_PREFIX plus six
-- digits), each wrk thread from its own starting point; the values are new on every request and
-- inside the ranges Balai accepts for AirQualityObserved (src/modules/city/rules.cpp), so every
-- request can be stored (204).
--
--   BENCH_TOKEN=<token> wrk -s bench/city_batch.lua http://127.0.0.1:PORT/v2/op/update
--
-- Environment: BENCH_TOKEN (required), BENCH_ENTITIES (1000), BENCH_BATCH_ENTITIES (100),
-- BENCH_BATCH_ATTRS (10, at most 10), BENCH_ENTITY_TYPE (AirQualityObserved),
-- BENCH_ENTITY_PREFIX (bench-aq-), BENCH_ACTION (update; or append).
-- At the end it prints one line, "statuses 204=N ...", with the count of every HTTP status
-- received over all threads.

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local entities = tonumber(os.getenv("BENCH_ENTITIES") or "1000")
local per_request = tonumber(os.getenv("BENCH_BATCH_ENTITIES") or "100")
local attr_count = tonumber(os.getenv("BENCH_BATCH_ATTRS") or "10")
local entity_type = os.getenv("BENCH_ENTITY_TYPE") or "AirQualityObserved"
local prefix = os.getenv("BENCH_ENTITY_PREFIX") or "bench-aq-"
local action = os.getenv("BENCH_ACTION") or "update"

-- The seven attributes Balai checks for AirQualityObserved (unit µg/m³ or ISPU; no unitCode is
-- sent, so none is compared), then three of FIWARE's AirQualityObserved model that Balai keeps
-- as plain NGSI attributes. Each with the range its random values come from.
local attrs = {
  {"pm25", 0, 150}, {"pm10", 0, 250}, {"so2", 0, 80}, {"co", 0, 4000}, {"o3", 0, 200},
  {"no2", 0, 100}, {"ispu", 0, 180}, {"temperature", 20, 35}, {"relativeHumidity", 40, 95},
  {"windSpeed", 0, 12},
}

wrk.method = "POST"
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
  math.randomseed(3000 + (index or 0))
  -- Threads start a third of the way apart, so they rarely write the same entities at once.
  next_entity = math.floor((index or 0) * entities / 3) % entities
  if attr_count > #attrs then error("BENCH_BATCH_ATTRS is at most " .. #attrs) end
end

local function entity_json(n)
  local parts = {string.format('{"id":"%s%06d","type":"%s"', prefix, n, entity_type)}
  for a = 1, attr_count do
    local spec = attrs[a]
    local v = spec[2] + math.random() * (spec[3] - spec[2])
    parts[#parts + 1] = string.format(',"%s":{"type":"Number","value":%.2f}', spec[1], v)
  end
  parts[#parts + 1] = "}"
  return table.concat(parts)
end

function request()
  local items = {}
  for i = 1, per_request do
    items[i] = entity_json(next_entity)
    next_entity = (next_entity + 1) % entities
  end
  local body = '{"actionType":"' .. action .. '","entities":[' .. table.concat(items, ",") .. "]}"
  return wrk.format(nil, nil, nil, body)
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
