-- cancel_order of an unpaid order: cancelled with the reason, its reservation released, its
-- coupon use given back, the move recorded as the customer's; nothing to refund. Cancelling
-- again raises JK409 order_not_cancellable; another user's order JK404 order_not_found.
BEGIN;

SELECT plan(9);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_price => 60000, p_stock => 2));
    PERFORM tests.set_id('coupon', tests.make_coupon(p_usage_limit => 1));
    PERFORM tests.set_id('order', tests.place_order(v_user, ARRAY[tests.id('product')], ARRAY[2],
        tests.coupon_code(tests.id('coupon')::integer)));
    PERFORM tests.set_json('answer', api.cancel_order(v_user, tests.id('order'), 'Wrong size'));
END
$$;

SELECT is(tests.json('answer') ->> 'status', 'cancelled', 'cancelled');
SELECT is(
    tests.order_events(tests.id('order')), ARRAY['order.placed', 'order.cancelled'],
    'nothing to refund: no refund.requested event, only the order''s own'
);
SELECT is((tests.order_row(tests.id('order'))).cancel_reason, 'Wrong size', 'the reason is kept');
SELECT is(internal.available_stock(tests.id('product')), 2, 'the reservation is released');
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'the coupon use is given back');
SELECT is(tests.order_history(tests.id('order')), ARRAY['pending_payment>cancelled:customer'], 'recorded');
SELECT throws_ok(
    format('SELECT api.cancel_order(%s, %s)', tests.id('user'), tests.id('order')),
    'JK409', 'order_not_cancellable', 'cancelling twice'
);
SELECT throws_ok(
    format('SELECT api.cancel_order(%s, %s)', tests.make_user(), tests.id('order')),
    'JK404', 'order_not_found', 'another user''s order'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
