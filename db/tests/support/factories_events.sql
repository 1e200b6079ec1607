-- Test helpers for the outbox suites (store.outbox_events, store.processed_messages), in schema
-- `tests`. Idempotent, like factories.sql. They read and write the tables only, so they load in
-- any order after db.migrate. Events are looked up by what they concern (an order, a refund, a
-- phone), never as "the latest ones", so rows written by another test cannot mix in.

SET client_min_messages = warning;

-- An event written directly (not through a procedure), e.g. an old one for the sweeper or the
-- invariant check. Returns its id.
CREATE OR REPLACE FUNCTION tests.make_event(
    p_topic text DEFAULT 'test.event',
    p_order_id bigint DEFAULT NULL,
    p_payload jsonb DEFAULT '{}',
    p_created_at timestamptz DEFAULT now(),
    p_published_at timestamptz DEFAULT NULL,
    p_user_id bigint DEFAULT 0
)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.outbox_events (topic, user_id, order_id, payload, created_at, published_at)
    VALUES (p_topic, p_user_id, p_order_id, p_payload, p_created_at, p_published_at)
    RETURNING id
$$;

-- The event row with this id (NULL fields when there is none).
CREATE OR REPLACE FUNCTION tests.event_row(p_id bigint)
RETURNS store.outbox_events
LANGUAGE sql
VOLATILE
AS $$
    SELECT e.* FROM store.outbox_events AS e WHERE e.id = p_id
$$;

-- The topics of the events about an order (its refunds' included), oldest first.
CREATE OR REPLACE FUNCTION tests.order_events(p_order_id bigint)
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(e.topic ORDER BY e.id), '{}')
    FROM store.outbox_events AS e
    WHERE e.order_id = p_order_id
$$;

-- The payloads of an order's events of one topic, oldest first, as a JSON array.
CREATE OR REPLACE FUNCTION tests.event_payloads(p_order_id bigint, p_topic text)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(jsonb_agg(e.payload ORDER BY e.id), '[]')
    FROM store.outbox_events AS e
    WHERE e.order_id = p_order_id AND e.topic = p_topic
$$;

-- The payloads of the events of one topic about a refund (payload refund_id), oldest first.
CREATE OR REPLACE FUNCTION tests.refund_events(p_refund_id bigint, p_topic text DEFAULT 'refund.requested')
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(jsonb_agg(e.payload ORDER BY e.id), '[]')
    FROM store.outbox_events AS e
    WHERE e.topic = p_topic AND (e.payload ->> 'refund_id')::bigint = p_refund_id
$$;

-- The otp.requested events for a phone (normalised form), oldest first, as a JSON array of
-- their rows: {"id", "order_id", "payload", "published_at"}.
CREATE OR REPLACE FUNCTION tests.otp_events(p_phone text)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', e.id, 'order_id', e.order_id, 'payload', e.payload, 'published_at', e.published_at
    ) ORDER BY e.id), '[]')
    FROM store.outbox_events AS e
    WHERE e.topic = 'otp.requested' AND e.payload ->> 'phone' = p_phone
$$;

-- The refund.requested payload expected for a refund row: what the refunds consumer is told.
CREATE OR REPLACE FUNCTION tests.refund_requested(p_refund_id bigint)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT jsonb_build_object(
        'refund_id', r.id, 'user_id', r.user_id, 'order_id', r.order_id, 'amount', r.amount
    )
    FROM store.refunds AS r
    WHERE r.id = p_refund_id
$$;

-- The order event payload expected for an order as it is now (emit_order_event's fields).
CREATE OR REPLACE FUNCTION tests.order_event(p_order_id bigint)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT jsonb_build_object(
        'order_id', o.id, 'user_id', o.user_id, 'phone', u.phone, 'status', o.status,
        'total', o.total, 'currency', o.currency
    )
    FROM store.orders AS o
    INNER JOIN store.users AS u ON o.user_id = u.id
    WHERE o.id = p_order_id
$$;

-- Marks every unpublished event visible to this transaction published, so that a test of the
-- relay's queue sees only its own events (rolled back with the test). Returns how many.
CREATE OR REPLACE FUNCTION tests.publish_all()
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    WITH marked AS (
        UPDATE store.outbox_events SET published_at = now()
        WHERE published_at IS NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked
$$;
