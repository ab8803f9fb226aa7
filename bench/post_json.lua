-- bench/post_json.lua: wrk script for bench/security. Every request is a POST of the JSON body
-- in BENCH_BODY (default {"q":"akta"}) to the URL given to wrk, with
-- Content-Type: application/json.
--
--   BENCH_BODY='{"q":"akta"}' wrk -s bench/post_json.lua http://127.0.0.1:PORT/api/v1/services/query
--
-- At the end it prints one line, "statuses 200=N ...", with the count of every HTTP status
-- received over all threads.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = os.getenv("BENCH_BODY") or '{"q":"akta"}'

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
