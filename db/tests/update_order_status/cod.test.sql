-- The life of a cash-on-delivery order through the staff route: packed, shipped, delivered,
-- cod_collected; or returned from shipped, or cancelled before shipping, both of which put the
-- units back on hand and give the coupon use back, with no refund (nothing was captured).
-- An online order can be neither collected nor returned. Each confirmed COD order has its
-- invoice, and a cancelled or returned one a credit note of its total. check_invariants' COD
-- rules (14-16) hold throughout and catch each kind of broken row.
BEGIN;

SELECT plan(23);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product(p_price => 30000, p_stock => 10));
    PERFORM tests.set_id('coupon', tests.make_coupon(p_code => 'CODTEST'));
    PERFORM tests.set_id('collected', tests.place_order(
        v_user, ARRAY[tests.id('product')], ARRAY[1], p_payment_method => 'cod'
    ));
    PERFORM tests.set_id('returned', tests.place_order(
        v_user, ARRAY[tests.id('product')], ARRAY[2], 'CODTEST', p_payment_method => 'cod'
    ));
END
$$;

PREPARE move (bigint, text) AS SELECT api.update_order_status(tests.id('staff'), $1, $2) ->> 'status';

SELECT results_eq(
    format(
        $$SELECT api.update_order_status(%1$s, %2$s, s) ->> 'status'
          FROM unnest(ARRAY['packed', 'shipped', 'delivered', 'cod_collected']) WITH ORDINALITY AS m (s, n)
          ORDER BY n$$,
        tests.id('staff'), tests.id('collected')
    ),
    $$VALUES ('packed'), ('shipped'), ('delivered'), ('cod_collected')$$,
    'staff pack, ship, deliver and then record the cash collected'
);
SELECT is(
    tests.order_events(tests.id('collected')),
    ARRAY[
        'order.placed', 'order.confirmed', 'order.packed', 'order.shipped', 'order.delivered',
        'order.cod_collected'
    ],
    'each move is an event; collecting the cash is order.cod_collected'
);
SELECT throws_ok(
    format('EXECUTE move(%s, %L)', tests.id('collected'), 'returned'),
    'JK409', 'order_not_cancellable', 'a collected order cannot come back'
);

-- Returned: shipped, then back at the warehouse.
SELECT is(tests.on_hand(tests.id('product')), 7, 'before the return, three units are sold');
SELECT is(tests.used_count(tests.id('coupon')::integer), 1, 'and the coupon is used once');
SELECT throws_ok(
    format('EXECUTE move(%s, %L)', tests.id('returned'), 'returned'),
    'JK409', 'order_not_cancellable', 'an order that has not shipped cannot come back'
);
SELECT results_eq(
    format(
        $$SELECT api.update_order_status(%1$s, %2$s, s) ->> 'status'
          FROM unnest(ARRAY['packed', 'shipped', 'returned']) WITH ORDINALITY AS m (s, n)
          ORDER BY n$$,
        tests.id('staff'), tests.id('returned')
    ),
    $$VALUES ('packed'), ('shipped'), ('returned')$$,
    'a shipped COD order the customer did not take is returned'
);
SELECT is(tests.on_hand(tests.id('product')), 9, 'its units are back on hand');
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'its coupon use is given back');
SELECT isnt((tests.order_row(tests.id('returned'))).restocked_at, NULL, 'the restock is recorded');
SELECT is_empty(
    format('SELECT FROM store.refunds WHERE order_id = %s', tests.id('returned')),
    'and nothing is refunded: nothing was captured'
);

-- Cancelled by the customer before shipping.
SELECT tests.set_id('cancelled', tests.place_order(
    tests.id('user'), ARRAY[tests.id('product')], ARRAY[3], p_payment_method => 'cod'
));
SELECT is(
    api.cancel_order(tests.id('user'), tests.id('cancelled')) ->> 'status', 'cancelled',
    'the customer cancels a confirmed COD order'
);
SELECT is(tests.on_hand(tests.id('product')), 9, 'its units are back on hand');
SELECT is(internal.check_invariants(), '[]'::jsonb, 'the invariants hold through the COD life cycle');

-- Invoices: issued when a COD order is confirmed; a cancelled or returned one is credited in full.
SELECT is(
    (
        SELECT count(*)::integer FROM store.invoices
        WHERE order_id = tests.id('collected')
    ), 1,
    'a COD order is invoiced when it is confirmed'
);
SELECT is(
    (
        SELECT array_agg(n.amount = o.total AND n.refund_id IS NULL ORDER BY n.order_id)
        FROM store.credit_notes AS n
        INNER JOIN store.orders AS o ON n.user_id = o.user_id AND n.order_id = o.id
        WHERE n.order_id IN (tests.id('returned'), tests.id('cancelled'))
    ),
    ARRAY[TRUE, TRUE],
    'the returned and the cancelled COD orders each have a credit note of their whole total'
);
SELECT is_empty(
    format('SELECT FROM store.credit_notes WHERE order_id = %s', tests.id('collected')),
    'a collected order has none'
);

-- An online order is neither collected nor returned.
SELECT tests.make_paid_order('online_');
SELECT lives_ok(
    format(
        $$SELECT api.update_order_status(%1$s, %2$s, 'packed'),
            api.update_order_status(%1$s, %2$s, 'shipped')$$,
        tests.id('staff'), tests.id('online_order')
    ),
    'an online order ships'
);
SELECT throws_ok(
    format('EXECUTE move(%s, %L)', tests.id('online_order'), 'returned'),
    'JK409', 'invalid_status_transition', 'an online order is not returned (refund it instead)'
);
SELECT throws_ok(
    format(
        $$SELECT api.update_order_status(%1$s, %2$s, 'delivered'),
            api.update_order_status(%1$s, %2$s, 'cod_collected')$$,
        tests.id('staff'), tests.id('online_order')
    ),
    'JK409', 'invalid_status_transition', 'nor is cash collected for it'
);

-- The COD rules catch broken rows.
UPDATE store.orders SET restocked_at = NULL
WHERE id = tests.id('returned');
SELECT ok(
    internal.check_invariants() @> '[{"rule": "cod_stock_sold"}]', 'a returned COD order not restocked'
);
UPDATE store.orders SET payment_method = 'online', total = total - cod_fee, cod_fee = 0
WHERE id = tests.id('returned');
SELECT ok(
    internal.check_invariants() @> '[{"rule": "cod_statuses"}]', 'an online order that is returned'
);
UPDATE store.orders SET payment_method = 'cod'
WHERE id = tests.id('online_order');
SELECT ok(
    internal.check_invariants() @> '[{"rule": "cod_never_captured"}]', 'a COD order with a captured payment'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
