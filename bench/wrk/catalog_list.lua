-- GET /products, anonymous: the products_filter mix (category, age, price band, sorted by
-- price) with a skewed popularity (bench/catalog.py puts POPULAR_* above). POPULAR_SHARE of
-- the reads are one of POPULAR_LISTS fixed pages (k = 1..POPULAR_LISTS gives distinct
-- category, age and price, as 50, 121 and 51 are coprime in pairs), the rest any of the
-- products_filter.lua mix's 3 lakh combinations.
request = function()
    local category, age, min_price
    if math.random() < POPULAR_SHARE then
        local k = math.random(1, POPULAR_LISTS)
        category, age, min_price = 1 + k % 50, (k * 7) % 121, ((k * 13) % 51) * 1000
    else
        category, age, min_price = math.random(1, 50), math.random(0, 120),
            math.random(0, 50) * 1000
    end
    return wrk.format("GET", string.format(
        "/api/v1/products?category_id=%d&age_months=%d&min_price=%d&max_price=%d&sort=price_asc",
        category, age, min_price, min_price + 500000))
end
