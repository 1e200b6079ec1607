-- GET /healthz: the API's web tier alone (no database, no Redis), for bench/catalog.py's
-- reference of what a cached answer could reach at most on this machine.
request = function()
    return wrk.format("GET", "/healthz")
end
