-- The benchmark store at the seed's first scaling step: 1,00,000 users (addresses, children,
-- open carts), 1,00,000 products (images, stock) in the demo categories, 10,00,000 orders over
-- two years with items, payments and the stock reservations they used, and a few coupons.
-- Set-based and deterministic (no random()).
-- Loaded by bench/run.py into its own database after `make db` (schema, procedures, demo
-- catalog); ids are given explicitly (OVERRIDING SYSTEM VALUE) so rows can refer to each other
-- by arithmetic, and the identity sequences are moved past them at the end.
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

-- Loaded without the store's foreign keys, without the primary and unique keys of the four
-- largest tables and without the plain (non-unique) indexes of the tables filled here; all are
-- put back in this same transaction, so a failure leaves nothing half-done. Row by row, a
-- foreign key costs a lookup and a row lock in the referenced table for each of some 10
-- million rows (each lock a WAL record, and a full page image after every checkpoint), and an
-- index a random insert per row; put back, each key is checked by one join and each index is
-- built from one sort. The lists are read from the catalog, so keys and indexes added to the
-- schema later are covered. Only things are dropped, not statistics or plans: the queries below
-- are planned as before (same row order, same ids).
CREATE TEMP TABLE bench_constraints ON COMMIT DROP AS
SELECT
    format('%I.%I', n.nspname, t.relname) AS table_name,
    c.conname,
    c.contype,
    pg_get_constraintdef(c.oid) AS definition,
    obj_description(c.oid, 'pg_constraint') AS description
FROM pg_constraint AS c
INNER JOIN pg_class AS t ON c.conrelid = t.oid
INNER JOIN pg_namespace AS n ON t.relnamespace = n.oid
WHERE
    n.nspname = 'store'
    AND (
        c.contype = 'f'
        OR c.contype IN ('p', 'u')
        AND t.relname IN ('orders', 'order_items', 'inventory_locks', 'payments')
    );

CREATE TEMP TABLE bench_indexes ON COMMIT DROP AS
SELECT
    format('%I.%I', n.nspname, ic.relname) AS index_name,
    pg_get_indexdef(i.indexrelid) AS definition,
    obj_description(i.indexrelid, 'pg_class') AS description
FROM pg_index AS i
INNER JOIN pg_class AS ic ON i.indexrelid = ic.oid
INNER JOIN pg_class AS t ON i.indrelid = t.oid
INNER JOIN pg_namespace AS n ON t.relnamespace = n.oid
WHERE
    n.nspname = 'store'
    AND t.relname IN (
        'users', 'addresses', 'children', 'products', 'product_images', 'inventory',
        'product_search_terms', 'orders', 'order_items', 'payments', 'refunds',
        'inventory_locks', 'carts', 'cart_items'
    )
    AND NOT i.indisunique
    AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid);

DO $$
DECLARE
    v_row record;
BEGIN
    -- Foreign keys first: a key cannot go while a foreign key references it.
    FOR v_row IN SELECT * FROM bench_constraints ORDER BY contype != 'f' LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_row.table_name, v_row.conname);
    END LOOP;
    FOR v_row IN SELECT * FROM bench_indexes LOOP
        EXECUTE format('DROP INDEX %s', v_row.index_name);
    END LOOP;
END
$$;

-- Puts back the dropped constraints of the given tables, keys before foreign keys (which need
-- the key they reference); ADD CONSTRAINT checks the rows already there, a foreign key with
-- one join.
CREATE FUNCTION pg_temp.bench_add_constraints(p_tables text[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_row record;
BEGIN
    FOR v_row IN
        SELECT * FROM bench_constraints WHERE table_name = any(p_tables) ORDER BY contype = 'f'
    LOOP
        EXECUTE format(
            'ALTER TABLE %s ADD CONSTRAINT %I %s', v_row.table_name, v_row.conname, v_row.definition
        );
        IF v_row.description IS NOT NULL THEN
            EXECUTE format(
                'COMMENT ON CONSTRAINT %I ON %s IS %L',
                v_row.conname, v_row.table_name, v_row.description
            );
        END IF;
    END LOOP;
    DELETE FROM bench_constraints WHERE table_name = any(p_tables);
END
$$;

-- Users 1..100000, each with one default address (id = user id) and 1 or 2 children.
INSERT INTO store.users (id, phone, name, created_at)
OVERRIDING SYSTEM VALUE
SELECT
    g,
    '+91' || (7000000000 + g)::text,
    'Bench User ' || g,
    now() - (g % 730) * interval '1 day'
FROM generate_series(1, 100000) AS g;

INSERT INTO store.addresses (
    user_id, id, name, phone, line1, city, state, pincode, is_default
)
OVERRIDING SYSTEM VALUE
SELECT
    g,
    g,
    'Bench User ' || g,
    '+91' || (7000000000 + g)::text,
    g || ', Bench Street',
    (ARRAY['Mumbai', 'Delhi', 'Bengaluru', 'Chennai', 'Kolkata', 'Hyderabad', 'Pune'])[1 + g % 7],
    (ARRAY[
        'Maharashtra', 'Delhi', 'Karnataka', 'Tamil Nadu', 'West Bengal', 'Telangana',
        'Maharashtra'
    ])[1 + g % 7],
    -- Each city's head post office, in store.pincodes (db/tables/450) and served.
    (ARRAY['400001', '110001', '560001', '600001', '700001', '500001', '411001'])[1 + g % 7],
    TRUE
FROM generate_series(1, 100000) AS g;

INSERT INTO store.children (user_id, id, name, date_of_birth, gender)
OVERRIDING SYSTEM VALUE
SELECT
    g,
    g * 2 + k,
    'Child ' || k,
    current_date - ((g * 37 + k * 401) % 4300) * interval '1 day',
    (ARRAY['boy', 'girl', 'unspecified'])[1 + (g + k) % 3]
FROM generate_series(1, 100000) AS g
CROSS JOIN generate_series(0, 1) AS k
WHERE k = 0 OR g % 2 = 0;

-- Products 1001..101000 in the demo store's leaf categories. has_stock is given as the stock
-- loaded below makes it (its trigger checks and finds nothing to change), so that loading the
-- stock does not rewrite every product and leave the table and its indexes twice their size.
CREATE TEMP TABLE bench_leaf ON COMMIT DROP AS
SELECT
    row_number() OVER (ORDER BY c.id) AS n,
    c.id
FROM store.categories AS c
WHERE NOT EXISTS (
    SELECT FROM store.categories AS child
    WHERE child.parent_id = c.id
);

INSERT INTO store.products (
    id, category_id, name, slug, brand, description, price, mrp, age_min_months,
    age_max_months, gender, sales_count, created_at, has_stock, hsn_code, gst_rate
)
OVERRIDING SYSTEM VALUE
SELECT
    1000 + g,
    leaf.id,
    adjective || ' ' || noun || ' ' || g,
    'bench-' || g,
    brand,
    'A ' || lower(adjective) || ' ' || lower(noun) || ' by ' || brand
    || ' for curious children; safe, durable and fun. Model ' || g || '.',
    price,
    price + (price * (g % 4) / 10),
    age_min,
    age_min + 12 + (g % 5) * 12,
    (ARRAY['unisex', 'unisex', 'unisex', 'boy', 'girl'])[1 + g % 5],
    (g * 7919) % 5000,
    now() - (g % 730) * interval '1 day',
    (g * 13) % 101 > 0,
    hsn_code,
    gst_rate
FROM generate_series(1, 100000) AS g
CROSS JOIN
    LATERAL (
        SELECT
            (ARRAY[
                'Wooden', 'Musical', 'Soft', 'Magnetic', 'Colourful', 'Classic', 'Electric',
                'Foldable', 'Organic', 'Glow'
            ])[1 + g % 10] AS adjective,
            (ARRAY[
                'Train Set', 'Puzzle', 'Teddy Bear', 'Building Blocks', 'Kurta', 'Storybook',
                'Tricycle', 'Water Bottle', 'Crayon Box', 'Rattle', 'Dollhouse', 'Cricket Bat'
            ])[1 + (g / 10
            ) % 12] AS noun,
            -- The HSN code and GST rate of that noun (nil for books and crayons).
            (ARRAY[
                '9503', '9503', '9503', '9503', '6111', '4903', '9503', '3924', '9609', '9503',
                '9503', '9506'
            ])[1 + (g / 10
            ) % 12] AS hsn_code,
            (ARRAY[5, 5, 5, 5, 5, 0, 5, 5, 0, 5, 5, 5])[1 + (g / 10) % 12] AS gst_rate,
            (ARRAY[
                'Funskool', 'LEGO', 'Hamleys', 'Mee Mee', 'Chicco', 'Fisher-Price', 'Hot Wheels',
                'Barbie', 'Classmate', 'Babyhug', 'Mothercare', 'Navneet'
            ])[1 + (g / 7
            ) % 12] AS brand,
            9900 + ((g::bigint * 104729) % 1490) * 1000 AS price,
            ((g * 31) % 8) * 12 AS age_min
    ) AS attrs
INNER JOIN bench_leaf AS leaf ON leaf.n = 1 + g % (SELECT count(*) FROM bench_leaf);

INSERT INTO store.product_images (product_id, url, alt, position)
SELECT
    1000 + g,
    'https://img.jiokidz.example/products/bench-' || g || '/' || k || '.jpg',
    'Bench product ' || g || ', picture ' || k,
    k - 1
FROM generate_series(1, 100000) AS g
CROSS JOIN generate_series(1, 2) AS k;

-- (Its has_stock and sales_count above say the same: (g * 13) % 101 > 0, (g * 7919) % 5000.)
INSERT INTO store.inventory (product_id, on_hand, units_sold)
SELECT
    1000 + g,
    (g * 13) % 101,
    (g * 7919) % 5000
FROM generate_series(1, 100000) AS g;

-- Orders 1..1000000 over two years; 1 to 3 lines each, of distinct products.
CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
SELECT
    g AS order_id,
    1 + g % 100000 AS user_id,
    1001 + (g::bigint * 7919 + k * 33331) % 100000 AS product_id,
    1 + (g + k) % 3 AS quantity
FROM generate_series(1, 1000000) AS g
CROSS JOIN generate_series(1, 3) AS k
WHERE k <= 1 + g % 3;

-- Status by order number: 80% delivered, then shipped, confirmed, packed (paid), cancelled
-- before payment, expired unpaid, and refunded in full.
CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
SELECT
    l.order_id,
    min(l.user_id) AS user_id,
    sum(p.price * l.quantity)::bigint AS subtotal,
    now() - (1000000 - l.order_id) * interval '63 seconds' AS created_at,
    CASE
        WHEN l.order_id % 100 < 80 THEN 'delivered'
        WHEN l.order_id % 100 < 85 THEN 'shipped'
        WHEN l.order_id % 100 < 88 THEN 'confirmed'
        WHEN l.order_id % 100 < 90 THEN 'packed'
        WHEN l.order_id % 100 < 95 THEN 'cancelled'
        WHEN l.order_id % 100 < 98 THEN 'expired'
        ELSE 'refunded'
    END AS status
FROM bench_lines AS l
INNER JOIN store.products AS p ON l.product_id = p.id
GROUP BY l.order_id;

INSERT INTO store.orders (
    user_id, id, status, address_id, address, subtotal, discount, shipping, total,
    payment_due_at, created_at, updated_at
)
OVERRIDING SYSTEM VALUE
SELECT
    o.user_id,
    o.order_id,
    o.status,
    a.id,
    jsonb_build_object(
        'name', a.name, 'phone', a.phone, 'line1', a.line1, 'line2', a.line2,
        'landmark', a.landmark, 'city', a.city, 'state', a.state, 'pincode', a.pincode
    ),
    o.subtotal,
    0,
    internal.shipping_fee(o.subtotal),
    o.subtotal + internal.shipping_fee(o.subtotal),
    o.created_at + interval '15 minutes',
    o.created_at,
    o.created_at
FROM bench_orders AS o
INNER JOIN store.addresses AS a ON o.user_id = a.user_id AND o.user_id = a.id
ORDER BY o.order_id;

INSERT INTO store.order_items (
    user_id, order_id, product_id, product_name, unit_price, quantity, line_total
)
SELECT
    l.user_id,
    l.order_id,
    l.product_id,
    p.name,
    p.price,
    l.quantity,
    p.price * l.quantity
FROM bench_lines AS l
INNER JOIN store.products AS p ON l.product_id = p.id
ORDER BY l.order_id;

-- One captured payment per paid order (refunded ones refunded in full).
INSERT INTO store.payments (
    user_id, id, order_id, gateway, gateway_order_id, gateway_payment_id, status, amount,
    amount_captured, amount_refunded, captured_at, created_at, updated_at
)
OVERRIDING SYSTEM VALUE
SELECT
    o.user_id,
    o.id,
    o.id,
    'mock',
    'order_B' || lpad(o.id::text, 13, '0'),
    'pay_B' || lpad(o.id::text, 13, '0'),
    'captured',
    o.total,
    o.total,
    CASE WHEN o.status = 'refunded' THEN o.total ELSE 0 END,
    o.created_at + interval '2 minutes',
    o.created_at + interval '1 minute',
    o.created_at + interval '2 minutes'
FROM store.orders AS o
WHERE o.status IN ('delivered', 'shipped', 'confirmed', 'packed', 'refunded');

INSERT INTO store.refunds (
    user_id, order_id, payment_id, amount, status, reason, gateway_refund_id, created_at,
    processed_at
)
SELECT
    o.user_id,
    o.id,
    o.id,
    o.total,
    'processed',
    'Returned',
    'rfnd_B' || lpad(o.id::text, 13, '0'),
    o.created_at + interval '5 days',
    o.created_at + interval '6 days'
FROM store.orders AS o
WHERE o.status = 'refunded';

-- PostgreSQL estimates a join along a foreign key from the key, and the plan of the join
-- below decides the order of each order's lines before they are numbered: so the keys of
-- orders and order_items are back before it, as when it was written (validating them here
-- costs no more than at the end).
SELECT pg_temp.bench_add_constraints(ARRAY['store.orders', 'store.order_items']);

-- The reservations checkout leaves behind: consumed for every line of a paid order, released
-- for those of cancelled and expired ones (none active). Availability must reach a product's
-- active reservations through their index, not by reading these 20 lakh rows.
INSERT INTO store.inventory_locks (
    user_id, order_id, product_id, quantity, status, expires_at, created_at, released_at
)
SELECT
    oi.user_id,
    oi.order_id,
    oi.product_id,
    oi.quantity,
    CASE WHEN o.status IN ('cancelled', 'expired') THEN 'released' ELSE 'consumed' END,
    o.payment_due_at,
    o.created_at,
    CASE WHEN o.status = 'expired' THEN o.payment_due_at ELSE o.created_at + interval '2 minutes' END
FROM store.order_items AS oi
INNER JOIN store.orders AS o ON oi.user_id = o.user_id AND oi.order_id = o.id
ORDER BY oi.order_id;

-- Open carts of every third user above 5000 (bench/run.py's token users 1..5000 fill their
-- own), 1 to 3 lines each.
INSERT INTO store.carts (user_id, created_at, updated_at)
SELECT g, now() - (g % 30) * interval '1 day', now() - (g % 30) * interval '1 day'
FROM generate_series(5001, 100000) AS g
WHERE g % 3 = 0;

INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
SELECT
    c.user_id,
    c.id,
    1001 + (c.user_id * 7919 + k * 33331) % 100000,
    1 + (c.user_id + k) % 3,
    p.price
FROM store.carts AS c
CROSS JOIN generate_series(1, 3) AS k
INNER JOIN store.products AS p ON p.id = 1001 + (c.user_id * 7919 + k * 33331) % 100000
WHERE k <= 1 + (c.user_id / 3) % 3;

INSERT INTO store.coupons (
    code, description, discount_type, discount_value, max_discount, min_order_value, usage_limit
)
VALUES
('BENCH10', '10% off up to ₹300', 'percentage', 10, 30000, 0, NULL),
('BENCHFLAT', '₹150 off orders of ₹1,499 or more', 'flat', 15000, NULL, 149900, NULL),
('BENCHFEW', '₹75 off, 1000 uses in all', 'flat', 7500, NULL, 0, 1000);

-- Move every identity past the ids given above.
DO $$
DECLARE
    v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'users', 'addresses', 'children', 'products', 'orders', 'payments'
    ] LOOP
        EXECUTE format(
            'SELECT setval(pg_get_serial_sequence(%L, ''id''), (SELECT max(id) FROM store.%I))',
            'store.' || v_table, v_table
        );
    END LOOP;
END
$$;

-- The indexes dropped at the top, each built with one sort, then the other constraints.
DO $$
DECLARE
    v_row record;
BEGIN
    FOR v_row IN SELECT * FROM bench_indexes LOOP
        EXECUTE v_row.definition;
        IF v_row.description IS NOT NULL THEN
            EXECUTE format('COMMENT ON INDEX %s IS %L', v_row.index_name, v_row.description);
        END IF;
    END LOOP;
END
$$;

SELECT pg_temp.bench_add_constraints(array(SELECT table_name FROM bench_constraints));

DROP FUNCTION pg_temp.bench_add_constraints(text[]);
