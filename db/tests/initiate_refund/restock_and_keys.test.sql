-- initiate_refund with restock puts the sold units back on hand, once per order; with an
-- Idempotency-Key the same request answers the first refund and makes no other, another body
-- raises JK422 idempotency_key_reused.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.make_paid_order(p_quantity => 2, p_stock => 3);
END
$$;

SELECT is(tests.on_hand(tests.id('product')), 1, 'two of three units sold');
SELECT lives_ok(
    format(
        'SELECT api.initiate_refund(%s, %s, %L, 1000, TRUE)', tests.id('user'), tests.id('order'), 'Returned'
    ),
    'a refund with restock'
);
SELECT is(tests.on_hand(tests.id('product')), 3, 'puts them back on hand');
SELECT lives_ok(
    format(
        'SELECT api.initiate_refund(%s, %s, %L, 1000, TRUE)', tests.id('user'), tests.id('order'), 'Again'
    ),
    'a second one'
);
SELECT is(tests.on_hand(tests.id('product')), 3, 'does not put them back twice');

DO $$
BEGIN
    PERFORM tests.set_json('keyed', api.initiate_refund(tests.id('user'), tests.id('order'), 'Keyed', 500, FALSE, 'rk-1'));
END
$$;
SELECT is(
    (
        api.initiate_refund(tests.id('user'), tests.id('order'), 'Keyed', 500, FALSE, 'rk-1')
        = tests.json('keyed'),
        (
            SELECT count(*) FROM store.refunds
            WHERE order_id = tests.id('order')
        ),
        tests.error_of(format(
            'SELECT api.initiate_refund(%s, %s, %L, 600, FALSE, %L)',
            tests.id('user'), tests.id('order'), 'Keyed', 'rk-1'
        )) ->> 'message'
    )::text,
    '(t,3,idempotency_key_reused)',
    'the same key: the first refund again, no new one; another body: idempotency_key_reused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
