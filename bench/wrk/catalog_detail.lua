-- GET /products/{id}, anonymous, with a skewed popularity (bench/catalog.py puts POPULAR_*
-- above): POPULAR_SHARE of the reads go to one of POPULAR_PRODUCTS popular products (every
-- POPULAR_STEP-th from 1001: spread over every category), the rest to any of the 1 lakh.
function product_id()
    if math.random() < POPULAR_SHARE then
        return 1001 + POPULAR_STEP * math.random(0, POPULAR_PRODUCTS - 1)
    end
    return math.random(1001, 101000)
end

request = function()
    return wrk.format("GET", "/api/v1/products/" .. product_id())
end
