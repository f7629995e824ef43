-- wrk script of benchmarks/loadgen.py. Requests wrk's URL, or, when the environment names a
-- file in WRK_PATHS, the paths listed there (one a line, each thread from its own offset,
-- round and round). With WRK_INSPECT set, every answer is read: statuses are counted, and a
-- lookup answered from the database (the engine failed: search.html's degraded notice, or
-- autocomplete's "degraded": true) counts as degraded. At the end: one JSON line, latencies
-- in microseconds.
local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  local listing = os.getenv("WRK_PATHS")
  if listing then
    for line in io.lines(listing) do table.insert(paths, line) end
  end
  position = #paths > 0 and (number * 7919) % #paths or 0
  statuses, degraded = {}, 0
end

function request()
  if #paths == 0 then return wrk.request() end
  position = position % #paths + 1
  return wrk.format(nil, paths[position])
end

if os.getenv("WRK_INSPECT") then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if body and (string.find(body, "notice-degraded", 1, true)
                 or string.find(body, '"degraded": true', 1, true)) then
      degraded = degraded + 1
    end
  end
end

function done(summary, latency, requests)
  local counted, degraded_total = {}, 0
  for _, thread in ipairs(threads) do
    degraded_total = degraded_total + thread:get("degraded")
    for status, count in pairs(thread:get("statuses")) do
      counted[status] = (counted[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counted) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "http_errors": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"degraded": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    degraded_total, table.concat(parts, ", ")))
end
