-- The same pre-built batch (no client ids) on every request.
local f = assert(io.open(os.getenv("BATCH_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
