-- store settings: shipping is ₹40 below ₹499 after discount and free from ₹499; reservations
-- last 15 minutes; a cart line holds at most 10 units.
BEGIN;

SELECT plan(7);

SELECT is(internal.shipping_fee(0), 4000::bigint, 'nothing to pay: the fee is still ₹40');
SELECT is(internal.shipping_fee(49899), 4000::bigint, 'one paisa under ₹499: ₹40');
SELECT is(internal.shipping_fee(49900), 0::bigint, 'exactly ₹499: free');
SELECT is(internal.shipping_fee(1000000), 0::bigint, 'above ₹499: free');
SELECT is(internal.reservation_ttl(), interval '15 minutes', 'reservations last 15 minutes');
SELECT is(internal.cart_line_limit(), 10, 'a cart line holds at most 10 units');
SELECT ok(
    (
        SELECT bool_and(p.provolatile = 'i') AND count(*) = 3
        FROM pg_proc AS p
        WHERE p.oid IN (
            'internal.shipping_fee(bigint)'::regprocedure, 'internal.reservation_ttl()'::regprocedure,
            'internal.cart_line_limit()'::regprocedure
        )
    ),
    'the settings are IMMUTABLE functions'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
