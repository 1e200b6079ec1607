request = function()
    return wrk.format("GET", "/api/v1/cart", bearer())
end
