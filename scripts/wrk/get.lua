wrk.method = "GET"
wrk.path = os.getenv("QUERY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function() return wrk.format(nil, os.getenv("QUERY")) end
