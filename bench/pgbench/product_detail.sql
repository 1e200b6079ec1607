\set product random(1001, 101000)
SELECT api.get_product(:product);
