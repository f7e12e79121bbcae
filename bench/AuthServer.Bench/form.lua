-- wrk script of the AuthServer benchmark: requests (form POSTs, or GETs) spread over many credentials or tokens.
-- BENCH_PATH      the endpoint, e.g. /connect/token
-- BENCH_AUTH_FILE one credential header value per line (e.g. "Basic ...", one line per API key)
-- BENCH_BODY_FILE one form body per line; unset: requests without a body
-- BENCH_METHOD    optional, default POST (GET for the SampleApi scenarios)
-- BENCH_HEADER    optional, the credential header, default Authorization (x-api-key for keys sent directly)
-- BENCH_EXPECT    optional Lua pattern: a 200 whose body does not match counts as unexpected (introspection: active true)
-- BENCH_ORIGIN_NS optional, a CLOCK_MONOTONIC time in ns (.NET's Stopwatch timestamp on Linux): answers are also
--                 counted per second since then ("perSecond" in the result; bucket i is [i, i+1) s)
-- Request i of a thread uses auth line i and body line i (each list repeats if shorter); threads start at
-- different offsets so that the connections spread over all lines rather than hammering one key.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

local requests = {}
local position = 0
non200 = 0
unexpected = 0
local expect = os.getenv("BENCH_EXPECT")
local origin = tonumber(os.getenv("BENCH_ORIGIN_NS") or "")
-- Completed answers per second since the origin, this thread's (done() copies the table from each thread).
buckets = {}
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int clock, bench_timespec *time); ]]
local now = ffi.new("bench_timespec")
local CLOCK_MONOTONIC = 1

function init(args)
  local path = os.getenv("BENCH_PATH")
  local auths = read_lines(os.getenv("BENCH_AUTH_FILE"))
  local body_file = os.getenv("BENCH_BODY_FILE")
  local bodies = body_file and read_lines(body_file) or {}
  local method = os.getenv("BENCH_METHOD") or "POST"
  local header = os.getenv("BENCH_HEADER") or "Authorization"
  local count = math.max(#auths, #bodies)
  local headers = {}
  if #bodies > 0 then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
  for i = 1, count do
    headers[header] = auths[(i - 1) % #auths + 1]
    requests[i] = wrk.format(method, path, headers, #bodies > 0 and bodies[(i - 1) % #bodies + 1] or nil)
  end
  position = math.floor(id * count / thread_count)
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if origin then
    ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
    local second = math.floor((tonumber(now.tv_sec) * 1e9 + tonumber(now.tv_nsec) - origin) / 1e9)
    buckets[second] = (buckets[second] or 0) + 1
  end
  if status ~= 200 then
    non200 = non200 + 1
  elseif expect and not string.find(body, expect) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local non200_total, unexpected_total = 0, 0
  for _, thread in ipairs(threads) do
    non200_total = non200_total + thread:get("non200")
    unexpected_total = unexpected_total + thread:get("unexpected")
  end
  local per_second, last = {}, -1
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("buckets")) do
      per_second[second] = (per_second[second] or 0) + count
      if second > last then last = second end
    end
  end
  local counts = {}
  for second = 0, last do counts[#counts + 1] = tostring(per_second[second] or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"non200":%d,"unexpected":%d,' ..
    '"socketErrors":%d,"timeouts":%d,"latencyUs":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d},"perSecond":[%s]}\n',
    summary.requests, summary.duration, summary.bytes, non200_total, unexpected_total,
    e.connect + e.read + e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, table.concat(counts, ",")))
end
