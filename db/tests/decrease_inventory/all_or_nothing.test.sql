-- decrease_inventory is all or nothing: when one line of an order cannot be sold, the lines
-- before it (in product id order) are not sold either.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('first', tests.make_product(p_stock => 5));
    PERFORM tests.set_id('second', tests.make_product(p_stock => 1));
    PERFORM tests.set_id('order', tests.make_order_with_lines(
        tests.id('user'), ARRAY[tests.id('second'), tests.id('first')], ARRAY[1, 2]
    ));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('order'));
    PERFORM tests.age_reservations(tests.id('user'), tests.id('order'), interval '1 hour');
    PERFORM tests.make_reservation(tests.id('second'), 1);
END
$$;

SELECT throws_ok(
    format('SELECT internal.decrease_inventory(%s, %s)', tests.id('user'), tests.id('order')),
    'JK409', 'insufficient_stock', 'the second product is gone'
);
SELECT is(tests.on_hand(tests.id('first')), 5, 'the first product was not sold');
SELECT is(tests.units_sold(tests.id('first')), 0::bigint, 'nor counted');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('first'))).status, 'active',
    'its reservation is as it was'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
