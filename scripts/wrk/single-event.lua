-- One event per request, as an application would send them.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local n = 0
request = function()
    n = n + 1
    local body = string.format(
        '{"type":"bench.single","actor":"bench-%d","severity":"low","outcome":"success","ip":"10.0.%d.%d","source":"wrk","description":"benchmark event %d","details":{"n":%d}}',
        n % 100, n % 250, n % 200, n, n)
    return wrk.format(nil, nil, nil, body)
end
