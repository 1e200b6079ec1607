-- The constraints of the tables added for orders, payments and refunds (300-330), proven by
-- behaviour as constraints.test.sql does: a valid row is accepted, the same row with one thing
-- wrong is refused with the SQLSTATE of the constraint.
BEGIN;

SELECT plan(13);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('order', tests.make_order(tests.id('user')));
END
$$;

PREPARE history (text, text, text, bigint) AS
INSERT INTO store.order_status_history (user_id, order_id, from_status, to_status, actor, actor_user_id)
VALUES (tests.id('user'), tests.id('order'), $1, $2, $3, $4);

SELECT lives_ok(
    format($$EXECUTE history('pending_payment', 'confirmed', 'customer', %s)$$, tests.id('user')),
    'order_status_history: a customer''s move is accepted'
);
SELECT throws_ok(
    $$EXECUTE history('pending_payment', 'confirmed', 'customer', NULL)$$, '23514', NULL,
    'order_status_history: a customer or staff move must name the person'
);
SELECT throws_ok(
    format($$EXECUTE history('pending_payment', 'confirmed', 'gateway', %s)$$, tests.id('user')),
    '23514',
    NULL,
    'order_status_history: a system or gateway move names nobody'
);
SELECT throws_ok(
    $$EXECUTE history('pending_payment', 'lost', 'system', NULL)$$, '23514', NULL,
    'order_status_history: an unknown status is refused'
);
SELECT throws_ok(
    $$EXECUTE history('confirmed', 'confirmed', 'system', NULL)$$, '23514', NULL,
    'order_status_history: a move goes somewhere'
);
SELECT throws_ok(
    $$EXECUTE history('pending_payment', 'expired', 'robot', NULL)$$, '23514', NULL,
    'order_status_history: an unknown actor is refused'
);
SELECT throws_ok(
    format($$INSERT INTO store.order_status_history (user_id, order_id, from_status, to_status, actor)
             VALUES (%s, %s, 'pending_payment', 'expired', 'system')$$, tests.make_user(), tests.id('order')),
    '23503', NULL, 'order_status_history: another user''s order is refused'
);

PREPARE idem (text, text) AS
INSERT INTO store.idempotency_keys (user_id, scope, key, request, response)
VALUES (tests.id('user'), $1, $2, '{}', '{}');

SELECT lives_ok($$EXECUTE idem('create_order', 'k')$$, 'idempotency_keys: a key is accepted');
SELECT
    throws_ok(
        $$EXECUTE idem('create_order', 'k')$$, '23505', NULL, 'idempotency_keys: once per user and endpoint'
    );
SELECT
    throws_ok(
        $$EXECUTE idem('delete_everything', 'k2')$$, '23514', NULL, 'idempotency_keys: an unknown endpoint'
    );
SELECT throws_ok(
    format($$EXECUTE idem('create_order', %L)$$, repeat('k', 256)), '23514', NULL,
    'idempotency_keys: a key over 255 characters'
);

SELECT lives_ok(
    $$INSERT INTO store.webhook_events (event_id, event_type, outcome, payload)
      VALUES ('evt_schema1', 'x', 'ignored', '{}')$$,
    'webhook_events: an event is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.webhook_events (event_id, event_type, outcome, payload)
      VALUES ('evt_schema2', 'x', 'done', '{}')$$,
    '23514', NULL, 'webhook_events: an unknown outcome is refused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
