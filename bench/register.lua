-- bench/register.lua: wrk script for bench/identity. Every request registers a new citizen with
-- POST /api/v1/auth/register: a unique, valid NIK and a unique email and phone number, so that
-- every registration can succeed (201) and none is refused as a duplicate (409).
--
--   BENCH_REG_OFFSET=0 wrk -s bench/register.lua http://127.0.0.1:PORT/api/v1/auth/register
--
-- Registration number n (BENCH_REG_OFFSET + 10,000 * this thread's index + k for its k-th
-- request) becomes:
--   NIK "357701" (Kota Madiun, Kartoharjo) + DDMMYY + serial: a man (day 01-28, so no day needs
--   the +40 of women) born 19YY-MM-DD with YY 70-99; the 28 * 12 * 30 = 10,080 dates cycle
--   first and the serial (0001-9999) counts the cycles, so n < 10,080 * 9,999 are all distinct;
--   birth_date and sex "male" match the NIK;
--   email "bench.<n>@example.id", phone "0812" + n in 8 digits, village 35.77.01.1002.
-- bench/identity gives each wrk run its own BENCH_REG_OFFSET, 100,000 apart, so that runs and
-- threads (up to 10, under 10,000 registrations each) never share a number.
-- Environment: BENCH_REG_OFFSET (0), BENCH_PASSWORD ("sepeda onthel di alun-alun").
-- At the end it prints one line, "statuses 201=N ...", with the count of every HTTP status
-- received over all threads.

local offset = tonumber(os.getenv("BENCH_REG_OFFSET") or "0")
local password = os.getenv("BENCH_PASSWORD") or "sepeda onthel di alun-alun"
local kDates = 28 * 12 * 30

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  next_n = offset + 10000 * (index or 0)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

function request()
  local n = next_n
  next_n = next_n + 1
  local date = n % kDates
  local serial = math.floor(n / kDates) % 9999 + 1
  local day = date % 28 + 1
  local month = math.floor(date / 28) % 12 + 1
  local year = math.floor(date / (28 * 12)) + 70
  local nik = string.format("357701%02d%02d%02d%04d", day, month, year, serial)
  local body = string.format(
    '{"nik":"%s","full_name":"Budi Santoso","birth_date":"19%02d-%02d-%02d","sex":"male",' ..
    '"street":"Jl. Salak No. 7, RT 02/RW 05","village_code":"35.77.01.1002",' ..
    '"phone":"0812%08d","email":"bench.%d@example.id","password":"%s"}',
    nik, year, month, day, n % 100000000, n, password)
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
