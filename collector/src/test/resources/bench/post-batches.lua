-- wrk script of the collector benchmark: POSTs pre-built batches (one per line of $CP_BODIES) round-robin over
-- keep-alive connections and prints one JSON line of figures.
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"

local bodies = {}
for line in io.lines(os.getenv("CP_BODIES")) do
  bodies[#bodies + 1] = line
end

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end

local pause = tonumber(os.getenv("CP_DELAY_MS") or "0")
delay = function()
  return pause
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"errors":%d,"non_2xx":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
