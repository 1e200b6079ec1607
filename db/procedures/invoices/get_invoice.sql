-- get_invoice: GET /orders/{id}/invoice. The tax invoice of one of the user's orders
-- (invoice_body), with its credit notes; the same JSON renders the printable HTML
-- (app/templates/invoice.html). Locks nothing.
-- Raises: JK401 unauthorized, JK404 order_not_found (unknown or another user's: the same
-- answer), JK409 invoice_not_ready (not confirmed yet: an invoice is issued on payment, or on
-- confirmation of a cash-on-delivery order; or placed before invoices existed).
CREATE FUNCTION api.get_invoice(p_user_id bigint, p_order_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_order store.orders;
    v_invoice store.invoices;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_order := internal.find_order(p_user_id, p_order_id);
    SELECT * INTO v_invoice FROM store.invoices AS i WHERE i.user_id = p_user_id AND i.order_id = p_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'invoice_not_ready',
            DETAIL = CASE
                WHEN v_order.status = 'pending_payment'
                    THEN format('Order %s has no invoice yet: it is issued once the order is confirmed', p_order_id)
                ELSE format('Order %s has no invoice: it was never confirmed, or was placed before '
                    'invoices were issued', p_order_id)
            END;
    END IF;
    RETURN internal.invoice_body(v_invoice, v_order);
END
$$;
