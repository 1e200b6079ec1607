-- When a cancelled or refunded order's sold units went back on hand (restore_inventory), so
-- that they go back once only.
ALTER TABLE store.orders ADD COLUMN restocked_at timestamptz;

COMMENT ON COLUMN store.orders.restocked_at IS
'When the sold units of the order went back on hand (cancel or a refund with restock); set once.';
