\set category random(1, 50)
\set age random(0, 120)
\set min_price random(0, 50) * 1000
SELECT api.list_products(p_category_id => :category, p_age_months => :age, p_min_price => :min_price, p_max_price => :min_price + 500000, p_sort => 'price_asc');
