-- admin_list_refunds: GET /admin/refunds. Every customer's refunds of one status (default
-- requested: the requests waiting for staff), oldest first, a page at a time:
-- {"items": [admin_refund_body], "next_cursor"}; next_cursor (null on the last page) is the id
-- of the last refund shown, passed as cursor for the next page. Requests are read from the
-- refunds_requested index, the other statuses from refunds_id.
-- Locks nothing. Raises: JK401 unauthorized, JK403 forbidden, JK422 validation_error (an
-- unknown status, limit 1-100).
CREATE FUNCTION api.admin_list_refunds(
    p_user_id bigint,
    p_status text DEFAULT 'requested',
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
    v_refunds store.refunds[];
BEGIN
    PERFORM internal.require_staff(p_user_id);
    IF p_status IS NULL OR p_status NOT IN ('requested', 'rejected', 'pending', 'processed', 'failed') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'status',
            DETAIL = 'status must be requested, rejected, pending, processed or failed';
    END IF;
    PERFORM internal.check_limit(p_limit);
    v_refunds := array(
        SELECT r FROM store.refunds AS r
        WHERE r.status = p_status AND r.id > coalesce(p_cursor, 0)
        ORDER BY r.id
        LIMIT p_limit + 1
    );
    RETURN jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(internal.admin_refund_body(v_refunds[i]) ORDER BY i)
            FROM generate_subscripts(v_refunds, 1) AS i
            WHERE i <= p_limit
        ), '[]'::jsonb),
        'next_cursor', CASE WHEN cardinality(v_refunds) > p_limit THEN v_refunds[p_limit].id END
    );
END
$$;
