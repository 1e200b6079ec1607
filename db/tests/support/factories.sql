-- Test factories and helpers for the pgTAP suite, in schema `tests`.
-- Loaded once into the test database after db.migrate and before pg_prove runs:
--     psql -d <db> -c 'CREATE EXTENSION IF NOT EXISTS pgtap' -f db/tests/support/factories.sql
-- Idempotent: CREATE SCHEMA IF NOT EXISTS / CREATE OR REPLACE, so it may be loaded again.
-- Test files call these instead of copying INSERTs. Every generated slug and phone takes a number
-- from tests.serial and is checked against the rows already there, so test rows never collide
-- with the demo catalog, with each other, or with a test running in parallel. Each test file runs
-- in BEGIN ... ROLLBACK, so nothing written here outlives it (sequence numbers excepted).
-- The bodies only reach schema `api` at call time: db.migrate may recreate `api` freely.

SET client_min_messages = warning;

CREATE SCHEMA IF NOT EXISTS tests;

COMMENT ON SCHEMA tests IS
'pgTAP factories and helpers (db/tests/support/factories.sql); test rows are rolled back.';

CREATE SEQUENCE IF NOT EXISTS tests.serial;

COMMENT ON SEQUENCE tests.serial IS 'Numbers that make test slugs, phones and names unique.';

-- ---------------------------------------------------------------------------------------------
-- Unique values
-- ---------------------------------------------------------------------------------------------

-- A fixed 32-byte OTP key for tests (the server key in production comes from settings).
CREATE OR REPLACE FUNCTION tests.otp_key()
RETURNS bytea
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT sha256(convert_to('jiokidz pgTAP OTP key', 'UTF8'))
$$;

-- A number never handed out before in this database.
CREATE OR REPLACE FUNCTION tests.next_serial()
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT nextval('tests.serial')
$$;

-- A word that appears in no demo row, e.g. for a unique brand or a full-text search term:
-- 'Zqx' followed by letters spelling a fresh number (letters only, so that the english
-- text-search parser keeps it as one word).
CREATE OR REPLACE FUNCTION tests.unique_word(p_prefix text DEFAULT 'Zqx')
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT p_prefix || translate(tests.next_serial()::text, '0123456789', 'bcdfghjklm')
$$;

-- An Indian mobile number (+917XXXXXXXXX) that no user, address or OTP row uses yet.
CREATE OR REPLACE FUNCTION tests.new_phone()
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_phone text;
BEGIN
    LOOP
        v_phone := '+917' || lpad((tests.next_serial() % 1000000000)::text, 9, '0');
        EXIT WHEN NOT EXISTS (SELECT FROM store.users WHERE phone = v_phone)
            AND NOT EXISTS (SELECT FROM store.otp_verifications WHERE phone = v_phone)
            AND NOT EXISTS (SELECT FROM store.addresses WHERE phone = v_phone);
    END LOOP;
    RETURN v_phone;
END
$$;

-- A slug ('test-<n>-<name>') used by no category and no product yet.
CREATE OR REPLACE FUNCTION tests.new_slug(p_name text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_words text := nullif(
        btrim(regexp_replace(lower(coalesce(p_name, '')), '[^a-z0-9]+', '-', 'g'), '-'), ''
    );
    v_slug text;
BEGIN
    LOOP
        v_slug := left('test-' || tests.next_serial() || coalesce('-' || v_words, ''), 120);
        v_slug := rtrim(v_slug, '-');
        EXIT WHEN NOT EXISTS (SELECT FROM store.categories WHERE slug = v_slug)
            AND NOT EXISTS (SELECT FROM store.products WHERE slug = v_slug);
    END LOOP;
    RETURN v_slug;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Named fixtures: remember an id, a phone or a procedure's answer under a name, in a setup
-- DO block, for the assertions that follow. Kept in a session temporary table created on first
-- use; created inside the test's transaction, it disappears with its ROLLBACK. The lookups are
-- VOLATILE so that they also see values remembered earlier in the same statement.
-- ---------------------------------------------------------------------------------------------

-- Remembers p_value under p_key (replacing an earlier one) and returns it.
CREATE OR REPLACE FUNCTION tests.set_value(p_key text, p_value text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
    IF to_regclass('pg_temp.tests_fixtures') IS NULL THEN
        CREATE TEMPORARY TABLE tests_fixtures (key text PRIMARY KEY, value text);
    END IF;
    INSERT INTO pg_temp.tests_fixtures (key, value) VALUES (p_key, p_value)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN p_value;
END
$$;

-- The value remembered under p_key; raises when there is none (a typo must not pass as NULL).
CREATE OR REPLACE FUNCTION tests.value(p_key text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_value text;
    v_found boolean := FALSE;
BEGIN
    IF to_regclass('pg_temp.tests_fixtures') IS NOT NULL THEN
        EXECUTE 'SELECT value, TRUE FROM pg_temp.tests_fixtures WHERE key = $1'
        INTO v_value, v_found USING p_key;
    END IF;
    IF NOT coalesce(v_found, FALSE) THEN
        RAISE EXCEPTION 'tests.value: no fixture named %', p_key;
    END IF;
    RETURN v_value;
END
$$;

-- Remembers an id under p_key and returns it.
CREATE OR REPLACE FUNCTION tests.set_id(p_key text, p_id bigint)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT tests.set_value(p_key, p_id::text)::bigint
$$;

-- The id remembered under p_key.
CREATE OR REPLACE FUNCTION tests.id(p_key text)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT tests.value(p_key)::bigint
$$;

-- The ids remembered under the given keys, in the order given.
CREATE OR REPLACE FUNCTION tests.ids(p_keys text[])
RETURNS bigint[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(tests.id(k.key) ORDER BY k.ordinal), '{}')
    FROM unnest(p_keys) WITH ORDINALITY AS k (key, ordinal)
$$;

-- The JSON answer remembered under p_key.
CREATE OR REPLACE FUNCTION tests.json(p_key text)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT tests.value(p_key)::jsonb
$$;

-- Remembers a JSON answer under p_key and returns it.
CREATE OR REPLACE FUNCTION tests.set_json(p_key text, p_value jsonb)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT tests.set_value(p_key, p_value::text)::jsonb
$$;

-- ---------------------------------------------------------------------------------------------
-- Row factories
-- ---------------------------------------------------------------------------------------------

-- A user; a fresh unique phone when none is given. Returns the user id.
CREATE OR REPLACE FUNCTION tests.make_user(
    p_phone text DEFAULT NULL,
    p_name text DEFAULT NULL,
    p_email text DEFAULT NULL,
    p_deleted_at timestamptz DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO store.users (phone, name, email, deleted_at)
    VALUES (coalesce(p_phone, tests.new_phone()), p_name, p_email, p_deleted_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- A delivery address of a user (a fresh user when none is given). Returns the address id.
CREATE OR REPLACE FUNCTION tests.make_address(p_user_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_user_id bigint := coalesce(p_user_id, tests.make_user());
    v_id bigint;
BEGIN
    INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (v_user_id, 'Test Parent', tests.new_phone(), '1 Test Street', 'Bengaluru',
        'Karnataka', '560001')
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- A minimal valid unpaid order (no lines, total 0) of a user (a fresh user when none is given),
-- with a fresh address, paid online unless p_payment_method says cod. Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_order(
    p_user_id bigint DEFAULT NULL,
    p_payment_due_at timestamptz DEFAULT now() + interval '15 minutes',
    p_status text DEFAULT 'pending_payment',
    p_payment_method text DEFAULT 'online'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_user_id bigint := coalesce(p_user_id, tests.make_user());
    v_address_id bigint := tests.make_address(v_user_id);
    v_id bigint;
BEGIN
    INSERT INTO store.orders (
        user_id, status, address_id, address, subtotal, total, payment_due_at, payment_method
    )
    SELECT v_user_id, p_status, a.id, to_jsonb(a) - 'user_id', 0, 0, p_payment_due_at, p_payment_method
    FROM store.addresses AS a
    WHERE a.user_id = v_user_id AND a.id = v_address_id
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- A category with a unique slug. Returns the category id.
CREATE OR REPLACE FUNCTION tests.make_category(
    p_name text DEFAULT 'Test category',
    p_parent_id integer DEFAULT NULL,
    p_is_active boolean DEFAULT TRUE,
    p_position integer DEFAULT 0
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id integer;
BEGIN
    INSERT INTO store.categories (parent_id, name, slug, position, is_active)
    VALUES (p_parent_id, p_name, tests.new_slug(p_name), p_position, p_is_active)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- A product with a unique slug, its inventory row (on_hand = p_stock; no row when p_stock is
-- NULL) and one https image at position 0. A fresh category when none is given; mrp defaults
-- to the price. Returns the product id.
CREATE OR REPLACE FUNCTION tests.make_product(
    p_category_id integer DEFAULT NULL,
    p_name text DEFAULT 'Test product',
    p_brand text DEFAULT 'Testbrand',
    p_price bigint DEFAULT 49900,
    p_stock integer DEFAULT 10,
    p_age_min integer DEFAULT 0,
    p_age_max integer DEFAULT 216,
    p_gender text DEFAULT 'unisex',
    p_description text DEFAULT '',
    p_is_active boolean DEFAULT TRUE,
    p_mrp bigint DEFAULT NULL,
    p_sales_count bigint DEFAULT 0,
    p_created_at timestamptz DEFAULT now(),
    p_hsn_code text DEFAULT '9503',
    p_gst_rate integer DEFAULT 5
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_slug text := tests.new_slug(p_name);
    v_id bigint;
BEGIN
    INSERT INTO store.products (
        category_id, name, slug, brand, description, price, mrp, age_min_months, age_max_months,
        gender, is_active, sales_count, created_at, updated_at, hsn_code, gst_rate
    )
    VALUES (
        coalesce(p_category_id, tests.make_category()), p_name, v_slug, p_brand, p_description,
        p_price, coalesce(p_mrp, p_price), p_age_min, p_age_max, p_gender, p_is_active,
        p_sales_count, p_created_at, p_created_at, p_hsn_code, p_gst_rate
    )
    RETURNING id INTO v_id;
    IF p_stock IS NOT NULL THEN
        INSERT INTO store.inventory (product_id, on_hand, units_sold) VALUES (v_id, p_stock, p_sales_count);
    END IF;
    PERFORM tests.make_image(v_id, 0);
    RETURN v_id;
END
$$;

-- An image of a product at a position (https URL derived from the product's slug unless given).
-- Returns the image id.
CREATE OR REPLACE FUNCTION tests.make_image(
    p_product_id bigint,
    p_position integer,
    p_url text DEFAULT NULL,
    p_alt text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO store.product_images (product_id, url, alt, position)
    SELECT
        p.id,
        coalesce(p_url, format('https://img.test.jiokidz.in/%s/%s.jpg', p.slug, p_position)),
        coalesce(p_alt, format('%s, picture %s', p.name, p_position + 1)),
        p_position
    FROM store.products AS p
    WHERE p.id = p_product_id
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'tests.make_image: no product %', p_product_id;
    END IF;
    RETURN v_id;
END
$$;

-- What a product's list summary must hold but in_stock, built from its row and its first
-- picture as they are now, with none of the store's speed-ups (store.product_summaries): the
-- reference that tests compare the stored and the listed summaries with.
CREATE OR REPLACE FUNCTION tests.summary_from_rows(p_product_id bigint)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'name', p.name, 'slug', p.slug, 'brand', p.brand, 'price', p.price,
        'mrp', p.mrp,
        'image_url', (
            SELECT store.versioned_image_url(img.url, img.content_version)
            FROM store.product_images AS img
            WHERE img.product_id = p.id ORDER BY img.position LIMIT 1
        ),
        'category_id', p.category_id, 'age_min_months', p.age_min_months,
        'age_max_months', p.age_max_months, 'gender', p.gender
    )
    FROM store.products AS p
    WHERE p.id = p_product_id
$$;

-- A stock reservation (store.inventory_locks) of p_quantity units of a product, held by a fresh
-- unpaid order of a fresh user (with an address) until p_expires_at. A status other than
-- 'active' gets released_at = now(). Returns the reservation id.
CREATE OR REPLACE FUNCTION tests.make_reservation(
    p_product_id bigint,
    p_quantity integer,
    p_expires_at timestamptz DEFAULT now() + interval '15 minutes',
    p_status text DEFAULT 'active'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_user_id bigint := tests.make_user();
    v_order_id bigint := tests.make_order(v_user_id, p_expires_at);
    v_id bigint;
BEGIN
    INSERT INTO store.inventory_locks (
        user_id, order_id, product_id, quantity, status, expires_at, created_at, released_at
    )
    VALUES (
        v_user_id, v_order_id, p_product_id, p_quantity, p_status, p_expires_at,
        least(now(), p_expires_at - interval '15 minutes'),
        CASE WHEN p_status <> 'active' THEN now() END
    )
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- OTP helpers
-- ---------------------------------------------------------------------------------------------

-- Sends a code to p_phone with the test key and returns the code.
CREATE OR REPLACE FUNCTION tests.send_code(p_phone text)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT api.send_otp(p_phone, tests.otp_key()) ->> 'otp'
$$;

-- A fixed 32-byte refresh-token key for tests (settings derive the server's).
CREATE OR REPLACE FUNCTION tests.refresh_key()
RETURNS bytea
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT sha256(convert_to('jiokidz pgTAP refresh-token key', 'UTF8'))
$$;

-- Verifies p_code for p_phone with the test keys.
CREATE OR REPLACE FUNCTION tests.verify(p_phone text, p_code text)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT api.verify_otp(p_phone, p_code, tests.otp_key(), tests.refresh_key())
$$;

-- A valid 6-digit code that differs from p_code.
CREATE OR REPLACE FUNCTION tests.wrong_code(p_code text)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
AS $$
    SELECT lpad(((p_code::integer + 1) % 1000000)::text, 6, '0')
$$;

-- Moves every code sent to p_phone (normalised form) p_by into the past, as if that much time
-- had passed: created_at and expires_at both move, so a code stays valid for its 5 minutes.
-- Returns the number of codes moved.
CREATE OR REPLACE FUNCTION tests.age_codes(p_phone text, p_by interval)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE store.otp_verifications
    SET created_at = created_at - p_by, expires_at = expires_at - p_by
    WHERE phone = p_phone;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- The latest code row of a phone (normalised form).
CREATE OR REPLACE FUNCTION tests.latest_code(p_phone text)
RETURNS store.otp_verifications
LANGUAGE sql
VOLATILE
AS $$
    SELECT o.*
    FROM store.otp_verifications AS o
    WHERE o.phone = p_phone
    ORDER BY o.created_at DESC, o.id DESC
    LIMIT 1
$$;

-- How many codes were sent to a phone (normalised form), only those in p_status when given.
CREATE OR REPLACE FUNCTION tests.code_count(p_phone text, p_status text DEFAULT NULL)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    SELECT count(*)::integer
    FROM store.otp_verifications AS o
    WHERE o.phone = p_phone AND (p_status IS NULL OR o.status = p_status)
$$;

-- The status of a code row.
CREATE OR REPLACE FUNCTION tests.code_status(p_id bigint)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT o.status FROM store.otp_verifications AS o WHERE o.id = p_id
$$;

-- The user with a phone (normalised form), NULL when there is none.
CREATE OR REPLACE FUNCTION tests.user_of(p_phone text)
RETURNS store.users
LANGUAGE sql
VOLATILE
AS $$
    SELECT u.* FROM store.users AS u WHERE u.phone = p_phone
$$;

-- How many users have a phone (normalised form): 0 or 1.
CREATE OR REPLACE FUNCTION tests.user_count(p_phone text)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    SELECT count(*)::integer FROM store.users AS u WHERE u.phone = p_phone
$$;

-- ---------------------------------------------------------------------------------------------
-- Result helpers
-- ---------------------------------------------------------------------------------------------

-- The code of an error a procedure returned (internal.problem), NULL for a success.
CREATE OR REPLACE FUNCTION tests.error_code(p_result jsonb)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT p_result #>> '{error,code}'
$$;

-- The HTTP status of an error a procedure returned (internal.problem), NULL for a success.
CREATE OR REPLACE FUNCTION tests.error_status(p_result jsonb)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT (p_result #>> '{error,status}')::integer
$$;

-- Runs p_sql and returns what it raised: {"sqlstate", "message", "detail", "column"}, or NULL
-- when it raised nothing. Lets a test check the field (COLUMN) an error names, which throws_ok
-- does not. The statement runs in a subtransaction, so its writes are undone when it fails.
-- A statement_timeout (query_canceled) is caught too, so a test can bound a runaway query.
CREATE OR REPLACE FUNCTION tests.error_of(p_sql text)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_state text;
    v_message text;
    v_detail text;
    v_column text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS OR query_canceled THEN
    GET STACKED DIAGNOSTICS
        v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
        v_detail = PG_EXCEPTION_DETAIL, v_column = COLUMN_NAME;
    RETURN jsonb_build_object(
        'sqlstate', v_state, 'message', v_message,
        'detail', nullif(v_detail, ''), 'column', nullif(v_column, '')
    );
END
$$;

-- The ids of a list answer's items ({"items": [{"id": ...}, ...]}), in the order listed.
CREATE OR REPLACE FUNCTION tests.item_ids(p_result jsonb)
RETURNS bigint[]
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(array_agg((i.item ->> 'id')::bigint ORDER BY i.ordinal), '{}')
    FROM jsonb_array_elements(p_result -> 'items') WITH ORDINALITY AS i (item, ordinal)
$$;

-- The same ids sorted ascending: for comparing sets when the order does not matter.
CREATE OR REPLACE FUNCTION tests.sorted_ids(p_ids bigint[])
RETURNS bigint[]
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(array_agg(i.id ORDER BY i.id), '{}') FROM unnest(p_ids) AS i (id)
$$;

-- Only the given keys of a JSON object (missing keys stay missing): compares the fields a test
-- cares about without failing when a procedure adds a new one.
CREATE OR REPLACE FUNCTION tests.pick(p_object jsonb, p_keys text[])
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
    FROM jsonb_each(p_object) AS e (key, value)
    WHERE e.key = ANY(p_keys)
$$;

-- The item with id p_id of a list answer, NULL when it is not listed.
CREATE OR REPLACE FUNCTION tests.item(p_result jsonb, p_id bigint)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT i.item
    FROM jsonb_array_elements(p_result -> 'items') AS i (item)
    WHERE (i.item ->> 'id')::bigint = p_id
$$;
