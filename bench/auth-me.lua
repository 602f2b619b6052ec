-- SPDX-License-Identifier: MIT
-- wrk script: an authenticated request, with the bearer token run-http.sh got from signup.
local token = os.getenv("INBOX_BENCH_TOKEN")
if token == nil or token == "" then
    error("INBOX_BENCH_TOKEN is not set (run bench/run-http.sh)")
end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
