-- wrk script: sets the request from the environment and prints one summary line that
-- bench/http.sh parses: requests/s, latency p50 p90 p99 max in ms, errors, non-2xx responses.
--   WRK_METHOD (default GET), WRK_BODY_FILE (optional request body), WRK_CONTENT_TYPE
local method = os.getenv("WRK_METHOD") or "GET"
wrk.method = method
local body_file = os.getenv("WRK_BODY_FILE")
if body_file then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %.3f %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status))
end
