request = function()
    return wrk.format("GET", "/api/v1/products?q=" .. WORDS[math.random(1, #WORDS)])
end
