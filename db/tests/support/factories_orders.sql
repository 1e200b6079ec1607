-- Test factories for the order, payment and refund suites, in schema `tests` (loaded after
-- factories.sql and factories_cart.sql, whose helpers they use). Idempotent, like them.
-- Orders are placed through api.create_order and paid through the payment procedures, so a
-- test starts from rows the procedures themselves wrote. Signatures are computed here with
-- pgcrypto directly, not with internal.hmac_sha256_hex, so the suites check that one independently.

SET client_min_messages = warning;

-- The development secrets (docs/operations.md "Settings"), as the API passes them from settings.
CREATE OR REPLACE FUNCTION tests.key_secret()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'dev_key_secret'
$$;

CREATE OR REPLACE FUNCTION tests.webhook_secret()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'dev_webhook_secret'
$$;

-- A Razorpay-shaped id never handed out before: prefix, '_' and 14 letters or digits.
CREATE OR REPLACE FUNCTION tests.gateway_id(p_prefix text)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT p_prefix || '_T' || lpad(tests.next_serial()::text, 13, '0')
$$;

-- Razorpay Checkout's signature: hex HMAC-SHA256 of "order_id|payment_id" with the key secret.
CREATE OR REPLACE FUNCTION tests.checkout_signature(p_gateway_order_id text, p_gateway_payment_id text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT encode(public.hmac(
        convert_to(p_gateway_order_id || '|' || p_gateway_payment_id, 'UTF8'),
        convert_to(tests.key_secret(), 'UTF8'), 'sha256'
    ), 'hex')
$$;

-- A user flagged as staff. Returns the user id.
CREATE OR REPLACE FUNCTION tests.make_staff()
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id bigint := tests.make_user();
BEGIN
    UPDATE store.users SET is_staff = TRUE WHERE id = v_id;
    RETURN v_id;
END
$$;

-- Places an order through api.create_order: the products in the user's cart (created when
-- missing) with the quantities given, a fresh address, p_coupon_code when given, paid online
-- unless p_payment_method says cod. Returns the order id.
CREATE OR REPLACE FUNCTION tests.place_order(
    p_user_id bigint,
    p_product_ids bigint[],
    p_quantities integer[],
    p_coupon_code text DEFAULT NULL,
    p_idempotency_key text DEFAULT NULL,
    p_payment_method text DEFAULT 'online'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_index integer;
BEGIN
    FOR v_index IN 1 .. coalesce(array_length(p_product_ids, 1), 0) LOOP
        PERFORM tests.make_cart_line(p_user_id, p_product_ids[v_index], p_quantities[v_index]);
    END LOOP;
    RETURN (api.create_order(
        p_user_id, tests.make_address(p_user_id), p_coupon_code, p_idempotency_key, p_payment_method
    ) ->> 'id')::bigint;
END
$$;

-- An unpaid order of a fresh product (price p_price, p_stock units) for p_quantity units, by
-- p_user_id (a fresh user when NULL). Remembers 'user', 'product' and 'order' (with p_prefix)
-- as fixtures. Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_unpaid_order(
    p_prefix text DEFAULT '',
    p_price bigint DEFAULT 60000,
    p_quantity integer DEFAULT 2,
    p_stock integer DEFAULT 3,
    p_user_id bigint DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_user_id bigint := tests.set_id(p_prefix || 'user', coalesce(p_user_id, tests.make_user()));
    v_product_id bigint := tests.set_id(
        p_prefix || 'product', tests.make_product(p_price => p_price, p_stock => p_stock)
    );
BEGIN
    RETURN tests.set_id(
        p_prefix || 'order', tests.place_order(v_user_id, ARRAY[v_product_id], ARRAY[p_quantity])
    );
END
$$;

-- Starts paying an order as POST /payments/initiate does with a gateway: the first half, then
-- a fresh gateway order id attached. Returns the gateway order id.
CREATE OR REPLACE FUNCTION tests.start_payment(p_user_id bigint, p_order_id bigint)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_first jsonb := api.register_payment_attempt(p_user_id, p_order_id, 'rzp_test_dev');
BEGIN
    IF v_first ? 'gateway_order' THEN
        RETURN api.attach_gateway_order(
            p_user_id, p_order_id, 'mock', tests.gateway_id('order'), 'rzp_test_dev'
        ) ->> 'gateway_order_id';
    END IF;
    RETURN v_first ->> 'gateway_order_id';
END
$$;

-- Pays an order as the client does: initiate, then verify with a good signature.
-- Returns the gateway payment id.
CREATE OR REPLACE FUNCTION tests.pay(p_user_id bigint, p_order_id bigint)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_gateway_order_id text := tests.start_payment(p_user_id, p_order_id);
    v_gateway_payment_id text := tests.gateway_id('pay');
BEGIN
    PERFORM api.verify_payment(
        p_user_id, v_gateway_order_id, v_gateway_payment_id,
        tests.checkout_signature(v_gateway_order_id, v_gateway_payment_id), tests.key_secret()
    );
    RETURN v_gateway_payment_id;
END
$$;

-- A paid (confirmed) order, as make_unpaid_order plus tests.pay; also remembers the gateway
-- payment id as '<prefix>gateway_payment_id'. Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_paid_order(
    p_prefix text DEFAULT '',
    p_price bigint DEFAULT 60000,
    p_quantity integer DEFAULT 2,
    p_stock integer DEFAULT 3
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order_id bigint := tests.make_unpaid_order(p_prefix, p_price, p_quantity, p_stock);
BEGIN
    PERFORM tests.set_value(
        p_prefix || 'gateway_payment_id', tests.pay(tests.id(p_prefix || 'user'), v_order_id)
    );
    RETURN v_order_id;
END
$$;

-- A Razorpay payment.captured / payment.failed event.
CREATE OR REPLACE FUNCTION tests.payment_event(
    p_event text,
    p_gateway_order_id text,
    p_gateway_payment_id text,
    p_amount bigint,
    p_currency text DEFAULT 'INR'
)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'entity', 'event',
        'event', p_event,
        'contains', jsonb_build_array('payment'),
        'payload', jsonb_build_object('payment', jsonb_build_object('entity', jsonb_build_object(
            'id', p_gateway_payment_id,
            'entity', 'payment',
            'amount', p_amount,
            'currency', p_currency,
            'order_id', p_gateway_order_id,
            'status', CASE p_event WHEN 'payment.captured' THEN 'captured' ELSE 'failed' END,
            'error_code', CASE p_event WHEN 'payment.failed' THEN 'BAD_REQUEST_ERROR' END,
            'error_description', CASE p_event WHEN 'payment.failed' THEN 'Payment declined' END
        ))),
        'created_at', 1700000000
    )
$$;

-- A Razorpay refund.processed / refund.failed event.
CREATE OR REPLACE FUNCTION tests.refund_event(
    p_event text, p_gateway_refund_id text, p_gateway_payment_id text, p_amount bigint
)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'entity', 'event',
        'event', p_event,
        'contains', jsonb_build_array('refund'),
        'payload', jsonb_build_object('refund', jsonb_build_object('entity', jsonb_build_object(
            'id', p_gateway_refund_id,
            'entity', 'refund',
            'amount', p_amount,
            'currency', 'INR',
            'payment_id', p_gateway_payment_id
        ))),
        'created_at', 1700000100
    )
$$;

-- Delivers an event to api.payment_webhook as Razorpay does: the body's text signed with the
-- webhook secret, under a fresh event id unless one is given.
CREATE OR REPLACE FUNCTION tests.webhook(p_event jsonb, p_event_id text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT api.payment_webhook(
        p_event::text,
        encode(public.hmac(
            convert_to(p_event::text, 'UTF8'), convert_to(tests.webhook_secret(), 'UTF8'), 'sha256'
        ), 'hex'),
        coalesce(p_event_id, tests.gateway_id('evt')),
        tests.webhook_secret()
    )
$$;

-- The order row.
CREATE OR REPLACE FUNCTION tests.order_row(p_order_id bigint)
RETURNS store.orders
LANGUAGE sql
VOLATILE
AS $$
    SELECT o.* FROM store.orders AS o WHERE o.id = p_order_id
$$;

-- The payment row of an order (NULL fields when it has none).
CREATE OR REPLACE FUNCTION tests.payment_row(p_order_id bigint)
RETURNS store.payments
LANGUAGE sql
VOLATILE
AS $$
    SELECT p.* FROM store.payments AS p WHERE p.order_id = p_order_id
$$;

-- The order's status moves, oldest first, as 'from>to:actor'.
CREATE OR REPLACE FUNCTION tests.order_history(p_order_id bigint)
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(
        format('%s>%s:%s', h.from_status, h.to_status, h.actor) ORDER BY h.id
    ), '{}')
    FROM store.order_status_history AS h
    WHERE h.order_id = p_order_id
$$;

-- The statuses of an order's payment attempts, oldest first, as 'source:status'.
CREATE OR REPLACE FUNCTION tests.attempts(p_order_id bigint)
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(format('%s:%s', a.source, a.status) ORDER BY a.id), '{}')
    FROM store.payment_attempts AS a
    INNER JOIN store.payments AS p ON p.user_id = a.user_id AND p.id = a.payment_id
    WHERE p.order_id = p_order_id
$$;

-- An order's refunds, oldest first, as 'amount:status'.
CREATE OR REPLACE FUNCTION tests.refunds_of(p_order_id bigint)
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(format('%s:%s', r.amount, r.status) ORDER BY r.id), '{}')
    FROM store.refunds AS r
    WHERE r.order_id = p_order_id
$$;

-- The rules internal.check_invariants finds broken, sorted (an empty array when all holds).
CREATE OR REPLACE FUNCTION tests.broken_rules()
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(DISTINCT v.value ->> 'rule'), '{}')
    FROM jsonb_array_elements(internal.check_invariants()) AS v (value)
$$;

-- The rules internal.check_invariants finds broken after p_sql, which is then undone (run in a
-- subtransaction rolled back by a raise): each rule of the check can be shown to fire.
CREATE OR REPLACE FUNCTION tests.rules_broken_by(p_sql text)
RETURNS text[]
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_rules text[];
BEGIN
    BEGIN
        EXECUTE p_sql;
        v_rules := tests.broken_rules();
        RAISE EXCEPTION USING ERRCODE = 'TE001', MESSAGE = 'undo';
    EXCEPTION WHEN SQLSTATE 'TE001' THEN
        NULL;
    END;
    RETURN v_rules;
END
$$;
