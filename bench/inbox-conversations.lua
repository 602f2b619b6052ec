-- SPDX-License-Identifier: MIT
-- GET /api/v1/teams/{team}/conversations?limit=50: the inbox's first page, newest activity first.
local C = dofile((os.getenv("INBOX_BENCH_DIR") or "bench") .. "/inbox-common.lua")
wrk.method = "GET"
wrk.path = "/api/v1/teams/" .. C.team .. "/conversations?limit=50"
wrk.headers["Authorization"] = C.headers["Authorization"]
setup = C.setup
done = C.done("conversations")
