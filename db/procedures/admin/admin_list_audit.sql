-- admin_list_audit: GET /admin/audit. The staff audit trail (store.staff_audit), newest first,
-- a page at a time: {"items": [{"id", "staff_user_id", "action", "entity_type", "entity_id",
-- "customer_id", "before", "after", "reason", "created_at"}], "next_cursor"}. Filters: one
-- entity (entity_type, with entity_id for one row of it: staff_audit_entity), one staff
-- member (staff_user_id: staff_audit_staff_user). next_cursor (null on the last page) is the
-- id of the last entry shown, passed as cursor for the next page.
-- Locks nothing. Raises: JK401 unauthorized, JK403 forbidden, JK422 validation_error (an
-- unknown entity_type, entity_id without entity_type, limit 1-100).
CREATE FUNCTION api.admin_list_audit(
    p_user_id bigint,
    p_entity_type text DEFAULT NULL,
    p_entity_id bigint DEFAULT NULL,
    p_staff_user_id bigint DEFAULT NULL,
    p_cursor bigint DEFAULT NULL,
    p_limit integer DEFAULT 20
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_rows store.staff_audit[];
BEGIN
    PERFORM internal.require_staff(p_user_id);
    IF p_entity_type NOT IN ('product', 'category', 'coupon', 'order', 'refund') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'entity_type',
            DETAIL = 'entity_type must be product, category, coupon, order or refund';
    END IF;
    IF p_entity_id IS NOT NULL AND p_entity_type IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'entity_id',
            DETAIL = 'entity_id needs entity_type';
    END IF;
    PERFORM internal.check_limit(p_limit);
    v_rows := array(
        SELECT a FROM store.staff_audit AS a
        WHERE (p_entity_type IS NULL OR a.entity_type = p_entity_type)
            AND (p_entity_id IS NULL OR a.entity_id = p_entity_id)
            AND (p_staff_user_id IS NULL OR a.staff_user_id = p_staff_user_id)
            AND (p_cursor IS NULL OR a.id < p_cursor)
        ORDER BY a.id DESC
        LIMIT p_limit + 1
    );
    RETURN jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(to_jsonb(v_rows[i]) ORDER BY i)
            FROM generate_subscripts(v_rows, 1) AS i
            WHERE i <= p_limit
        ), '[]'::jsonb),
        'next_cursor', CASE WHEN cardinality(v_rows) > p_limit THEN v_rows[p_limit].id END
    );
END
$$;
