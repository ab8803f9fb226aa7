-- bench/complaint.lua: wrk script for bench/complaints. Every request is a citizen's new report,
-- POST /api/v1/complaints with a JSON body and the citizen's bearer token:
--   {"kind":"pengaduan","category":"sampah","description":"...","lat":L,"lon":M,"channel":"none"}
-- with a different place inside the city's area for every request (lat -7.68..-7.57,
-- lon 111.48..111.57, Balai's default city.area), channel "none" (no message is queued) and no
-- photos. Every such report can be stored (201); nothing makes two requests conflict.
--
--   BENCH_TOKEN=<token> wrk -s bench/complaint.lua http://127.0.0.1:PORT/api/v1/complaints
--
-- Environment: BENCH_TOKEN (required: the token of POST /api/v1/auth/login with "client":"app").
-- At the end it prints one line, "statuses 201=N ...", with the count of every HTTP status
-- received over all threads.

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local description = "Tumpukan sampah di tepi jalan belum diangkut sejak tiga hari, " ..
  "baunya sampai ke rumah warga."

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
  math.randomseed(1000 + (index or 0))
end

function request()
  -- Micro-degrees strictly inside the box: lat -7.679999..-7.570001, lon 111.480001..111.569999.
  local lat = -7.570001 - math.random(0, 109998) / 1e6
  local lon = 111.480001 + math.random(0, 89998) / 1e6
  local body = string.format(
    '{"kind":"pengaduan","category":"sampah","description":"%s","lat":%.6f,"lon":%.6f,' ..
    '"channel":"none"}', description, lat, lon)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do table.insert(parts, status .. "=" .. total[status]) end
  io.write("statuses " .. table.concat(parts, " ") .. "\n")
end
