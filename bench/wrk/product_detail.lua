request = function()
    return wrk.format("GET", "/api/v1/products/" .. math.random(1001, 101000))
end
