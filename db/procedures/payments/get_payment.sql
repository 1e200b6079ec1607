-- get_payment: GET /payments/{order_id}. The payment of one of the user's orders with its
-- attempts (payment_body). Locks nothing.
-- Raises: JK401 unauthorized, JK404 payment_not_found (no payment yet, an unknown order, or
-- another user's: the same answer).
CREATE FUNCTION api.get_payment(p_user_id bigint, p_order_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_payment store.payments;
BEGIN
    PERFORM internal.require_user(p_user_id);
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.order_id = p_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'payment_not_found',
            DETAIL = format('No payment for order %s', p_order_id);
    END IF;
    RETURN internal.payment_body(v_payment);
END
$$;
