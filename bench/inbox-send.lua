-- SPDX-License-Identifier: MIT
-- POST /api/v1/teams/{team}/conversations/{id}/messages {body}: a send (message queued, its
-- delivery job and event written, the conversation's activity updated, one transaction), over
-- the seeder's sample of conversations whose contact has not opted out.
local C = dofile((os.getenv("INBOX_BENCH_DIR") or "bench") .. "/inbox-common.lua")
local ids, i
local headers = { ["Authorization"] = C.headers["Authorization"], ["Content-Type"] = "application/json" }
setup = C.setup
function init(args)
    ids = C.data.send_conversations
    i = (tid or 0) * 1000003
end
function request()
    i = i + 1
    local body = string.format('{"body":"Bench reply %d: your order is ready for pickup at the Austin store."}', i)
    return wrk.format("POST", "/api/v1/teams/" .. C.team .. "/conversations/" .. C.cycle(ids, i)
        .. "/messages", headers, body)
end
done = C.done("send")
