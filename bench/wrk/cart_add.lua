request = function()
    return wrk.format("POST", "/api/v1/cart/items", bearer(),
        string.format('{"product_id": %d, "quantity": 1}', in_stock_product()))
end
