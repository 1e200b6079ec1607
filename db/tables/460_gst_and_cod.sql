-- GST and cash on delivery (docs/payments.md "Cash on delivery", docs/api.md "Invoices").
-- Products carry the HSN code and GST rate their invoice lines need; prices stay GST-inclusive
-- (the MRP rules). Orders carry how they are paid and, for cash on delivery, the fee charged,
-- and two statuses only cash on delivery reaches: cod_collected and returned.

ALTER TABLE store.products
ADD COLUMN hsn_code text,
ADD COLUMN gst_rate smallint;

-- Existing products by their top-level category: the demo rates after the September 2025
-- rationalisation (most goods for children at 5 %, books nil, furniture 18 %).
UPDATE store.products AS p
SET hsn_code = t.hsn_code, gst_rate = t.gst_rate
FROM store.categories AS c
LEFT JOIN store.categories AS parent ON c.parent_id = parent.id
INNER JOIN (
    VALUES
    ('toys', '9503', 5),
    ('clothing', '6111', 5),
    ('books', '4903', 0),
    ('baby-care', '9619', 5),
    ('feeding', '3924', 5),
    ('school-supplies', '4820', 0),
    ('outdoor-sports', '9506', 5),
    ('nursery-furniture', '9403', 18),
    ('party-supplies', '9505', 5)
) AS t (slug, hsn_code, gst_rate) ON coalesce(parent.slug, c.slug) = t.slug
WHERE p.category_id = c.id;
UPDATE store.products SET hsn_code = '9503', gst_rate = 5
WHERE hsn_code IS NULL;

ALTER TABLE store.products
ALTER COLUMN hsn_code SET NOT NULL,
ALTER COLUMN gst_rate SET NOT NULL,
ADD CONSTRAINT products_hsn_code_format CHECK (hsn_code ~ '^[0-9]{4}([0-9]{2}){0,2}$'),
ADD CONSTRAINT products_gst_rate_valid CHECK (gst_rate IN (0, 5, 12, 18));

COMMENT ON COLUMN store.products.hsn_code IS
'Harmonised System code printed on invoice lines: 4, 6 or 8 digits.';
COMMENT ON COLUMN store.products.gst_rate IS
'GST rate in percent (0, 5, 12 or 18); price and mrp include it.';

ALTER TABLE store.orders
ADD COLUMN payment_method text NOT NULL DEFAULT 'online',
ADD COLUMN cod_fee bigint NOT NULL DEFAULT 0,
DROP CONSTRAINT orders_status_valid,
DROP CONSTRAINT orders_total_adds_up,
ADD CONSTRAINT orders_status_valid CHECK (status IN (
    'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
    'refunded', 'partially_refunded', 'payment_failed', 'expired', 'cod_collected', 'returned'
)),
ADD CONSTRAINT orders_payment_method_valid CHECK (payment_method IN ('online', 'cod')),
ADD CONSTRAINT orders_cod_fee_only_cod CHECK (cod_fee >= 0 AND (cod_fee = 0 OR payment_method = 'cod')),
ADD CONSTRAINT orders_total_adds_up CHECK (total = subtotal - discount + shipping + cod_fee);

-- Cash-on-delivery orders a customer has not received yet: cod_not_available counts them.
CREATE INDEX orders_user_cod_open ON store.orders (user_id)
WHERE payment_method = 'cod' AND status IN ('confirmed', 'packed', 'shipped');

COMMENT ON COLUMN store.orders.payment_method IS
'online (Razorpay, paid before it is confirmed) or cod (cash on delivery, confirmed at once).';
COMMENT ON COLUMN store.orders.cod_fee IS
'Cash-on-delivery fee in paise (internal.cod_fee() when placed); 0 for online orders.';
COMMENT ON COLUMN store.orders.total IS
'subtotal - discount + shipping + cod_fee, in paise: what is paid.';

ALTER TABLE store.order_status_history
DROP CONSTRAINT order_status_history_from_status_valid,
DROP CONSTRAINT order_status_history_to_status_valid,
ADD CONSTRAINT order_status_history_from_status_valid CHECK (from_status IN (
    'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
    'refunded', 'partially_refunded', 'payment_failed', 'expired', 'cod_collected', 'returned'
)),
ADD CONSTRAINT order_status_history_to_status_valid CHECK (to_status IN (
    'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
    'refunded', 'partially_refunded', 'payment_failed', 'expired', 'cod_collected', 'returned'
));
