-- find_refund: a refund by its id alone, any customer's (staff routes; refunds_id index).
-- Locks nothing. Raises JK404 refund_not_found. Returns the row.
CREATE FUNCTION internal.find_refund(p_refund_id bigint)
RETURNS store.refunds
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_refund store.refunds;
BEGIN
    SELECT * INTO v_refund FROM store.refunds AS r WHERE r.id = p_refund_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'refund_not_found',
            DETAIL = format('No refund with id %s', p_refund_id);
    END IF;
    RETURN v_refund;
END
$$;
