-- list_products price bounds (inclusive, paise), age_months (age_min <= age <= age_max, both
-- ends inclusive) and gender (boy or girl, each also matching unisex).
BEGIN;

SELECT plan(15);

DO $$
BEGIN
    PERFORM tests.set_id('prices', tests.make_category('Price filters'));
    PERFORM tests.set_id('p100', tests.make_product(tests.id('prices')::integer, 'Cheap', p_price => 10000));
    PERFORM tests.set_id('p200', tests.make_product(tests.id('prices')::integer, 'Mid', p_price => 20000));
    PERFORM tests.set_id('p300', tests.make_product(tests.id('prices')::integer, 'Dear', p_price => 30000));

    PERFORM tests.set_id('ages', tests.make_category('Age filters'));
    PERFORM tests.set_id(
        'baby', tests.make_product(tests.id('ages')::integer, 'Baby', p_price => 1, p_age_min => 0,
            p_age_max => 12)
    );
    PERFORM tests.set_id(
        'toddler', tests.make_product(tests.id('ages')::integer, 'Toddler', p_price => 2, p_age_min => 12,
            p_age_max => 36)
    );
    PERFORM tests.set_id(
        'big', tests.make_product(tests.id('ages')::integer, 'Big kid', p_price => 3, p_age_min => 37,
            p_age_max => 216)
    );

    PERFORM tests.set_id('genders', tests.make_category('Gender filters'));
    PERFORM tests.set_id(
        'boy', tests.make_product(tests.id('genders')::integer, 'Boy', p_price => 100, p_gender => 'boy')
    );
    PERFORM tests.set_id(
        'girl', tests.make_product(tests.id('genders')::integer, 'Girl', p_price => 200, p_gender => 'girl')
    );
    PERFORM tests.set_id(
        'unisex',
        tests.make_product(tests.id('genders')::integer, 'Anyone', p_price => 300, p_gender => 'unisex')
    );
END
$$;

SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('prices')::integer, p_min_price => 20000, p_sort => 'price_asc'
    )),
    tests.ids('{p200,p300}'),
    'min_price is inclusive'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('prices')::integer, p_max_price => 20000, p_sort => 'price_asc'
    )),
    tests.ids('{p100,p200}'),
    'max_price is inclusive'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('prices')::integer, p_min_price => 20000, p_max_price => 20000
    )),
    tests.ids('{p200}'),
    'min_price = max_price lists that exact price'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('prices')::integer, p_min_price => 20001, p_max_price => 29999
    )),
    '{}'::bigint[],
    'a range between prices lists nothing'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('prices')::integer, p_min_price => 0, p_sort => 'price_asc'
    )),
    tests.ids('{p100,p200,p300}'),
    'min_price 0 keeps everything'
);

SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_age_months => 0, p_sort => 'price_asc'
    )),
    tests.ids('{baby}'),
    'age 0 months'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_age_months => 12, p_sort => 'price_asc'
    )),
    tests.ids('{baby,toddler}'),
    'age 12 months: the upper end of one range and the lower end of another both match'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_age_months => 13, p_sort => 'price_asc'
    )),
    tests.ids('{toddler}'),
    'age 13 months: just past a range no longer matches it'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_age_months => 36, p_sort => 'price_asc'
    )),
    tests.ids('{toddler}'),
    'age 36 months: one below a range''s minimum does not match it'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_age_months => 216, p_sort => 'price_asc'
    )),
    tests.ids('{big}'),
    'age 216 months (18 years)'
);

SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('genders')::integer, p_gender => 'boy', p_sort => 'price_asc'
    )),
    tests.ids('{boy,unisex}'),
    'gender boy: boy and unisex, not girl'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('genders')::integer, p_gender => 'girl', p_sort => 'price_asc'
    )),
    tests.ids('{girl,unisex}'),
    'gender girl: girl and unisex, not boy'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('genders')::integer, p_sort => 'price_asc'
    )),
    tests.ids('{boy,girl,unisex}'),
    'no gender: every gender'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('genders')::integer, p_gender => 'boy', p_max_price => 200
    )),
    tests.ids('{boy}'),
    'filters combine with AND'
);
SELECT is(
    (
        api.list_products(
            p_category_id => tests.id('genders')::integer, p_gender => 'girl', p_sort => 'price_asc'
        ) -> 'total'
    ),
    '2'::jsonb,
    'total counts the filtered products'
);
SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
