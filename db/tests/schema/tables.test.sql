-- Schema shape: the tables of schema store, their primary keys, the types of the columns that
-- carry ids, money and time, and NOT NULL on the columns every rule relies on.
-- Pure catalog checks: no rows are written, so the demo seed does not matter.
BEGIN;

SELECT plan(275);

SELECT has_schema('store', 'schema store exists');

SELECT tables_are(
    'store',
    ARRAY[
        'users', 'otp_verifications', 'children', 'addresses', 'categories', 'products',
        'product_images', 'inventory', 'coupons', 'carts', 'cart_items', 'wishlists', 'orders',
        'order_items', 'inventory_locks', 'coupon_usage', 'payments', 'payment_attempts',
        'refunds', 'order_status_history', 'idempotency_keys', 'webhook_events',
        'category_product_counts', 'product_search_terms', 'search_term_counts',
        'product_summaries', 'sessions', 'refresh_tokens', 'outbox_events', 'processed_messages',
        'pincodes', 'order_charges', 'document_counters', 'invoices', 'credit_notes',
        'staff_audit', 'schema_migrations'
    ],
    'schema store holds exactly the 36 store tables and schema_migrations'
);

-- Primary keys. User-owned tables key on (user_id, ...) so that they shard by user.
SELECT
    col_is_pk(
        'store', t.table_name, t.pk_columns,
        format('store.%s has primary key (%s)', t.table_name, array_to_string(t.pk_columns, ', '))
    )
FROM (
    VALUES
    ('users', ARRAY['id']),
    ('otp_verifications', ARRAY['id']),
    ('children', ARRAY['user_id', 'id']),
    ('addresses', ARRAY['user_id', 'id']),
    ('categories', ARRAY['id']),
    ('products', ARRAY['id']),
    ('product_images', ARRAY['id']),
    ('inventory', ARRAY['product_id']),
    ('coupons', ARRAY['id']),
    ('carts', ARRAY['user_id', 'id']),
    ('cart_items', ARRAY['user_id', 'id']),
    ('wishlists', ARRAY['user_id', 'product_id']),
    ('orders', ARRAY['user_id', 'id']),
    ('order_items', ARRAY['user_id', 'id']),
    ('inventory_locks', ARRAY['user_id', 'id']),
    ('coupon_usage', ARRAY['user_id', 'id']),
    ('payments', ARRAY['user_id', 'id']),
    ('payment_attempts', ARRAY['user_id', 'id']),
    ('refunds', ARRAY['user_id', 'id']),
    ('order_status_history', ARRAY['user_id', 'id']),
    ('idempotency_keys', ARRAY['user_id', 'scope', 'key']),
    ('webhook_events', ARRAY['event_id']),
    ('category_product_counts', ARRAY['category_id']),
    ('product_search_terms', ARRAY['product_id', 'lexeme']),
    ('search_term_counts', ARRAY['lexeme']),
    ('product_summaries', ARRAY['product_id']),
    ('sessions', ARRAY['user_id', 'id']),
    ('refresh_tokens', ARRAY['user_id', 'token_hash']),
    ('outbox_events', ARRAY['user_id', 'id']),
    ('processed_messages', ARRAY['event_id', 'consumer']),
    ('pincodes', ARRAY['pincode']),
    ('schema_migrations', ARRAY['filename'])
) AS t (table_name, pk_columns);

-- Column types: ids as declared, money in bigint paise, time as timestamptz.
SELECT
    col_type_is(
        'store', t.table_name, t.column_name, t.type_name,
        format('store.%s.%s is %s', t.table_name, t.column_name, t.type_name)
    )
FROM (
    VALUES
    ('users', 'id', 'bigint'),
    ('users', 'phone', 'text'),
    ('users', 'is_staff', 'boolean'),
    ('users', 'is_active', 'boolean'),
    ('users', 'created_at', 'timestamp with time zone'),
    ('users', 'updated_at', 'timestamp with time zone'),
    ('users', 'last_login_at', 'timestamp with time zone'),
    ('users', 'deleted_at', 'timestamp with time zone'),
    ('otp_verifications', 'id', 'bigint'),
    ('otp_verifications', 'phone', 'text'),
    ('otp_verifications', 'code_hash', 'bytea'),
    ('otp_verifications', 'status', 'text'),
    ('otp_verifications', 'attempts', 'smallint'),
    ('otp_verifications', 'expires_at', 'timestamp with time zone'),
    ('otp_verifications', 'created_at', 'timestamp with time zone'),
    ('otp_verifications', 'verified_at', 'timestamp with time zone'),
    ('otp_verifications', 'client_ip', 'inet'),
    ('children', 'user_id', 'bigint'),
    ('children', 'id', 'bigint'),
    ('children', 'date_of_birth', 'date'),
    ('children', 'created_at', 'timestamp with time zone'),
    ('addresses', 'user_id', 'bigint'),
    ('addresses', 'id', 'bigint'),
    ('addresses', 'pincode', 'text'),
    ('addresses', 'state', 'text'),
    ('addresses', 'is_default', 'boolean'),
    ('addresses', 'deleted_at', 'timestamp with time zone'),
    ('categories', 'id', 'integer'),
    ('categories', 'parent_id', 'integer'),
    ('categories', 'position', 'smallint'),
    ('products', 'id', 'bigint'),
    ('products', 'category_id', 'integer'),
    ('products', 'price', 'bigint'),
    ('products', 'mrp', 'bigint'),
    ('products', 'age_min_months', 'smallint'),
    ('products', 'age_max_months', 'smallint'),
    ('products', 'sales_count', 'bigint'),
    ('products', 'created_at', 'timestamp with time zone'),
    ('products', 'search_vector', 'tsvector'),
    ('product_images', 'id', 'bigint'),
    ('product_images', 'product_id', 'bigint'),
    ('product_images', 'position', 'smallint'),
    ('inventory', 'product_id', 'bigint'),
    ('inventory', 'on_hand', 'integer'),
    ('inventory', 'updated_at', 'timestamp with time zone'),
    ('coupons', 'id', 'integer'),
    ('coupons', 'code', 'text'),
    ('coupons', 'discount_value', 'bigint'),
    ('coupons', 'max_discount', 'bigint'),
    ('coupons', 'min_order_value', 'bigint'),
    ('coupons', 'valid_from', 'timestamp with time zone'),
    ('coupons', 'valid_until', 'timestamp with time zone'),
    ('coupons', 'usage_limit', 'integer'),
    ('coupons', 'used_count', 'integer'),
    ('coupons', 'per_user_limit', 'integer'),
    ('carts', 'user_id', 'bigint'),
    ('carts', 'id', 'bigint'),
    ('carts', 'coupon_id', 'integer'),
    ('cart_items', 'user_id', 'bigint'),
    ('cart_items', 'id', 'bigint'),
    ('cart_items', 'cart_id', 'bigint'),
    ('cart_items', 'product_id', 'bigint'),
    ('cart_items', 'quantity', 'integer'),
    ('cart_items', 'unit_price', 'bigint'),
    ('wishlists', 'user_id', 'bigint'),
    ('wishlists', 'product_id', 'bigint'),
    ('wishlists', 'created_at', 'timestamp with time zone'),
    ('orders', 'user_id', 'bigint'),
    ('orders', 'id', 'bigint'),
    ('orders', 'status', 'text'),
    ('orders', 'address_id', 'bigint'),
    ('orders', 'address', 'jsonb'),
    ('orders', 'coupon_id', 'integer'),
    ('orders', 'subtotal', 'bigint'),
    ('orders', 'discount', 'bigint'),
    ('orders', 'shipping', 'bigint'),
    ('orders', 'total', 'bigint'),
    ('orders', 'payment_due_at', 'timestamp with time zone'),
    ('orders', 'created_at', 'timestamp with time zone'),
    ('order_items', 'user_id', 'bigint'),
    ('order_items', 'id', 'bigint'),
    ('order_items', 'order_id', 'bigint'),
    ('order_items', 'product_id', 'bigint'),
    ('order_items', 'unit_price', 'bigint'),
    ('order_items', 'quantity', 'integer'),
    ('order_items', 'line_total', 'bigint'),
    ('inventory_locks', 'user_id', 'bigint'),
    ('inventory_locks', 'id', 'bigint'),
    ('inventory_locks', 'order_id', 'bigint'),
    ('inventory_locks', 'product_id', 'bigint'),
    ('inventory_locks', 'quantity', 'integer'),
    ('inventory_locks', 'expires_at', 'timestamp with time zone'),
    ('inventory_locks', 'released_at', 'timestamp with time zone'),
    ('coupon_usage', 'user_id', 'bigint'),
    ('coupon_usage', 'id', 'bigint'),
    ('coupon_usage', 'coupon_id', 'integer'),
    ('coupon_usage', 'order_id', 'bigint'),
    ('coupon_usage', 'discount', 'bigint'),
    ('coupon_usage', 'rolled_back_at', 'timestamp with time zone'),
    ('payments', 'user_id', 'bigint'),
    ('payments', 'id', 'bigint'),
    ('payments', 'order_id', 'bigint'),
    ('payments', 'amount', 'bigint'),
    ('payments', 'amount_captured', 'bigint'),
    ('payments', 'amount_refunded', 'bigint'),
    ('payments', 'captured_at', 'timestamp with time zone'),
    ('payment_attempts', 'user_id', 'bigint'),
    ('payment_attempts', 'id', 'bigint'),
    ('payment_attempts', 'payment_id', 'bigint'),
    ('payment_attempts', 'amount', 'bigint'),
    ('payment_attempts', 'created_at', 'timestamp with time zone'),
    ('refunds', 'user_id', 'bigint'),
    ('refunds', 'id', 'bigint'),
    ('refunds', 'order_id', 'bigint'),
    ('refunds', 'payment_id', 'bigint'),
    ('refunds', 'amount', 'bigint'),
    ('refunds', 'restock', 'boolean'),
    ('refunds', 'processed_at', 'timestamp with time zone'),
    ('refunds', 'queued_at', 'timestamp with time zone'),
    ('orders', 'restocked_at', 'timestamp with time zone'),
    ('order_status_history', 'user_id', 'bigint'),
    ('order_status_history', 'id', 'bigint'),
    ('order_status_history', 'order_id', 'bigint'),
    ('order_status_history', 'actor_user_id', 'bigint'),
    ('order_status_history', 'created_at', 'timestamp with time zone'),
    ('idempotency_keys', 'user_id', 'bigint'),
    ('idempotency_keys', 'key', 'text'),
    ('idempotency_keys', 'request', 'jsonb'),
    ('idempotency_keys', 'response', 'jsonb'),
    ('idempotency_keys', 'created_at', 'timestamp with time zone'),
    ('webhook_events', 'event_id', 'text'),
    ('webhook_events', 'payload', 'jsonb'),
    ('webhook_events', 'received_at', 'timestamp with time zone'),
    ('sessions', 'user_id', 'bigint'),
    ('sessions', 'id', 'bigint'),
    ('sessions', 'created_at', 'timestamp with time zone'),
    ('sessions', 'ended_at', 'timestamp with time zone'),
    ('refresh_tokens', 'user_id', 'bigint'),
    ('refresh_tokens', 'session_id', 'bigint'),
    ('refresh_tokens', 'expires_at', 'timestamp with time zone'),
    ('refresh_tokens', 'used_at', 'timestamp with time zone'),
    ('outbox_events', 'user_id', 'bigint'),
    ('outbox_events', 'id', 'bigint'),
    ('outbox_events', 'topic', 'text'),
    ('outbox_events', 'order_id', 'bigint'),
    ('outbox_events', 'payload', 'jsonb'),
    ('outbox_events', 'traceparent', 'text'),
    ('outbox_events', 'created_at', 'timestamp with time zone'),
    ('outbox_events', 'published_at', 'timestamp with time zone'),
    ('processed_messages', 'consumer', 'text'),
    ('processed_messages', 'event_id', 'bigint'),
    ('processed_messages', 'processed_at', 'timestamp with time zone'),
    ('schema_migrations', 'filename', 'text'),
    ('schema_migrations', 'checksum', 'text'),
    ('schema_migrations', 'applied_at', 'timestamp with time zone')
) AS t (table_name, column_name, type_name);

-- NOT NULL on the columns that keys, money, status and expiry rules depend on.
SELECT
    col_not_null(
        'store', t.table_name, t.column_name,
        format('store.%s.%s is NOT NULL', t.table_name, t.column_name)
    )
FROM (
    VALUES
    ('users', 'phone'),
    ('users', 'is_staff'),
    ('users', 'is_active'),
    ('refresh_tokens', 'token_hash'),
    ('refresh_tokens', 'session_id'),
    ('refresh_tokens', 'expires_at'),
    ('otp_verifications', 'phone'),
    ('otp_verifications', 'code_hash'),
    ('otp_verifications', 'status'),
    ('otp_verifications', 'attempts'),
    ('otp_verifications', 'expires_at'),
    ('children', 'date_of_birth'),
    ('addresses', 'phone'),
    ('addresses', 'state'),
    ('addresses', 'pincode'),
    ('addresses', 'is_default'),
    ('products', 'category_id'),
    ('products', 'price'),
    ('products', 'mrp'),
    ('products', 'is_active'),
    ('inventory', 'on_hand'),
    ('coupons', 'code'),
    ('coupons', 'discount_type'),
    ('coupons', 'discount_value'),
    ('coupons', 'min_order_value'),
    ('coupons', 'used_count'),
    ('cart_items', 'cart_id'),
    ('cart_items', 'product_id'),
    ('cart_items', 'quantity'),
    ('cart_items', 'unit_price'),
    ('orders', 'status'),
    ('orders', 'address_id'),
    ('orders', 'address'),
    ('orders', 'subtotal'),
    ('orders', 'discount'),
    ('orders', 'shipping'),
    ('orders', 'total'),
    ('orders', 'payment_due_at'),
    ('order_items', 'order_id'),
    ('order_items', 'product_id'),
    ('order_items', 'unit_price'),
    ('order_items', 'quantity'),
    ('order_items', 'line_total'),
    ('inventory_locks', 'order_id'),
    ('inventory_locks', 'product_id'),
    ('inventory_locks', 'quantity'),
    ('inventory_locks', 'status'),
    ('inventory_locks', 'expires_at'),
    ('coupon_usage', 'coupon_id'),
    ('coupon_usage', 'order_id'),
    ('coupon_usage', 'discount'),
    ('coupon_usage', 'status'),
    ('payments', 'order_id'),
    ('payments', 'gateway_order_id'),
    ('payments', 'status'),
    ('payments', 'amount'),
    ('payments', 'amount_captured'),
    ('payments', 'amount_refunded'),
    ('payment_attempts', 'payment_id'),
    ('payment_attempts', 'source'),
    ('payment_attempts', 'status'),
    ('refunds', 'order_id'),
    ('refunds', 'payment_id'),
    ('refunds', 'amount'),
    ('refunds', 'status'),
    ('refunds', 'reason'),
    ('refunds', 'queued_at'),
    ('order_status_history', 'order_id'),
    ('order_status_history', 'from_status'),
    ('order_status_history', 'to_status'),
    ('order_status_history', 'actor'),
    ('idempotency_keys', 'scope'),
    ('idempotency_keys', 'request'),
    ('idempotency_keys', 'response'),
    ('idempotency_keys', 'created_at'),
    ('webhook_events', 'event_type'),
    ('webhook_events', 'outcome'),
    ('webhook_events', 'payload'),
    ('outbox_events', 'topic'),
    ('outbox_events', 'payload'),
    ('outbox_events', 'created_at'),
    ('processed_messages', 'consumer'),
    ('processed_messages', 'event_id'),
    ('processed_messages', 'processed_at')
) AS t (table_name, column_name);

-- Every other column is NOT NULL: the nullable ones, each optional on purpose, are exactly these.
SELECT is(
    (
        SELECT array_agg(format('%s.%s', c.relname, a.attname) ORDER BY c.relname, a.attname)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND NOT a.attnotnull
    ),
    ARRAY[
        'addresses.deleted_at', 'addresses.landmark', 'addresses.line2', 'carts.coupon_id',
        'categories.parent_id', 'coupon_usage.rolled_back_at', 'coupons.max_discount',
        'coupons.per_user_limit', 'coupons.usage_limit', 'coupons.valid_until',
        'credit_notes.refund_id', 'inventory_locks.released_at',
        -- the tax of a line: NULL on orders placed before GST (db/tables/470)
        'order_items.cgst', 'order_items.discount_share', 'order_items.gst_rate',
        'order_items.hsn_code', 'order_items.igst', 'order_items.sgst', 'order_items.taxable_value',
        'order_status_history.actor_user_id',
        'order_status_history.reason', 'orders.cancel_reason', 'orders.coupon_code',
        'orders.coupon_id', 'orders.restocked_at', 'otp_verifications.client_ip',
        'otp_verifications.verified_at', 'outbox_events.order_id', 'outbox_events.published_at',
        'outbox_events.traceparent',
        'payment_attempts.amount', 'payment_attempts.currency', 'payment_attempts.error_code',
        'payment_attempts.error_description', 'payment_attempts.event_id',
        'payment_attempts.gateway_payment_id', 'payments.captured_at',
        'payments.gateway_payment_id', 'pincodes.delivery_days', 'products.search_vector',
        'refresh_tokens.used_at', 'refunds.decided_at', 'refunds.decided_by',
        'refunds.gateway_refund_id', 'refunds.processed_at', 'refunds.rejection_reason',
        'sessions.created_ip',
        'sessions.end_reason', 'sessions.ended_at', 'sessions.refreshed_at', 'sessions.refreshed_ip',
        'staff_audit.after', 'staff_audit.before', 'staff_audit.customer_id', 'staff_audit.reason',
        'users.deleted_at', 'users.email', 'users.last_login_at', 'users.name'
    ],
    'the nullable columns of schema store are exactly the optional ones'
);

-- search_vector is computed by the database, so it can never drift from the text.
SELECT is(
    (
        SELECT c.is_generated
        FROM information_schema.columns AS c
        WHERE
            c.table_schema = 'store'
            AND c.table_name = 'products'
            AND c.column_name = 'search_vector'
    ),
    'ALWAYS',
    'store.products.search_vector is a generated column'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
