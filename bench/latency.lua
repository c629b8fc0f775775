-- wrk: print requests/s, requests answered and latency percentiles as one parsable line.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.1f p50=%.2f p95=%.2f errors=%d non2xx=%d requests=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
