-- bench/login.lua: wrk script for bench/security. Every request signs the same account in with
-- POST /api/v1/auth/login and a JSON body {"login", "password"}; a successful sign-in answers
-- 200 and starts a new session (one more row in the sessions table). Only successful sign-ins
-- are benchmarked: failures count against the source address and the account, and get them
-- locked or banned.
--
--   wrk -s bench/login.lua http://127.0.0.1:PORT/api/v1/auth/login
--
-- Environment: BENCH_LOGIN (warga@demo.balai.id) and BENCH_PASSWORD (the demo citizen's
-- password, from src/modules/identity/demo.cpp). At the end it prints one line,
--   "statuses 200=N 429=M ..."
-- with the count of every HTTP status received over all threads.

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local login = os.getenv("BENCH_LOGIN") or "warga@demo.balai.id"
local password = os.getenv("BENCH_PASSWORD") or "kereta api lewat tengah kota"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"login":' .. json_string(login) .. ',"password":' .. json_string(password) .. '}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
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
