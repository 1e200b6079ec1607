-- The database floor of a checkout: the least a correct paid order can cost, hand-written, in
-- one statement and one transaction, beside bench/pgbench/checkout.sql (the same buyers and
-- products). It locks and takes one unit of stock (none left: nothing is written), inserts the
-- order as confirmed with its one line, the line's GST (the address's state against the
-- store's) and the captured payment, with every constraint and foreign key of those tables
-- checked. What it leaves out is what the store adds around that: the cart, the reservation
-- and its expiry, the idempotency record, the coupon, shipping, the status history, the
-- invoice number, events and the checks of who is asking.
\set user :first_buyer + :client_id + :clients * random(0, :buyer_count / :clients - 1)
\set product 1000 + 101 * random(0, 989) + random(1, 100)
WITH taken AS (
    UPDATE store.inventory SET on_hand = on_hand - 1, updated_at = now()
    WHERE product_id = :product AND on_hand >= 1
    RETURNING product_id
),
line AS (
    SELECT
        p.id, p.name, p.price, p.hsn_code, p.gst_rate, a.state = 'Maharashtra' AS intra_state,
        round(p.price * 100.0 / (100 + p.gst_rate))::bigint AS taxable_value,
        to_jsonb(a) - 'user_id' - 'id' - 'deleted_at' - 'created_at' - 'updated_at' AS address
    FROM taken
    INNER JOIN store.products AS p ON p.id = taken.product_id
    INNER JOIN store.addresses AS a ON a.user_id = :user AND a.id = :user
),
placed AS (
    INSERT INTO store.orders (
        user_id, status, address_id, address, subtotal, total, payment_due_at
    )
    SELECT :user, 'confirmed', :user, line.address, line.price, line.price, now()
    FROM line
    RETURNING id, total
),
items AS (
    INSERT INTO store.order_items (
        user_id, order_id, product_id, product_name, unit_price, quantity, line_total,
        hsn_code, gst_rate, discount_share, taxable_value, cgst, sgst, igst
    )
    SELECT
        :user, placed.id, line.id, line.name, line.price, 1, line.price,
        line.hsn_code, line.gst_rate, 0, line.taxable_value,
        t.cgst, line.price - line.taxable_value - t.cgst - t.igst, t.igst
    FROM placed
    CROSS JOIN line
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN line.intra_state THEN (line.price - line.taxable_value) / 2 ELSE 0 END AS cgst,
            CASE WHEN line.intra_state THEN 0 ELSE line.price - line.taxable_value END AS igst
    ) AS t
)
INSERT INTO store.payments (
    user_id, order_id, gateway, gateway_order_id, gateway_payment_id, status, amount,
    amount_captured, captured_at
)
SELECT
    :user, placed.id, 'mock', 'floor_' || placed.id,
    'floor_' || placed.id, 'captured', placed.total, placed.total, now()
FROM placed;
