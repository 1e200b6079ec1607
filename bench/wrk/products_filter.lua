request = function()
    local min_price = math.random(0, 50) * 1000
    return wrk.format("GET", string.format(
        "/api/v1/products?category_id=%d&age_months=%d&min_price=%d&max_price=%d&sort=price_asc",
        math.random(1, 50), math.random(0, 120), min_price, min_price + 500000))
end
