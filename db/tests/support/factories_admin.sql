-- Test factories for the staff API suites (db/tests/admin_*), in schema `tests` (loaded after
-- factories.sql and factories_orders.sql, whose helpers it uses). Idempotent.

SET client_min_messages = warning;

-- A paid order that staff packed and shipped (as make_paid_order, with '<prefix>staff', a
-- staff member, remembered too). Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_shipped_order(
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
    v_order_id bigint := tests.make_paid_order(p_prefix, p_price, p_quantity, p_stock);
    v_staff_id bigint := tests.set_id(p_prefix || 'staff', tests.make_staff());
BEGIN
    PERFORM api.update_order_status(v_staff_id, v_order_id, 'packed');
    PERFORM api.update_order_status(v_staff_id, v_order_id, 'shipped');
    RETURN v_order_id;
END
$$;

-- The staff audit entries of one entity, oldest first, as 'action:staff user id:reason'.
CREATE OR REPLACE FUNCTION tests.audit_of(p_entity_type text, p_entity_id bigint)
RETURNS text[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(
        array_agg(format('%s:%s:%s', a.action, a.staff_user_id, a.reason) ORDER BY a.id), '{}'
    )
    FROM store.staff_audit AS a
    WHERE a.entity_type = p_entity_type AND a.entity_id = p_entity_id
$$;

-- The last staff audit entry of one entity.
CREATE OR REPLACE FUNCTION tests.last_audit(p_entity_type text, p_entity_id bigint)
RETURNS store.staff_audit
LANGUAGE sql
VOLATILE
AS $$
    SELECT a.* FROM store.staff_audit AS a
    WHERE a.entity_type = p_entity_type AND a.entity_id = p_entity_id
    ORDER BY a.id DESC
    LIMIT 1
$$;

-- The statuses of a refund (its id) and whether it reserved money: 'status:amount_refunded'.
CREATE OR REPLACE FUNCTION tests.refund_state(p_refund_id bigint)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT format('%s:%s', r.status, p.amount_refunded)
    FROM store.refunds AS r
    INNER JOIN store.payments AS p ON p.user_id = r.user_id AND p.id = r.payment_id
    WHERE r.id = p_refund_id
$$;
