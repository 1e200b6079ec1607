-- update_order_status: staff only (JK403 forbidden otherwise), for any user's order; staff
-- move paid orders along (packed, shipped, delivered), recorded with their id and reason; a
-- cancellation by staff is a full one; other moves raise JK409 invalid_status_transition; an
-- unknown order JK404 order_not_found.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.make_paid_order('a_');
    PERFORM tests.make_paid_order('b_', p_price => 70000, p_quantity => 1, p_stock => 1);
END
$$;

SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, %s, 'packed')$$, tests.id('a_user'), tests.id('a_order')),
    'JK403', 'forbidden', 'a customer may not, even on their own order'
);
SELECT is(
    api.update_order_status(tests.id('staff'), tests.id('a_order'), 'packed', 'Box 12') ->> 'status',
    'packed', 'staff pack another user''s order'
);
SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, %s, 'delivered')$$, tests.id('staff'), tests.id('a_order')),
    'JK409', 'invalid_status_transition', 'a step cannot be skipped'
);
SELECT is(
    api.update_order_status(tests.id('staff'), tests.id('a_order'), 'shipped') ->> 'status', 'shipped',
    'then ship it'
);
SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, %s, 'refunded')$$, tests.id('staff'), tests.id('a_order')),
    'JK409', 'invalid_status_transition', 'refunded is reached through refunds only'
);
SELECT is(
    (
        SELECT
            array_agg(
                row(h.to_status, h.actor, h.actor_user_id = tests.id('staff'), h.reason)::text ORDER BY h.id
            )
        FROM store.order_status_history AS h
        WHERE h.order_id = tests.id('a_order') AND h.actor = 'staff'
    ),
    ARRAY['(packed,staff,t,"Box 12")', '(shipped,staff,t,)'],
    'each move is recorded with the staff member and the reason'
);
SELECT is(
    (
        api.update_order_status(tests.id('staff'), tests.id('b_order'), 'cancelled', 'Damaged') ->> 'status',
        tests.event_payloads(tests.id('b_order'), 'refund.requested') #>> '{0,amount}'
    )::text,
    '(cancelled,70000)', 'a staff cancellation refunds in full (a refund.requested event in the outbox)'
);
SELECT is(tests.on_hand(tests.id('b_product')), 1, 'and restocks');
SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, 999999999, 'packed')$$, tests.id('staff')),
    'JK404', 'order_not_found', 'an unknown order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
