-- add_to_cart errors, by SQLSTATE: quantity below 1 (JK422 validation_error, column quantity),
-- unknown or switched-off product (JK404 product_not_found), over the per-line cap of 10 (JK422
-- quantity_limit_exceeded, also counting what the line holds), more than available now (JK409
-- insufficient_stock naming the product and the units). A refused add changes nothing.
BEGIN;

SELECT plan(20);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Wooden Train Set', p_stock => 30));
    PERFORM tests.set_id('off', tests.make_product(p_stock => 30, p_is_active => FALSE));
    PERFORM tests.set_id('unknown', (SELECT max(id) + 1000 FROM store.products));
    -- 5 on hand, 3 held by an unpaid order, 4 by one whose reservation expired: 2 available
    PERFORM tests.set_id('scarce', tests.make_product(p_name => 'Wooden Train Set', p_stock => 5));
    PERFORM tests.make_reservation(tests.id('scarce'), 3);
    PERFORM tests.make_reservation(tests.id('scarce'), 4, now() - interval '1 second');
    PERFORM tests.set_id('none', tests.make_product(p_name => 'Rocking Horse', p_stock => 0));
    PERFORM tests.set_id('no_row', tests.make_product(p_name => 'Kite', p_stock => NULL));
END
$$;

SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 0)', tests.id('user'), tests.id('train')),
    'JK422', 'validation_error', 'quantity 0 is refused'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, -1)', tests.id('user'), tests.id('train')),
    'JK422', 'validation_error', 'a negative quantity is refused'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, NULL)', tests.id('user'), tests.id('train')),
    'JK422', 'validation_error', 'no quantity is refused'
);
SELECT is(
    tests.error_of(format('SELECT api.add_to_cart(%s, %s, 0)', tests.id('user'), tests.id('train')))
    ->> 'column',
    'quantity', 'the validation error names the field'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('unknown')),
    'JK404', 'product_not_found', 'an unknown product is not found'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('off')),
    'JK404', 'product_not_found', 'a switched-off product is not found'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 11)', tests.id('user'), tests.id('train')),
    'JK422', 'quantity_limit_exceeded', '11 units at once is over the cap'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 2147483647)', tests.id('user'), tests.id('train')),
    'JK422', 'quantity_limit_exceeded', 'the largest integer is over the cap, not an overflow'
);
SELECT lives_ok(
    format('SELECT api.add_to_cart(%s, %s, 10)', tests.id('user'), tests.id('train')),
    'exactly 10 units fit'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('train')),
    'JK422', 'quantity_limit_exceeded', 'one more on a full line is over the cap'
);
SELECT is(
    tests.error_of(format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('train'))),
    jsonb_build_object(
        'sqlstate', 'JK422', 'message', 'quantity_limit_exceeded', 'column', 'quantity',
        'detail', 'At most 10 units of ''Wooden Train Set'' fit in one cart line; your cart holds 10 already'
    ),
    'the cap error names the product, the cap and what the line holds'
);
SELECT is(
    (
        SELECT ci.quantity FROM store.cart_items AS ci
        WHERE ci.user_id = tests.id('user') AND ci.product_id = tests.id('train')
    ),
    10, 'the refused adds left the line at 10'
);

SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 3)', tests.id('user'), tests.id('scarce')),
    'JK409', 'insufficient_stock', 'more than available (reservations subtracted) is refused'
);
SELECT is(
    tests.error_of(format('SELECT api.add_to_cart(%s, %s, 3)', tests.id('user'), tests.id('scarce')))
    ->> 'detail',
    'Only 2 units of ''Wooden Train Set'' are available',
    'the detail names the product and the units available'
);
SELECT lives_ok(
    format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('scarce')),
    'one of the two available units can be added'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 2)', tests.id('user'), tests.id('scarce')),
    'JK409', 'insufficient_stock', 'the line total counts: 1 held + 2 more is over 2 available'
);
SELECT is(
    tests.error_of(format('SELECT api.add_to_cart(%s, %s, 2)', tests.id('user'), tests.id('scarce')))
    ->> 'detail',
    'Only 2 units of ''Wooden Train Set'' are available',
    'the detail still gives the units available'
);
SELECT is(
    tests.error_of(format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('none'))),
    jsonb_build_object(
        'sqlstate', 'JK409', 'message', 'insufficient_stock', 'column', NULL,
        'detail', '''Rocking Horse'' is out of stock'
    ),
    'nothing on hand: out of stock'
);
SELECT throws_ok(
    format('SELECT api.add_to_cart(%s, %s, 1)', tests.id('user'), tests.id('no_row')),
    'JK409', 'insufficient_stock', 'no inventory row: nothing to sell'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.cart_items AS ci
        WHERE ci.user_id = tests.id('user')
    ),
    2, 'only the accepted adds made lines'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
