-- transition_order emits one order event per move, in the move's transaction: order.paid for
-- pending_payment to confirmed (payment confirmed it), order.<to_status> for every other move,
-- with the order as it is after the move ({"order_id", "user_id", "phone", "status", "total",
-- "currency"}). A refused move emits nothing. Every allowed move of order_transitions is made,
-- so a move added later is covered.
BEGIN;

SELECT plan(5);

DO $$
DECLARE
    v_move record;
    v_order_id bigint;
    v_user_id bigint := tests.set_id('user', tests.make_user());
    v_staff_id bigint := tests.make_staff();
    v_wrong text[] := '{}';
    v_topics text[] := '{}';
    v_topic text;
BEGIN
    FOR v_move IN SELECT * FROM internal.order_transitions() ORDER BY 1, 2, 3 LOOP
        v_order_id := tests.make_order(
            v_user_id, p_status => v_move.from_status,
            p_payment_method => coalesce(v_move.payment_method, 'online')
        );
        PERFORM internal.transition_order(
            v_user_id, v_order_id, v_move.to_status, v_move.actor,
            CASE v_move.actor WHEN 'customer' THEN v_user_id WHEN 'staff' THEN v_staff_id END,
            'because'
        );
        v_topics := v_topics || tests.order_events(v_order_id);
        v_topic := CASE
            WHEN v_move.from_status = 'pending_payment' AND v_move.to_status = 'confirmed'
                AND v_move.payment_method = 'online' THEN 'order.paid'
            ELSE 'order.' || v_move.to_status
        END;
        -- Exactly one event, the expected topic, the order's fields after the move.
        IF tests.order_events(v_order_id) IS DISTINCT FROM ARRAY[v_topic]
            OR tests.event_payloads(v_order_id, v_topic)
            IS DISTINCT FROM jsonb_build_array(tests.order_event(v_order_id))
        THEN
            v_wrong := v_wrong || format(
                '%s>%s:%s %s %s', v_move.from_status, v_move.to_status, v_move.actor,
                tests.order_events(v_order_id), tests.event_payloads(v_order_id, v_topic)
            );
        END IF;
    END LOOP;
    PERFORM tests.set_value('wrong', v_wrong::text);
    PERFORM tests.set_value('topics', v_topics::text);

    PERFORM tests.set_id('shipped', tests.make_order(v_user_id, p_status => 'shipped'));
    PERFORM tests.set_id('pending', tests.make_order(v_user_id));
    PERFORM tests.set_id('paid', tests.make_order(v_user_id));
    PERFORM internal.transition_order(v_user_id, tests.id('paid'), 'confirmed', 'gateway', NULL, NULL);
END
$$;

SELECT is(
    tests.value('wrong')::text[], '{}'::text[],
    'every allowed move emits exactly one event: its topic, the order after the move'
);
SELECT is(
    (
        SELECT array_agg(DISTINCT t.topic ORDER BY t.topic)
        FROM unnest(tests.value('topics')::text[]) AS t (topic)
    ),
    ARRAY[
        'order.cancelled', 'order.cod_collected', 'order.confirmed', 'order.delivered',
        'order.expired', 'order.packed', 'order.paid', 'order.partially_refunded',
        'order.payment_failed', 'order.refunded', 'order.returned', 'order.shipped'
    ],
    'the topics: order.paid for a payment''s confirmation, order.confirmed for a cash-on-delivery '
    || 'one, order.<status> for the rest'
);
SELECT is(
    tests.event_payloads(tests.id('paid'), 'order.paid'),
    jsonb_build_array(jsonb_build_object(
        'order_id', tests.id('paid'), 'user_id', tests.id('user'),
        'phone', (
            SELECT u.phone FROM store.users AS u
            WHERE u.id = tests.id('user')
        ),
        'status', 'confirmed', 'total', 0, 'currency', 'INR'
    )),
    'order.paid carries the confirmed order: its id, buyer, buyer''s phone, status and total'
);
SELECT throws_ok(
    format(
        $$SELECT internal.transition_order(%s, %s, 'delivered', 'customer', %s, NULL)$$,
        tests.id('user'), tests.id('shipped'), tests.id('user')
    ),
    'JK409', 'invalid_status_transition', 'a move by the wrong actor is refused'
);
SELECT is(
    tests.order_events(tests.id('shipped')) || tests.order_events(tests.id('pending')),
    '{}'::text[], 'and emits nothing; an order that did not move has no event'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
