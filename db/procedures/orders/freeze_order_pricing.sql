-- freeze_order_pricing: copies the cart's lines onto the order with the product's current name,
-- price, HSN code and GST rate, and sets the order's amounts, all in paise, with the cart's
-- arithmetic (cart_body):
--   line_total = unit_price * quantity, subtotal = sum of line totals,
--   discount   = coupon_discount(coupon, subtotal) (0 without a coupon),
--   shipping   = shipping_fee(subtotal - discount), cod_fee = cod_fee() for a cash-on-delivery
--   order (0 otherwise), total = subtotal - discount + shipping + cod_fee.
-- And the tax of each line, frozen with it (docs/api.md "How GST is computed"):
--   discount_share = the discount spread over the lines by line_total (apportion: the shares
--     add up to the discount exactly);
--   taxable_value, cgst, sgst, igst = gst_split(line_total - discount_share, gst_rate,
--     intra-state), intra-state when the address's state is store_state();
--   shipping and the COD fee, when above 0, become store.order_charges rows taxed the same way
--     as a service (service_sac_code() at service_gst_rate());
-- so the lines' and charges' taxable values and taxes add up to the total to the paisa.
-- From then on the order never looks at the catalog again: a later price, rate or name change
-- leaves it as it was. The coupon is only priced here; create_order redeems it
-- (redeem_coupon re-checks it under its row lock and must arrive at the same discount).
-- One statement. Internal, in create_order's transaction. Locks nothing beyond the rows it
-- writes. Returns the order row.
CREATE FUNCTION internal.freeze_order_pricing(
    p_user_id bigint, p_order_id bigint, p_cart_id bigint, p_coupon store.coupons
)
RETURNS store.orders
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    WITH lines AS (
        SELECT
            p.id AS product_id, p.name, p.price, ci.quantity, p.price * ci.quantity AS line_total,
            p.hsn_code, p.gst_rate, row_number() OVER (ORDER BY p.id)::integer AS position
        FROM store.cart_items AS ci
        INNER JOIN store.products AS p ON p.id = ci.product_id
        WHERE ci.user_id = p_user_id AND ci.cart_id = p_cart_id
    ),
    priced AS (
        SELECT
            s.subtotal, d.discount, internal.shipping_fee(s.subtotal - d.discount) AS shipping,
            CASE WHEN o.payment_method = 'cod' THEN internal.cod_fee() ELSE 0 END AS cod_fee,
            o.address ->> 'state' IS NOT DISTINCT FROM internal.store_state() AS intra_state,
            internal.apportion(d.discount, s.weights) AS shares
        FROM store.orders AS o
        CROSS JOIN (
            SELECT
                coalesce(sum(l.line_total), 0)::bigint AS subtotal,
                coalesce(array_agg(l.line_total ORDER BY l.position), '{}') AS weights
            FROM lines AS l
        ) AS s
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN p_coupon.id IS NULL THEN 0 ELSE internal.coupon_discount(p_coupon, s.subtotal)
            END::bigint AS discount
        ) AS d
        WHERE o.user_id = p_user_id AND o.id = p_order_id
    ),
    items AS (
        INSERT INTO store.order_items (
            user_id, order_id, product_id, product_name, unit_price, quantity, line_total,
            hsn_code, gst_rate, discount_share, taxable_value, cgst, sgst, igst
        )
        SELECT
            p_user_id, p_order_id, l.product_id, l.name, l.price, l.quantity, l.line_total,
            l.hsn_code, l.gst_rate, pr.shares[l.position], t.taxable_value, t.cgst, t.sgst, t.igst
        FROM lines AS l
        CROSS JOIN priced AS pr
        CROSS JOIN LATERAL internal.gst_split(
            l.line_total - pr.shares[l.position], l.gst_rate, pr.intra_state
        ) AS t
        ORDER BY l.product_id
    ),
    charges AS (
        INSERT INTO store.order_charges (
            user_id, order_id, kind, sac_code, gst_rate, amount, taxable_value, cgst, sgst, igst
        )
        SELECT
            p_user_id, p_order_id, c.kind, internal.service_sac_code(), internal.service_gst_rate(),
            c.amount, t.taxable_value, t.cgst, t.sgst, t.igst
        FROM priced AS pr
        CROSS JOIN LATERAL (VALUES ('shipping', pr.shipping), ('cod_fee', pr.cod_fee)) AS c (kind, amount)
        CROSS JOIN LATERAL internal.gst_split(c.amount, internal.service_gst_rate(), pr.intra_state) AS t
        WHERE c.amount > 0
    )
    UPDATE store.orders AS o
    SET subtotal = pr.subtotal, discount = pr.discount, shipping = pr.shipping, cod_fee = pr.cod_fee,
        total = pr.subtotal - pr.discount + pr.shipping + pr.cod_fee, updated_at = now()
    FROM priced AS pr
    WHERE o.user_id = p_user_id AND o.id = p_order_id
    RETURNING o.* INTO v_order;
    RETURN v_order;
END
$$;
