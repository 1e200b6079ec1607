-- Business invariants kept by the tables themselves, proven by behaviour: a valid row is
-- accepted (lives_ok), then the same row with one thing wrong is refused with the SQLSTATE of
-- the constraint that guards it (23514 check, 23503 foreign key, 23505 unique, 23502 not null).
-- Rows use ids from 900000001 up and "schematest" names, so a demo seed never collides; the
-- transaction is rolled back at the end.
BEGIN;

SELECT plan(179);

-- users -------------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.users (id, phone) OVERRIDING SYSTEM VALUE
    VALUES (900000001, '+916000000001')$$,
    'users: a valid Indian mobile number is accepted'
);
SELECT lives_ok(
    $$INSERT INTO store.users (id, phone, email) OVERRIDING SYSTEM VALUE
    VALUES (900000002, '+916000000002', 'second@example.com')$$,
    'users: a second user with a valid e-mail is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone) VALUES ('+915000000003')$$,
    '23514', NULL,
    'users: a mobile number starting with 5 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone) VALUES ('9876500003')$$,
    '23514', NULL,
    'users: a phone not normalised to +91 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone) VALUES ('+91600000003')$$,
    '23514', NULL,
    'users: a phone with nine digits is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone) VALUES ('+916000000001')$$,
    '23505', NULL,
    'users: a phone already registered is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone) VALUES (NULL)$$,
    '23502', NULL,
    'users: a user without a phone is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone, email) VALUES ('+916000000003', 'not-an-email')$$,
    '23514', NULL,
    'users: a malformed e-mail is refused'
);
SELECT throws_ok(
    $$
        WITH u AS (INSERT INTO store.users (phone) VALUES ('+916000000003') RETURNING id)
        INSERT INTO store.sessions (user_id, ended_at) SELECT u.id, now() FROM u
    $$,
    '23514', NULL,
    'sessions: a session cannot end without a reason'
);
SELECT throws_ok(
    $$INSERT INTO store.users (phone, name) VALUES ('+916000000003', '')$$,
    '23514', NULL,
    'users: an empty name is refused'
);

-- otp_verifications -------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, expires_at)
    VALUES ('+916000000001', decode(repeat('ab', 32), 'hex'), now() + interval '5 minutes')$$,
    'otp: a pending 32-byte code hash is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, expires_at)
    VALUES ('+916000000001', decode(repeat('cd', 32), 'hex'), now() + interval '5 minutes')$$,
    '23505', NULL,
    'otp: a second pending code for one phone is refused'
);
SELECT lives_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, status, expires_at)
    VALUES ('+916000000001', decode(repeat('cd', 32), 'hex'), 'superseded',
            now() + interval '5 minutes')$$,
    'otp: an old, superseded code for the same phone may stay'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, status, expires_at)
    VALUES ('+916000000002', decode(repeat('ab', 32), 'hex'), 'used',
            now() + interval '5 minutes')$$,
    '23514', NULL,
    'otp: an unknown status is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, attempts, expires_at)
    VALUES ('+916000000002', decode(repeat('ab', 32), 'hex'), 6, now() + interval '5 minutes')$$,
    '23514', NULL,
    'otp: more than 5 attempts is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, expires_at)
    VALUES ('+916000000002', decode(repeat('ab', 16), 'hex'), now() + interval '5 minutes')$$,
    '23514', NULL,
    'otp: a code hash that is not 32 bytes (not an HMAC-SHA256) is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, expires_at)
    VALUES ('+916000000002', decode(repeat('ab', 32), 'hex'), now() - interval '1 second')$$,
    '23514', NULL,
    'otp: a code that expires before it is created is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.otp_verifications (phone, code_hash, expires_at)
    VALUES ('6000000002', decode(repeat('ab', 32), 'hex'), now() + interval '5 minutes')$$,
    '23514', NULL,
    'otp: a phone not normalised to +91 is refused'
);

-- children ----------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.children (user_id, name, date_of_birth, gender)
    VALUES (900000001, 'Schematest Kid', DATE '2022-04-01', 'girl')$$,
    'children: a valid child is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.children (user_id, name, date_of_birth, gender)
    VALUES (900000001, 'Schematest Kid', DATE '2022-04-01', 'other')$$,
    '23514', NULL,
    'children: a gender outside boy/girl/unspecified is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.children (user_id, name, date_of_birth)
    VALUES (900000001, '', DATE '2022-04-01')$$,
    '23514', NULL,
    'children: an empty name is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.children (user_id, name, date_of_birth)
    VALUES (900000099, 'Schematest Kid', DATE '2022-04-01')$$,
    '23503', NULL,
    'children: a child of a user that does not exist is refused'
);

-- addresses ---------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.addresses (user_id, id, name, phone, line1, city, state, pincode, is_default)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000001, 'Asha', '+916000000001', '1 MG Road', 'Bengaluru',
            'Karnataka', '560001', TRUE)$$,
    'addresses: a valid default address is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode, is_default)
    VALUES (900000001, 'Asha', '+916000000001', '2 MG Road', 'Bengaluru', 'Karnataka',
            '560001', TRUE)$$,
    '23505', NULL,
    'addresses: a second live default address for one user is refused'
);
SELECT lives_ok(
    $$INSERT INTO store.addresses (user_id, id, name, phone, line1, city, state, pincode)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000002, 'Asha', '+916000000001', '2 MG Road', 'Bengaluru',
            'Karnataka', '560001')$$,
    'addresses: a second, non-default address is accepted'
);
SELECT lives_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode, is_default,
                                   deleted_at)
    VALUES (900000001, 'Asha', '+916000000001', '3 MG Road', 'Bengaluru', 'Karnataka',
            '560001', TRUE, now())$$,
    'addresses: a soft-deleted default address does not count against the live default'
);
SELECT lives_ok(
    $$INSERT INTO store.addresses (user_id, id, name, phone, line1, city, state, pincode, is_default)
    OVERRIDING SYSTEM VALUE
    VALUES (900000002, 900000004, 'Ravi', '+916000000002', '4 Park Street', 'Kolkata',
            'West Bengal', '700016', TRUE)$$,
    'addresses: another user has a default address of their own'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', 'Bengaluru', 'Karnataka',
            '012345')$$,
    '23514', NULL,
    'addresses: a pincode starting with 0 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', 'Bengaluru', 'Karnataka',
            '56001')$$,
    '23514', NULL,
    'addresses: a five-digit pincode is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', 'Mumbai', 'Bombay', '400001')$$,
    '23514', NULL,
    'addresses: a state that is not one of the states and union territories is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+9112345', '1 MG Road', 'Bengaluru', 'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: a malformed recipient phone is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '', 'Bengaluru', 'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: an empty first line is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, line2, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', repeat('x', 201), 'Bengaluru',
            'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: a second line over 200 characters is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, landmark, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', repeat('x', 201), 'Bengaluru',
            'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: a landmark over 200 characters is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, '', '+916000000001', '1 MG Road', 'Bengaluru', 'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: an empty recipient name is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (900000001, 'Asha', '+916000000001', '1 MG Road', '', 'Karnataka', '560001')$$,
    '23514', NULL,
    'addresses: an empty city is refused'
);

-- categories --------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.categories (id, name, slug) OVERRIDING SYSTEM VALUE
    VALUES (900000001, 'Schematest Toys', 'schematest-toys')$$,
    'categories: a valid category is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (id, parent_id, name, slug) OVERRIDING SYSTEM VALUE
    VALUES (900000002, 900000002, 'Schematest Loop', 'schematest-loop')$$,
    '23514', NULL,
    'categories: a category that is its own parent is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (name, slug) VALUES ('Schematest Bad', 'Schematest Bad')$$,
    '23514', NULL,
    'categories: a slug that is not lower-case words joined by hyphens is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (parent_id, name, slug)
    VALUES (900000099, 'Schematest Orphan', 'schematest-orphan')$$,
    '23503', NULL,
    'categories: a parent that does not exist is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (name, slug) VALUES ('Schematest Dup', 'schematest-toys')$$,
    '23505', NULL,
    'categories: a slug already used is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (name, slug, position)
    VALUES ('Schematest Neg', 'schematest-neg', -1)$$,
    '23514', NULL,
    'categories: a negative position is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.categories (name, slug) VALUES ('', 'schematest-empty')$$,
    '23514', NULL,
    'categories: an empty name is refused'
);

-- products ----------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.products (id, category_id, name, slug, brand, description, price, mrp,
                                 hsn_code, gst_rate)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000001, 'Schematest Giraffe Rattle', 'schematest-giraffe-rattle',
            'Schematest', 'A wooden rattle', 49900, 59900, '9503', 5)$$,
    'products: a valid product is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, 49900, 49899)$$,
    '23514', NULL,
    'products: an MRP below the price is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, -1, 0)$$,
    '23514', NULL,
    'products: a negative price is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp,
                                  age_min_months, age_max_months)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, 100, 100, 24, 12)$$,
    '23514', NULL,
    'products: an age range whose minimum is above its maximum is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp,
                                  age_max_months)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, 100, 100, 217)$$,
    '23514', NULL,
    'products: an age above 18 years (216 months) is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp, gender)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, 100, 100, 'other')$$,
    '23514', NULL,
    'products: a gender outside boy/girl/unisex is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000099, 'Schematest Bad', 'schematest-bad', 'Schematest', '9503', 5, 100, 100)$$,
    '23503', NULL,
    'products: a category that does not exist is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, 'Schematest Dup', 'schematest-giraffe-rattle', 'Schematest', '9503', 5, 100, 100)$$,
    '23505', NULL,
    'products: a slug already used is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, 'Schematest Bad', 'schematest_bad', 'Schematest', '9503', 5, 100, 100)$$,
    '23514', NULL,
    'products: a slug with an underscore is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, '', 'schematest-bad', 'Schematest', '9503', 5, 100, 100)$$,
    '23514', NULL,
    'products: an empty name is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp)
    VALUES (900000001, 'Schematest Bad', 'schematest-bad', '', '9503', 5, 100, 100)$$,
    '23514', NULL,
    'products: an empty brand is refused'
);
SELECT throws_ok(
    $$UPDATE store.products SET sales_count = -1 WHERE id = 900000001$$,
    '23514', NULL,
    'products: a negative sales_count is refused'
);
SELECT ok(
    (
        SELECT p.search_vector @@ to_tsquery('english', 'giraffe & wooden')
        FROM store.products AS p
        WHERE p.id = 900000001
    ),
    'products: search_vector is computed from the name and description'
);

-- product_images ----------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.product_images (product_id, url, position)
    VALUES (900000001, 'https://cdn.example.com/schematest/0.jpg', 0)$$,
    'product_images: an HTTPS image at position 0 is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.product_images (product_id, url, position)
    VALUES (900000001, 'http://cdn.example.com/schematest/1.jpg', 1)$$,
    '23514', NULL,
    'product_images: a plain-HTTP URL is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.product_images (product_id, url, position)
    VALUES (900000001, 'https://cdn.example.com/schematest/0b.jpg', 0)$$,
    '23505', NULL,
    'product_images: two images at one position of a product are refused'
);
SELECT throws_ok(
    $$INSERT INTO store.product_images (product_id, url, position)
    VALUES (900000001, 'https://cdn.example.com/schematest/n.jpg', -1)$$,
    '23514', NULL,
    'product_images: a negative position is refused'
);

-- inventory ---------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.inventory (product_id, on_hand) VALUES (900000001, 10)$$,
    'inventory: stock for a product is accepted'
);
SELECT throws_ok(
    $$UPDATE store.inventory SET on_hand = on_hand - 11 WHERE product_id = 900000001$$,
    '23514', NULL,
    'inventory: taking more than is on hand (negative on_hand) is refused'
);
SELECT lives_ok(
    $$UPDATE store.inventory SET on_hand = on_hand - 10 WHERE product_id = 900000001$$,
    'inventory: taking exactly what is on hand leaves 0 and is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.inventory (product_id, on_hand) VALUES (900000001, 5)$$,
    '23505', NULL,
    'inventory: a second stock row for one product is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.inventory (product_id, on_hand) VALUES (900000099, 5)$$,
    '23503', NULL,
    'inventory: stock for a product that does not exist is refused'
);

-- coupons -----------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.coupons (id, code, discount_type, discount_value, usage_limit,
                                 used_count)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 'SCHEMATEST10', 'percentage', 10, 2, 1)$$,
    'coupons: a valid percentage coupon is accepted'
);
SELECT lives_ok(
    $$UPDATE store.coupons SET used_count = used_count + 1 WHERE id = 900000001$$,
    'coupons: redeeming up to usage_limit is accepted'
);
SELECT throws_ok(
    $$UPDATE store.coupons SET used_count = used_count + 1 WHERE id = 900000001$$,
    '23514', NULL,
    'coupons: used_count above usage_limit is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value)
    VALUES ('SCHEMATEST11', 'percentage', 101)$$,
    '23514', NULL,
    'coupons: a percentage above 100 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value)
    VALUES ('SCHEMATEST12', 'flat', 0)$$,
    '23514', NULL,
    'coupons: a zero discount is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value)
    VALUES ('schematest13', 'flat', 5000)$$,
    '23514', NULL,
    'coupons: a code that is not upper-case letters and digits is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value)
    VALUES ('SCHEMATEST14', 'bogo', 10)$$,
    '23514', NULL,
    'coupons: an unknown discount_type is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, valid_from, valid_until)
    VALUES ('SCHEMATEST15', 'flat', 5000, now(), now() - interval '1 day')$$,
    '23514', NULL,
    'coupons: a validity window that ends before it starts is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, usage_limit, used_count)
    VALUES ('SCHEMATEST16', 'flat', 5000, 1, -1)$$,
    '23514', NULL,
    'coupons: a negative used_count is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, usage_limit)
    VALUES ('SCHEMATEST17', 'flat', 5000, 0)$$,
    '23514', NULL,
    'coupons: a usage_limit of 0 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, per_user_limit)
    VALUES ('SCHEMATEST18', 'flat', 5000, 0)$$,
    '23514', NULL,
    'coupons: a per_user_limit of 0 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, max_discount)
    VALUES ('SCHEMATEST19', 'percentage', 10, 0)$$,
    '23514', NULL,
    'coupons: a max_discount of 0 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value, min_order_value)
    VALUES ('SCHEMATEST20', 'flat', 5000, -1)$$,
    '23514', NULL,
    'coupons: a negative min_order_value is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupons (code, discount_type, discount_value)
    VALUES ('SCHEMATEST10', 'flat', 5000)$$,
    '23505', NULL,
    'coupons: a code already used is refused'
);

-- carts and cart_items ----------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.carts (user_id, id, coupon_id) OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000001, 900000001)$$,
    'carts: a cart with a coupon is accepted'
);
SELECT lives_ok(
    $$INSERT INTO store.carts (user_id, id) OVERRIDING SYSTEM VALUE
    VALUES (900000002, 900000002)$$,
    'carts: another user has a cart of their own'
);
SELECT throws_ok(
    $$INSERT INTO store.carts (user_id) VALUES (900000001)$$,
    '23505', NULL,
    'carts: a second cart for one user is refused'
);
SELECT throws_ok(
    $$UPDATE store.carts SET coupon_id = 900000099 WHERE user_id = 900000002$$,
    '23503', NULL,
    'carts: a coupon that does not exist is refused'
);
SELECT lives_ok(
    $$INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
    VALUES (900000001, 900000001, 900000001, 2, 49900)$$,
    'cart_items: a valid line is accepted'
);
SELECT throws_ok(
    $$UPDATE store.cart_items SET quantity = 0 WHERE user_id = 900000001$$,
    '23514', NULL,
    'cart_items: quantity 0 is refused'
);
SELECT throws_ok(
    $$UPDATE store.cart_items SET unit_price = -1 WHERE user_id = 900000001$$,
    '23514', NULL,
    'cart_items: a negative unit price is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
    VALUES (900000001, 900000001, 900000001, 1, 49900)$$,
    '23505', NULL,
    'cart_items: a second line for the same product is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
    VALUES (900000002, 900000001, 900000001, 1, 49900)$$,
    '23503', NULL,
    'cart_items: a line in another user''s cart is refused'
);

-- wishlists ---------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.wishlists (user_id, product_id) VALUES (900000001, 900000001)$$,
    'wishlists: saving a product is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.wishlists (user_id, product_id) VALUES (900000001, 900000001)$$,
    '23505', NULL,
    'wishlists: saving the same product twice is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.wishlists (user_id, product_id) VALUES (900000001, 900000099)$$,
    '23503', NULL,
    'wishlists: a product that does not exist is refused'
);

-- orders ------------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.orders (user_id, id, address_id, address, subtotal, discount, shipping,
                                total, payment_due_at)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000001, 900000001, '{"city": "Bengaluru"}', 49900, 0, 4900, 54800,
            now() + interval '15 minutes')$$,
    'orders: an order whose total is subtotal - discount + shipping is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, discount, shipping,
                                total, payment_due_at)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 49900, 0, 4900, 54700,
            now() + interval '15 minutes')$$,
    '23514', NULL,
    'orders: a total that does not add up is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, discount, shipping,
                                total, payment_due_at)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 100, 200, 100, 0,
            now() + interval '15 minutes')$$,
    '23514', NULL,
    'orders: a discount above the subtotal is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, discount, shipping,
                                total, payment_due_at)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 49900, 0, -100, 49800,
            now() + interval '15 minutes')$$,
    '23514', NULL,
    'orders: a negative shipping charge is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at,
                                status)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 49900, 49900,
            now() + interval '15 minutes', 'paid')$$,
    '23514', NULL,
    'orders: an unknown status is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)
    VALUES (900000001, 900000001, '["Bengaluru"]', 49900, 49900,
            now() + interval '15 minutes')$$,
    '23514', NULL,
    'orders: an address snapshot that is not a JSON object is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, coupon_id, subtotal, total,
                                payment_due_at)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 900000001, 49900, 49900,
            now() + interval '15 minutes')$$,
    '23514', NULL,
    'orders: a coupon_id without its coupon_code is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at,
                                currency)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 49900, 49900,
            now() + interval '15 minutes', 'USD')$$,
    '23514', NULL,
    'orders: a currency other than INR is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)
    VALUES (900000001, 900000001, '{"city": "Bengaluru"}', 49900, NULL,
            now() + interval '15 minutes')$$,
    '23502', NULL,
    'orders: an order without a total is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)
    VALUES (900000002, 900000001, '{"city": "Bengaluru"}', 49900, 49900,
            now() + interval '15 minutes')$$,
    '23503', NULL,
    'orders: an order to another user''s address is refused'
);

-- order_items -------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.order_items (user_id, order_id, product_id, product_name, unit_price,
                                     quantity, line_total)
    VALUES (900000001, 900000001, 900000001, 'Schematest Giraffe Rattle', 49900, 1, 49900)$$,
    'order_items: a line whose total is unit_price * quantity is accepted'
);
SELECT throws_ok(
    $$UPDATE store.order_items SET quantity = 0, line_total = 0 WHERE user_id = 900000001$$,
    '23514', NULL,
    'order_items: quantity 0 is refused'
);
SELECT throws_ok(
    $$UPDATE store.order_items SET line_total = 49899 WHERE user_id = 900000001$$,
    '23514', NULL,
    'order_items: a line total that is not unit_price * quantity is refused'
);
SELECT throws_ok(
    $$UPDATE store.order_items SET unit_price = -1, line_total = -1 WHERE user_id = 900000001$$,
    '23514', NULL,
    'order_items: a negative unit price is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.order_items (user_id, order_id, product_id, product_name, unit_price,
                                     quantity, line_total)
    VALUES (900000001, 900000001, 900000001, 'Schematest Giraffe Rattle', 49900, 2, 99800)$$,
    '23505', NULL,
    'order_items: a second line for the same product is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.order_items (user_id, order_id, product_id, product_name, unit_price,
                                     quantity, line_total)
    VALUES (900000002, 900000001, 900000001, 'Schematest Giraffe Rattle', 49900, 1, 49900)$$,
    '23503', NULL,
    'order_items: a line on another user''s order is refused'
);

-- inventory_locks ---------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, expires_at)
    VALUES (900000001, 900000001, 900000001, 1, now() + interval '15 minutes')$$,
    'inventory_locks: an active reservation is accepted'
);
SELECT throws_ok(
    $$UPDATE store.inventory_locks SET status = 'expired', released_at = now()
    WHERE user_id = 900000001$$,
    '23514', NULL,
    'inventory_locks: an unknown status is refused'
);
SELECT throws_ok(
    $$UPDATE store.inventory_locks SET status = 'released' WHERE user_id = 900000001$$,
    '23514', NULL,
    'inventory_locks: a released reservation without released_at is refused'
);
SELECT throws_ok(
    $$UPDATE store.inventory_locks SET released_at = now() WHERE user_id = 900000001$$,
    '23514', NULL,
    'inventory_locks: an active reservation with a released_at is refused'
);
SELECT throws_ok(
    $$UPDATE store.inventory_locks SET quantity = 0 WHERE user_id = 900000001$$,
    '23514', NULL,
    'inventory_locks: quantity 0 is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, expires_at)
    VALUES (900000001, 900000001, 900000001, 1, now() + interval '15 minutes')$$,
    '23505', NULL,
    'inventory_locks: a second reservation of one product for one order is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, expires_at)
    VALUES (900000002, 900000001, 900000001, 1, now() + interval '15 minutes')$$,
    '23503', NULL,
    'inventory_locks: a reservation for another user''s order is refused'
);
SELECT lives_ok(
    $$UPDATE store.inventory_locks SET status = 'consumed', released_at = now()
    WHERE user_id = 900000001$$,
    'inventory_locks: consuming a reservation with released_at set is accepted'
);

-- coupon_usage ------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.coupon_usage (user_id, coupon_id, order_id, discount)
    VALUES (900000001, 900000001, 900000001, 4990)$$,
    'coupon_usage: a redemption is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.coupon_usage (user_id, coupon_id, order_id, discount)
    VALUES (900000001, 900000001, 900000001, 4990)$$,
    '23505', NULL,
    'coupon_usage: a second redemption on one order is refused'
);
SELECT throws_ok(
    $$UPDATE store.coupon_usage SET status = 'rolled_back' WHERE user_id = 900000001$$,
    '23514', NULL,
    'coupon_usage: rolled_back without rolled_back_at is refused'
);
SELECT throws_ok(
    $$UPDATE store.coupon_usage SET status = 'used' WHERE user_id = 900000001$$,
    '23514', NULL,
    'coupon_usage: an unknown status is refused'
);
SELECT throws_ok(
    $$UPDATE store.coupon_usage SET discount = -1 WHERE user_id = 900000001$$,
    '23514', NULL,
    'coupon_usage: a negative discount is refused'
);
SELECT throws_ok(
    $$UPDATE store.coupon_usage SET coupon_id = 900000099 WHERE user_id = 900000001$$,
    '23503', NULL,
    'coupon_usage: a coupon that does not exist is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.coupon_usage (user_id, coupon_id, order_id, discount)
    VALUES (900000002, 900000001, 900000001, 4990)$$,
    '23503', NULL,
    'coupon_usage: a redemption on another user''s order is refused'
);

-- payments ----------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.payments (user_id, id, order_id, gateway, gateway_order_id, amount)
    OVERRIDING SYSTEM VALUE
    VALUES (900000001, 900000001, 900000001, 'mock', 'order_schematest1', 54800)$$,
    'payments: a created payment is accepted'
);
SELECT throws_ok(
    $$UPDATE store.payments SET amount_captured = amount WHERE id = 900000001$$,
    '23514', NULL,
    'payments: money captured while the status is not captured is refused'
);
SELECT lives_ok(
    $$UPDATE store.payments
    SET status = 'captured', amount_captured = amount, captured_at = now(),
        gateway_payment_id = 'pay_schematest1'
    WHERE id = 900000001$$,
    'payments: capturing the full amount is accepted'
);
SELECT throws_ok(
    $$UPDATE store.payments SET amount_captured = 100 WHERE id = 900000001$$,
    '23514', NULL,
    'payments: capturing part of the amount is refused'
);
SELECT throws_ok(
    $$UPDATE store.payments SET captured_at = NULL WHERE id = 900000001$$,
    '23514', NULL,
    'payments: a captured payment without captured_at is refused'
);
SELECT throws_ok(
    $$UPDATE store.payments SET amount_refunded = amount_captured + 1 WHERE id = 900000001$$,
    '23514', NULL,
    'payments: amount_refunded above amount_captured is refused'
);
SELECT throws_ok(
    $$UPDATE store.payments SET amount_refunded = -1 WHERE id = 900000001$$,
    '23514', NULL,
    'payments: a negative amount_refunded is refused'
);
SELECT lives_ok(
    $$UPDATE store.payments SET amount_refunded = amount_captured WHERE id = 900000001$$,
    'payments: refunding exactly what was captured is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount)
    VALUES (900000001, 900000001, 'mock', 'order_schematest2', 99)$$,
    '23514', NULL,
    'payments: an amount below 100 paise is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount)
    VALUES (900000001, 900000001, 'stripe', 'order_schematest2', 54800)$$,
    '23514', NULL,
    'payments: an unknown gateway is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount, status)
    VALUES (900000001, 900000001, 'mock', 'order_schematest2', 54800, 'paid')$$,
    '23514', NULL,
    'payments: an unknown status is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount)
    VALUES (900000001, 900000001, 'mock', 'order_schematest2', 54800)$$,
    '23505', NULL,
    'payments: a second payment for one order is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount)
    VALUES (900000002, 900000001, 'mock', 'order_schematest2', 54800)$$,
    '23503', NULL,
    'payments: a payment for another user''s order is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount, currency)
    VALUES (900000001, 900000001, 'mock', 'order_schematest2', 54800, 'USD')$$,
    '23514', NULL,
    'payments: a currency other than INR is refused'
);
SELECT lives_ok(
    $$INSERT INTO store.orders (user_id, id, address_id, address, subtotal, total,
                                payment_due_at)
    OVERRIDING SYSTEM VALUE
    VALUES (900000002, 900000002, 900000004, '{"city": "Kolkata"}', 49900, 49900,
            now() + interval '15 minutes')$$,
    'orders: another user places an order'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount)
    VALUES (900000002, 900000002, 'mock', 'order_schematest1', 49900)$$,
    '23505', NULL,
    'payments: a gateway order id already used is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id,
                                  gateway_payment_id, amount)
    VALUES (900000002, 900000002, 'mock', 'order_schematest2', 'pay_schematest1', 49900)$$,
    '23505', NULL,
    'payments: a gateway payment id already used is refused'
);

-- payment_attempts --------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount, event_id)
    VALUES (900000001, 900000001, 'webhook', 'captured', 54800, 'evt_schematest1')$$,
    'payment_attempts: a webhook event is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount, event_id)
    VALUES (900000001, 900000001, 'webhook', 'captured', 54800, 'evt_schematest1')$$,
    '23505', NULL,
    'payment_attempts: a duplicate webhook event id is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status)
    VALUES (900000001, 900000001, 'cron', 'created')$$,
    '23514', NULL,
    'payment_attempts: an unknown source is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status)
    VALUES (900000001, 900000001, 'verify', 'paid')$$,
    '23514', NULL,
    'payment_attempts: an unknown status is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status)
    VALUES (900000002, 900000001, 'verify', 'created')$$,
    '23503', NULL,
    'payment_attempts: an attempt on another user''s payment is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount)
    VALUES (900000001, 900000001, 'webhook', 'rejected', -1)$$,
    '23514', NULL,
    'payment_attempts: a negative reported amount is refused'
);

-- refunds -----------------------------------------------------------------------------------

SELECT lives_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason)
    VALUES (900000001, 900000001, 900000001, 1000, 'Arrived damaged')$$,
    'refunds: a partial refund is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason,
                                 gateway_refund_id)
    VALUES (900000001, 900000001, 900000001, 1000, 'Arrived damaged', 'rfnd_schematest1'),
           (900000001, 900000001, 900000001, 1000, 'Arrived damaged', 'rfnd_schematest1')$$,
    '23505', NULL,
    'refunds: a gateway refund id already used is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason)
    VALUES (900000001, 900000001, 900000001, 0, 'Arrived damaged')$$,
    '23514', NULL,
    'refunds: a zero amount is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason, status)
    VALUES (900000001, 900000001, 900000001, 1000, 'Arrived damaged', 'done')$$,
    '23514', NULL,
    'refunds: an unknown status is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason)
    VALUES (900000001, 900000001, 900000001, 1000, '')$$,
    '23514', NULL,
    'refunds: an empty reason is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason)
    VALUES (900000002, 900000001, 900000001, 1000, 'Arrived damaged')$$,
    '23503', NULL,
    'refunds: a refund of another user''s payment is refused'
);

-- money records are never deleted by a cascade ---------------------------------------------

SELECT throws_ok(
    $$DELETE FROM store.orders WHERE id = 900000001$$,
    '23503', NULL,
    'orders: an order with a payment and refunds cannot be deleted'
);
SELECT throws_ok(
    $$DELETE FROM store.users WHERE id = 900000001$$,
    '23503', NULL,
    'users: a user with orders cannot be deleted'
);
SELECT throws_ok(
    $$DELETE FROM store.products WHERE id = 900000001$$,
    '23503', NULL,
    'products: a product that was ordered cannot be deleted'
);

-- The foreign keys, column for column. The composite ones carry user_id, so a row can only
-- point at rows of the same user (and the tables stay co-located when sharded by user).
SELECT
    fk_ok(
        'store', f.fk_table, f.fk_columns, 'store', f.pk_table, f.pk_columns,
        format(
            'store.%s (%s) references store.%s (%s)',
            f.fk_table, array_to_string(f.fk_columns, ', '),
            f.pk_table, array_to_string(f.pk_columns, ', ')
        )
    )
FROM (
    VALUES
    ('cart_items', ARRAY['user_id', 'cart_id'], 'carts', ARRAY['user_id', 'id']),
    ('orders', ARRAY['user_id', 'address_id'], 'addresses', ARRAY['user_id', 'id']),
    ('order_items', ARRAY['user_id', 'order_id'], 'orders', ARRAY['user_id', 'id']),
    ('inventory_locks', ARRAY['user_id', 'order_id'], 'orders', ARRAY['user_id', 'id']),
    ('coupon_usage', ARRAY['user_id', 'order_id'], 'orders', ARRAY['user_id', 'id']),
    ('payments', ARRAY['user_id', 'order_id'], 'orders', ARRAY['user_id', 'id']),
    ('payment_attempts', ARRAY['user_id', 'payment_id'], 'payments', ARRAY['user_id', 'id']),
    ('refunds', ARRAY['user_id', 'order_id'], 'orders', ARRAY['user_id', 'id']),
    ('refunds', ARRAY['user_id', 'payment_id'], 'payments', ARRAY['user_id', 'id']),
    ('children', ARRAY['user_id'], 'users', ARRAY['id']),
    ('addresses', ARRAY['user_id'], 'users', ARRAY['id']),
    ('carts', ARRAY['user_id'], 'users', ARRAY['id']),
    ('wishlists', ARRAY['user_id'], 'users', ARRAY['id']),
    ('orders', ARRAY['user_id'], 'users', ARRAY['id']),
    ('categories', ARRAY['parent_id'], 'categories', ARRAY['id']),
    ('products', ARRAY['category_id'], 'categories', ARRAY['id']),
    ('product_images', ARRAY['product_id'], 'products', ARRAY['id']),
    ('inventory', ARRAY['product_id'], 'products', ARRAY['id']),
    ('cart_items', ARRAY['product_id'], 'products', ARRAY['id']),
    ('wishlists', ARRAY['product_id'], 'products', ARRAY['id']),
    ('order_items', ARRAY['product_id'], 'products', ARRAY['id']),
    ('inventory_locks', ARRAY['product_id'], 'products', ARRAY['id']),
    ('carts', ARRAY['coupon_id'], 'coupons', ARRAY['id']),
    ('orders', ARRAY['coupon_id'], 'coupons', ARRAY['id']),
    ('coupon_usage', ARRAY['coupon_id'], 'coupons', ARRAY['id'])
) AS f (fk_table, fk_columns, pk_table, pk_columns);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
