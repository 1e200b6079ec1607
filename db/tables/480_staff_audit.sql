-- The staff API (docs/api.md "Admin (staff) API"): its audit trail, refund requests that staff
-- decide, and the indexes its lookups and lists need.

-- Every write made through an /admin route: who, what, on which row, when, the row before and
-- after, and the reason when the route takes one. Written only by internal.audit, in the
-- transaction of the change, so a change and its audit row commit or roll back together.
CREATE TABLE store.staff_audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_user_id bigint NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id bigint NOT NULL,
    customer_id bigint,
    before jsonb,
    after jsonb,
    reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT staff_audit_action_format CHECK (action ~ '^[a-z]+\.[a-z_]+$'),
    CONSTRAINT staff_audit_entity_type_valid CHECK (
        entity_type IN ('product', 'category', 'coupon', 'order', 'refund')
    ),
    CONSTRAINT staff_audit_something_changed CHECK (before IS NOT NULL OR after IS NOT NULL),
    CONSTRAINT staff_audit_reason_length CHECK (char_length(reason) BETWEEN 1 AND 500)
);

-- GET /admin/audit: one entity's history, newest first; and what one staff member did.
CREATE INDEX staff_audit_entity ON store.staff_audit (entity_type, entity_id, id);
CREATE INDEX staff_audit_staff_user ON store.staff_audit (staff_user_id, id);

COMMENT ON TABLE store.staff_audit IS
'Every staff write through an /admin route (internal.audit), with the row before and after. '
'Written by staff across every customer''s orders and the catalog, read by entity: one table '
'beside the catalog and the stock. Sharding: on the coordinator.';
COMMENT ON COLUMN store.staff_audit.id IS 'Audit entry id; increases with time.';
COMMENT ON COLUMN store.staff_audit.staff_user_id IS
'The staff member (store.users.id) who made the change; not a foreign key (users is distributed).';
COMMENT ON COLUMN store.staff_audit.action IS
'What was done, <entity>.<verb>: product.create, product.update, product.image_add, '
'product.image_update, product.image_remove, product.stock_adjust, category.create, '
'category.update, coupon.create, coupon.update, order.status, refund.approve, refund.reject.';
COMMENT ON COLUMN store.staff_audit.entity_type IS 'product, category, coupon, order or refund.';
COMMENT ON COLUMN store.staff_audit.entity_id IS 'Id of the row changed (an image''s: its product).';
COMMENT ON COLUMN store.staff_audit.customer_id IS
'For an order or a refund, the customer it belongs to; NULL for the catalog and coupons.';
COMMENT ON COLUMN store.staff_audit.before IS
'The row before the change (to_jsonb; a product''s images as an array); NULL for a creation.';
COMMENT ON COLUMN store.staff_audit.after IS 'The row after the change.';
COMMENT ON COLUMN store.staff_audit.reason IS
'The reason given, where the route takes one (stock adjustments, refund decisions, status notes).';
COMMENT ON COLUMN store.staff_audit.created_at IS 'When the change was made (its transaction start).';

-- Refund requests: a customer's refund on an order that has shipped waits for staff
-- (docs/api.md "Refunds"). requested: recorded, nothing reserved (payments.amount_refunded
-- unchanged), nothing sent; staff approve it (it becomes pending, its amount reserved, sent to
-- the gateway as any refund) or reject it with a reason.
ALTER TABLE store.refunds
ADD COLUMN decided_by bigint,
ADD COLUMN decided_at timestamptz,
ADD COLUMN rejection_reason text,
DROP CONSTRAINT refunds_status_valid,
ADD CONSTRAINT refunds_status_valid CHECK (
    status IN ('requested', 'rejected', 'pending', 'processed', 'failed')
),
ADD CONSTRAINT refunds_undecided_not_sent CHECK (
    status NOT IN ('requested', 'rejected') OR (gateway_refund_id IS NULL AND processed_at IS NULL)
),
ADD CONSTRAINT refunds_decision_recorded CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
ADD CONSTRAINT refunds_rejected_with_reason CHECK (
    (status = 'rejected') = (rejection_reason IS NOT NULL)
    AND (status <> 'rejected' OR decided_at IS NOT NULL)
),
ADD CONSTRAINT refunds_rejection_reason_length CHECK (char_length(rejection_reason) BETWEEN 1 AND 500);

-- One open request per order: a second waits until the first is decided.
CREATE UNIQUE INDEX refunds_one_request_per_order ON store.refunds (user_id, order_id)
WHERE status = 'requested';
-- Staff find a refund by its id alone, and list the requests oldest first.
CREATE INDEX refunds_id ON store.refunds (id);
CREATE INDEX refunds_requested ON store.refunds (id) WHERE status = 'requested';

COMMENT ON COLUMN store.refunds.status IS
'requested (waiting for staff: nothing reserved or sent), rejected (by staff), pending (asked '
'of the gateway), processed or failed (refund webhooks).';
COMMENT ON COLUMN store.refunds.decided_by IS
'The staff member who approved or rejected a request; NULL for a refund made at once.';
COMMENT ON COLUMN store.refunds.decided_at IS 'When a request was approved or rejected.';
COMMENT ON COLUMN store.refunds.rejection_reason IS
'Why staff rejected the request (shown to the customer); set exactly when rejected.';

-- GET /admin/orders: every customer's orders newest first, all of them or of one status, a
-- page at a time from a (created_at, id) cursor. One customer's use orders_user_created_at.
CREATE INDEX orders_created_at ON store.orders (created_at, id);
CREATE INDEX orders_status_created_at ON store.orders (status, created_at, id);

COMMENT ON COLUMN store.users.is_staff IS
'Staff may use the /admin routes (internal.require_staff); set by a DBA (docs/operations.md).';
