-- wrk script: after the run, print one line the harness parses:
-- BENCH <req/s> <p50 ms> <p99 ms> <requests> <non-2xx/3xx responses> <socket errors>
done = function(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1000000
  io.write(string.format("BENCH %.1f %.3f %.3f %d %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.requests,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
