-- A console page as a signed-in browser asks for it: the session cookies, no Authorization.
wrk.method = "GET"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["Accept"] = "text/html"
request = function() return wrk.format(nil, os.getenv("QUERY")) end
