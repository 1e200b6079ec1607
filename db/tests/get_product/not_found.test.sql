-- get_product: an inactive or unknown product raises JK404 product_not_found.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('inactive', tests.make_product(p_is_active => FALSE));
    PERFORM tests.set_id('active', tests.make_product());
END
$$;

SELECT throws_ok(
    format($$SELECT api.get_product(%s)$$, tests.id('inactive')), 'JK404', 'product_not_found',
    'an inactive product is not found'
);
SELECT throws_ok(
    format($$SELECT api.get_product(%s)$$, (SELECT max(p.id) + 1000 FROM store.products AS p)),
    'JK404', 'product_not_found',
    'an unknown product is not found'
);
SELECT throws_ok(
    $$SELECT api.get_product(NULL)$$, 'JK404', 'product_not_found', 'no product id is not found'
);
SELECT is(
    api.get_product(tests.id('active')) -> 'id', to_jsonb(tests.id('active')),
    'an active product is found'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
