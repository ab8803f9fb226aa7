-- bench/unique_query.lua: wrk script for bench/security. Sends GET to the URL given to wrk with
-- "&n=<counter>" appended to its query string, so that no two requests of a thread have the same
-- target: none is answered from Balai's public response cache (its key is the target), and each
-- runs the whole chain and the handler, as distinct search terms would.
--
--   wrk -s bench/unique_query.lua 'http://127.0.0.1:PORT/api/v1/services?q=akta'
--
-- At the end it prints one line, "statuses 200=N ...", with the count of every HTTP status
-- received over all threads.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  prefix = wrk.path .. (wrk.path:find("?", 1, true) and "&" or "?") .. "n=" .. id .. "-"
end

function request()
  counter = counter + 1
  return wrk.format(nil, prefix .. counter)
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
