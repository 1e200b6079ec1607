-- transition_order: every allowed move, made by its actor, changes the status and writes one
-- history row (from, to, actor, actor user, reason); every move outside the table, or by the
-- wrong actor, raises JK409 invalid_status_transition and changes nothing; an unknown order
-- raises JK404 order_not_found.
BEGIN;

SELECT plan(8);

DO $$
DECLARE
    v_move record;
    v_order_id bigint;
    v_user_id bigint := tests.set_id('user', tests.make_user());
    v_staff_id bigint := tests.set_id('staff', tests.make_staff());
    v_done integer := 0;
BEGIN
    -- Each allowed move, from an order in its from-status, by its actor.
    FOR v_move IN SELECT * FROM internal.order_transitions() LOOP
        v_order_id := tests.make_order(
            v_user_id, p_status => v_move.from_status,
            p_payment_method => coalesce(v_move.payment_method, 'online')
        );
        PERFORM internal.transition_order(
            v_user_id, v_order_id, v_move.to_status, v_move.actor,
            CASE v_move.actor WHEN 'customer' THEN v_user_id WHEN 'staff' THEN v_staff_id END,
            'because'
        );
        IF (tests.order_row(v_order_id)).status = v_move.to_status
            AND tests.order_history(v_order_id)
            = ARRAY[format('%s>%s:%s', v_move.from_status, v_move.to_status, v_move.actor)]
        THEN
            v_done := v_done + 1;
        END IF;
    END LOOP;
    PERFORM tests.set_value('done', v_done::text);
    PERFORM tests.set_id('order', tests.make_order(v_user_id, p_status => 'shipped'));
END
$$;

SELECT is(
    tests.value('done')::integer, (SELECT count(*)::integer FROM internal.order_transitions()),
    'every allowed move changes the status and records exactly itself'
);
SELECT throws_ok(
    format(
        $$SELECT internal.transition_order(%s, %s, 'cancelled', 'customer', %s, NULL)$$,
        tests.id('user'), tests.id('order'), tests.id('user')
    ),
    'JK409', 'invalid_status_transition', 'a shipped order cannot be cancelled'
);
SELECT throws_ok(
    format(
        $$SELECT internal.transition_order(%s, %s, 'pending_payment', 'staff', %s, NULL)$$,
        tests.id('user'), tests.id('order'), tests.id('staff')
    ),
    'JK409', 'invalid_status_transition', 'nor go back'
);
SELECT is(
    tests.error_of(format(
        $$SELECT internal.transition_order(%s, %s, 'delivered', 'customer', %s, NULL)$$,
        tests.id('user'), tests.id('order'), tests.id('user')
    )) ->> 'detail',
    format(
        'Order %s cannot go from shipped to delivered (only staff can make that change)',
        tests.id('order')
    ),
    'a move made by the wrong actor says who can make it'
);
SELECT is((tests.order_row(tests.id('order'))).status, 'shipped', 'the refused moves changed nothing');
SELECT is(tests.order_history(tests.id('order')), '{}'::text[], 'and recorded nothing');
SELECT throws_ok(
    format(
        $$SELECT internal.transition_order(%s, 999999999, 'packed', 'staff', %s, NULL)$$,
        tests.id('user'), tests.id('staff')
    ),
    'JK404', 'order_not_found', 'an unknown order'
);
SELECT is(
    (
        SELECT row(h.actor_user_id, h.reason)::text FROM store.order_status_history AS h
        INNER JOIN store.orders AS o ON h.user_id = o.user_id AND h.order_id = o.id
        WHERE o.user_id = tests.id('user') AND h.to_status = 'packed'
    ),
    row(tests.id('staff'), 'because')::text,
    'the history names the staff member and the reason'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
