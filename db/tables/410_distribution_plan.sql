-- The distribution plan (docs/scaling.md): each table's COMMENT ends with where the table goes
-- when the store is sharded with Citus, in one of four forms that db/tests/sharding/ reads:
--   Sharding: distributed by <column>.                 hash-distributed, first of its group
--   Sharding: distributed by <column> with store.<t>.  hash-distributed, co-located with <t>
--   Sharding: reference table.                         one copy on every node
--   Sharding: on the coordinator.                      one copy, on the coordinator
-- Every table of schema store carries exactly one; a new table states its own in its file.
-- store.schema_migrations is the exception: db/migrate.py writes its comment at every run.
-- Comments only: nothing else changes.

-- The user group: store.users by id, every user-owned table by user_id beside it.
COMMENT ON TABLE store.users IS
'Customers and staff. Created by verify_otp on first login; the phone is the identity. '
'Sharding: distributed by id.';
COMMENT ON TABLE store.children IS
'Children of a user. Age in months is computed at read time from date_of_birth. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.addresses IS
'Delivery addresses of a user; soft-deleted so orders that used one stay explainable. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.carts IS
'The shopping cart of a user (one per user). Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.cart_items IS
'Cart lines: one per product, quantity capped by add_to_cart. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.wishlists IS
'Wishlist entries: a user saved a product. Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.orders IS
'Orders. Amounts are frozen at creation; status moves only along the graph in update_order_status. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.order_items IS
'Order lines, frozen by freeze_order_pricing. Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.coupon_usage IS
'Who redeemed which coupon on which order. Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.payments IS
'One payment per order. Captured at most once; refunds never exceed the captured amount. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.payment_attempts IS
'History of a payment: initiations, client verifications and webhook events (deduplicated). '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.refunds IS
'Refunds of captured payments. Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.order_status_history IS
'Audit trail of order status changes, one row per transition (api.transition_order). '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.idempotency_keys IS
'Answers stored under an Idempotency-Key: the same key from the same user on the same '
'endpoint within 24 h replays them. Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.sessions IS
'One row per login: verify_otp starts it; logout, logout_all or a reused refresh token end it. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON TABLE store.refresh_tokens IS
'Every refresh token of a session: one live; spent ones stay, so that a replay is recognised. '
'Sharding: distributed by user_id with store.users.';

-- Webhook deliveries are found by their event id alone: a group of their own.
COMMENT ON TABLE store.webhook_events IS
'Webhook events received (signature checked), deduplicated by event id, with what they did. '
'Sharding: distributed by event_id.';

-- The catalog, read with every user's rows and changed by staff: a copy on every node.
COMMENT ON TABLE store.categories IS
'Catalog categories, a tree through parent_id; filtering by a category includes its descendants. '
'Sharding: reference table.';
COMMENT ON TABLE store.products IS
'Catalog products. Only active ones are listed or sold; stock lives in store.inventory. '
'Sharding: reference table.';
COMMENT ON TABLE store.product_images IS
'Images of a product, ordered by position. Sharding: reference table.';
COMMENT ON TABLE store.category_product_counts IS
'Active products per category (its own, not its sub-categories''), kept by triggers on '
'store.products. Sharding: reference table.';
COMMENT ON TABLE store.product_search_terms IS
'One row per lexeme of each active product''s search_vector, with its one-word rank; kept by '
'triggers. Sharding: reference table.';
COMMENT ON TABLE store.search_term_counts IS
'Rows of store.product_search_terms per lexeme (active products with the word); kept by '
'triggers. Sharding: reference table.';
COMMENT ON TABLE store.product_summaries IS
'Every key of a product''s list summary but in_stock, one row per product; kept by triggers. '
'Sharding: reference table.';
COMMENT ON TABLE store.coupons IS
'Coupons: percentage or flat, with limits. Sharding: reference table.';

-- Stock, which every checkout locks and every stock read sums per product, and login codes,
-- found by phone before any user id is known: one copy, on the coordinator.
COMMENT ON TABLE store.inventory IS
'Units physically in the warehouse per product. Row-locked by every stock change. '
'Sharding: on the coordinator.';
COMMENT ON TABLE store.inventory_locks IS
'Stock reservations of unpaid orders. Counted while active and unexpired; summed per product, '
'so they stay with store.inventory. Sharding: on the coordinator.';
COMMENT ON TABLE store.otp_verifications IS
'OTP login codes: one row per code sent. send_otp writes, verify_otp consumes. '
'Sharding: on the coordinator.';
