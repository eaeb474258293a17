-- Shared by the bench Lua scripts: prints one machine-readable line when wrk is done.
-- WRK requests=N rps=R p50_ms=… p90_ms=… p99_ms=… max_ms=… non2xx=N errors=N (socket errors)
local report = {}

function report.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end

return report
