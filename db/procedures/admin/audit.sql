-- audit: records one staff write in store.staff_audit, in the caller's transaction (the change
-- and its record commit together): the staff member, the action (<entity>.<verb>), the entity
-- and its id, the row before (NULL for a creation) and after, the reason when the route takes
-- one, and for an order or a refund its customer. Every /admin write and
-- api.update_order_status call it; nothing else writes the table.
-- Internal. Locks nothing. Returns the audit entry id.
CREATE FUNCTION internal.audit(
    p_staff_user_id bigint,
    p_action text,
    p_entity_type text,
    p_entity_id bigint,
    p_before jsonb,
    p_after jsonb,
    p_reason text DEFAULT NULL,
    p_customer_id bigint DEFAULT NULL
)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.staff_audit (
        staff_user_id, action, entity_type, entity_id, customer_id, before, after, reason
    )
    VALUES (
        p_staff_user_id, p_action, p_entity_type, p_entity_id, p_customer_id, p_before, p_after,
        p_reason
    )
    RETURNING id
$$;
