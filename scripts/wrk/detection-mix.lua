-- A mixed single-event load for the detection benchmark: 1 % critical events (one alert
-- each), 20 % failed logins from 500 addresses (brute-force windows fill and their alerts
-- grow), 5 % access denials from 200 actors, the rest routine events no rule matches.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local n = 0
request = function()
    n = n + 1
    local slot = n % 100
    local body
    if slot == 0 then
        body = string.format('{"type":"bench.ids","severity":"critical","actor":"host-%d","source":"wrk","description":"benchmark detection %d"}', n % 1000, n)
    elseif slot <= 20 then
        local a = n % 500
        body = string.format('{"type":"auth.login.failed","severity":"low","outcome":"failure","actor":"user-%d","ip":"10.9.%d.%d","source":"wrk"}', n % 300, math.floor(a / 256), a % 256)
    elseif slot <= 25 then
        body = string.format('{"type":"access.denied","severity":"medium","outcome":"failure","actor":"user-%d","source":"wrk"}', n % 200)
    else
        body = string.format('{"type":"bench.single","actor":"bench-%d","severity":"low","outcome":"success","ip":"10.0.%d.%d","source":"wrk","description":"benchmark event %d","details":{"n":%d}}',
            n % 100, n % 250, n % 200, n, n)
    end
    return wrk.format(nil, nil, nil, body)
end
