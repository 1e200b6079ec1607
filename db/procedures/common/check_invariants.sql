-- check_invariants: the money and stock rules that must hold across the whole store, checked
-- from the rows. Returns the violations as a jsonb array of {"rule", "detail"}; an empty array
-- means every rule holds. Tests call it after every journey and race; a DBA can run it at any
-- time (it reads every order, payment, refund and stock row: nightly, not per request):
--     psql "$DATABASE_URL" -Atc 'SELECT internal.check_invariants()'
-- "Paid" means the order's payment was captured, whatever the order's status now: orders
-- cancelled after payment and late captures are paid, and refunded (rules 5 and 6).
--  1 payment_amount_is_order_total  every payment asks exactly its order's total
--  2 captured_equals_paid_totals    sum of captures = sum of the totals of paid orders
--  3 captured_once                  an order has at most one captured payment, one captured
--                                   attempt and one move to confirmed
--  4 paid_status_needs_capture      online orders confirmed, packed, shipped, delivered,
--                                   partially_refunded or refunded have a captured payment
--  5 capture_moves_unpaid_order     no captured payment is left on a pending_payment order
--  6 closed_orders_refunded         a cancelled, expired or payment_failed order that was paid
--                                   has refunds (pending or processed) for the whole capture
--  7 refunds_match_payment          refunds pending or processed add up to
--                                   payments.amount_refunded, which is at most the capture;
--                                   refunds (requests included) only of captures; a request
--                                   (requested) or a rejected one reserves nothing
--  8 refund_status_matches          refunded: processed refunds = capture; partially_refunded:
--                                   some but not all of it processed
--  9 stock_never_negative           on_hand >= 0 and the units reserved now <= on_hand
-- 10 coupon_uses_counted            used_count = the coupon's redeemed uses
-- 11 closed_orders_hold_no_stock    orders no longer pending hold no active reservation
-- 12 status_actors_exist            every customer or staff member a status change names is a
--                                   user (no foreign key since db/tables/400: docs/scaling.md)
-- 13 events_published               every event committed a minute ago or more has been
--                                   published (the relay is running and RabbitMQ takes them)
-- 14 cod_never_captured             a cash-on-delivery order has no payment: its money is
--                                   never counted as captured (rule 2); the courier collects it
-- 15 cod_statuses                   cash-on-delivery orders are confirmed when placed and never
--                                   refunded through the gateway; cod_collected and returned
--                                   are theirs alone
-- 16 cod_stock_sold                 a cash-on-delivery order on its way or delivered has sold
--                                   every line; a cancelled or returned one put them back
-- 17 order_tax_adds_up              an order with tax lines (placed since db/tables/470): its
--                                   lines' discount shares add up to its discount, and the
--                                   taxable values and taxes of its lines and charges to its
--                                   total; each charge is on the order (shipping, cod_fee)
-- 18 invoices_gapless               each series (invoice, credit_note) numbers each financial
--                                   year 1..n, once each, n being its counter; an order has an
--                                   invoice exactly when it was confirmed from pending_payment
--                                   with tax lines
-- 19 credit_notes_within_invoice    an invoice's credit notes add up to at most its total; a
--                                   processed refund of an invoiced order has a credit note of
--                                   its amount
CREATE FUNCTION internal.check_invariants()
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    WITH refund_sums AS (
        SELECT
            r.user_id, r.payment_id,
            sum(r.amount) FILTER (WHERE r.status IN ('pending', 'processed')) AS live,
            sum(r.amount) FILTER (WHERE r.status = 'processed') AS processed
        FROM store.refunds AS r
        GROUP BY r.user_id, r.payment_id
    ),
    paid AS (
        SELECT o.user_id, o.id AS order_id, o.status, o.total, p.id AS payment_id,
            p.amount_captured, p.amount_refunded,
            coalesce(s.live, 0) AS live_refunds, coalesce(s.processed, 0) AS processed_refunds
        FROM store.orders AS o
        INNER JOIN store.payments AS p ON p.user_id = o.user_id AND p.order_id = o.id
        LEFT JOIN refund_sums AS s ON s.user_id = p.user_id AND s.payment_id = p.id
        WHERE p.status = 'captured'
    ),
    violations (rule, detail) AS (
        SELECT 'payment_amount_is_order_total',
            format('payment %s asks %s for order %s whose total is %s', p.id, p.amount, o.id, o.total)
        FROM store.payments AS p
        INNER JOIN store.orders AS o ON o.user_id = p.user_id AND o.id = p.order_id
        WHERE p.amount <> o.total
        UNION ALL
        SELECT 'captured_equals_paid_totals',
            format('captured %s, paid order totals %s', c.captured, c.totals)
        FROM (
            SELECT
                (SELECT coalesce(sum(p.amount_captured), 0) FROM store.payments AS p) AS captured,
                (SELECT coalesce(sum(paid.total), 0) FROM paid) AS totals
        ) AS c
        WHERE c.captured <> c.totals
        UNION ALL
        SELECT 'captured_once', format('order %s: %s captured attempts', p.order_id, count(*))
        FROM store.payment_attempts AS a
        INNER JOIN store.payments AS p ON p.user_id = a.user_id AND p.id = a.payment_id
        WHERE a.status = 'captured'
        GROUP BY p.user_id, p.order_id
        HAVING count(*) > 1
        UNION ALL
        SELECT 'captured_once', format('order %s confirmed %s times', h.order_id, count(*))
        FROM store.order_status_history AS h
        WHERE h.to_status = 'confirmed'
        GROUP BY h.user_id, h.order_id
        HAVING count(*) > 1
        UNION ALL
        SELECT 'paid_status_needs_capture', format('order %s is %s without a capture', o.id, o.status)
        FROM store.orders AS o
        WHERE o.status IN ('confirmed', 'packed', 'shipped', 'delivered', 'partially_refunded', 'refunded')
            AND o.payment_method = 'online'
            AND NOT EXISTS (
                SELECT FROM paid WHERE paid.user_id = o.user_id AND paid.order_id = o.id
            )
        UNION ALL
        SELECT 'capture_moves_unpaid_order', format('order %s is pending_payment but paid', paid.order_id)
        FROM paid
        WHERE paid.status = 'pending_payment'
        UNION ALL
        SELECT 'closed_orders_refunded',
            format('order %s is %s, captured %s, refunds %s', paid.order_id, paid.status,
                paid.amount_captured, paid.live_refunds)
        FROM paid
        WHERE paid.status IN ('cancelled', 'expired', 'payment_failed')
            AND paid.live_refunds <> paid.amount_captured
        UNION ALL
        SELECT 'refunds_match_payment',
            format('payment %s: amount_refunded %s, refunds %s, captured %s', p.id, p.amount_refunded,
                coalesce(s.live, 0), p.amount_captured)
        FROM store.payments AS p
        LEFT JOIN refund_sums AS s ON s.user_id = p.user_id AND s.payment_id = p.id
        WHERE p.amount_refunded <> coalesce(s.live, 0)
            OR coalesce(s.live, 0) > p.amount_captured
            OR (p.status <> 'captured' AND s.payment_id IS NOT NULL)
        UNION ALL
        SELECT 'refund_status_matches',
            format('order %s is %s with %s of %s processed', paid.order_id, paid.status,
                paid.processed_refunds, paid.amount_captured)
        FROM paid
        WHERE (paid.status = 'refunded' AND paid.processed_refunds <> paid.amount_captured)
            OR (paid.status = 'partially_refunded'
                AND paid.processed_refunds NOT BETWEEN 1 AND paid.amount_captured - 1)
        UNION ALL
        SELECT 'stock_never_negative',
            format('product %s: on hand %s, reserved %s', i.product_id, i.on_hand, coalesce(l.reserved, 0))
        FROM store.inventory AS i
        LEFT JOIN (
            SELECT a.product_id, sum(a.quantity) AS reserved
            FROM store.inventory_locks AS a
            WHERE a.status = 'active' AND a.expires_at > now()
            GROUP BY a.product_id
        ) AS l ON l.product_id = i.product_id
        WHERE i.on_hand < 0 OR coalesce(l.reserved, 0) > i.on_hand
        UNION ALL
        SELECT 'coupon_uses_counted',
            format('coupon %s: used_count %s, redeemed uses %s', c.id, c.used_count, count(u.id))
        FROM store.coupons AS c
        LEFT JOIN store.coupon_usage AS u ON u.coupon_id = c.id AND u.status = 'redeemed'
        GROUP BY c.id
        HAVING c.used_count <> count(u.id)
        UNION ALL
        SELECT DISTINCT 'closed_orders_hold_no_stock',
            format('order %s is %s and still reserves stock', o.id, o.status)
        FROM store.orders AS o
        INNER JOIN store.inventory_locks AS l ON l.user_id = o.user_id AND l.order_id = o.id
        WHERE o.status <> 'pending_payment' AND l.status = 'active'
        UNION ALL
        -- Each actor once, however many changes name them.
        SELECT 'status_actors_exist', format('status changes name user %s, who does not exist', a.id)
        FROM (
            SELECT DISTINCT h.actor_user_id AS id
            FROM store.order_status_history AS h
            WHERE h.actor_user_id IS NOT NULL
        ) AS a
        LEFT JOIN store.users AS u ON a.id = u.id
        WHERE u.id IS NULL
        UNION ALL
        SELECT 'events_published',
            format('%s events written before %s are unpublished, the oldest %s (%s)',
                count(*), now() - interval '1 minute', min(e.id), (array_agg(e.topic ORDER BY e.id))[1])
        FROM store.outbox_events AS e
        WHERE e.published_at IS NULL AND e.created_at <= now() - interval '1 minute'
        HAVING count(*) > 0
        UNION ALL
        SELECT 'cod_never_captured',
            format('cash-on-delivery order %s has payment %s (%s)', o.id, p.id, p.status)
        FROM store.orders AS o
        INNER JOIN store.payments AS p ON p.user_id = o.user_id AND p.order_id = o.id
        WHERE o.payment_method = 'cod'
        UNION ALL
        SELECT 'cod_statuses', format('%s order %s is %s', o.payment_method, o.id, o.status)
        FROM store.orders AS o
        WHERE (o.payment_method = 'cod'
            AND o.status IN ('pending_payment', 'expired', 'payment_failed', 'partially_refunded', 'refunded'))
            OR (o.payment_method = 'online' AND o.status IN ('cod_collected', 'returned'))
        UNION ALL
        SELECT 'cod_stock_sold', format('cash-on-delivery order %s is %s and %s', o.id, o.status,
            CASE WHEN o.restocked_at IS NULL THEN 'holds unsold lines' ELSE 'was restocked' END)
        FROM store.orders AS o
        WHERE o.payment_method = 'cod'
            AND CASE
                WHEN o.status IN ('cancelled', 'returned') THEN o.restocked_at IS NULL
                ELSE o.restocked_at IS NOT NULL OR EXISTS (
                    SELECT FROM store.order_items AS oi
                    LEFT JOIN store.inventory_locks AS l
                        ON l.user_id = oi.user_id AND l.order_id = oi.order_id
                        AND l.product_id = oi.product_id AND l.status = 'consumed'
                    WHERE oi.user_id = o.user_id AND oi.order_id = o.id AND l.id IS NULL
                )
            END
        UNION ALL
        SELECT 'order_tax_adds_up',
            format('order %s: total %s, discount %s; lines and charges: taxable %s + tax %s, shares %s',
                o.id, o.total, o.discount, t.taxable, t.tax, t.shares)
        FROM store.orders AS o
        INNER JOIN LATERAL (
            SELECT sum(x.taxable) AS taxable, sum(x.tax) AS tax, sum(x.share) AS shares,
                bool_or(x.taxable IS NULL) AS untaxed, bool_and(x.charge_ok) AS charges_ok
            FROM (
                SELECT oi.taxable_value AS taxable, oi.cgst + oi.sgst + oi.igst AS tax,
                    oi.discount_share AS share, TRUE AS charge_ok
                FROM store.order_items AS oi
                WHERE oi.user_id = o.user_id AND oi.order_id = o.id
                UNION ALL
                SELECT c.taxable_value, c.cgst + c.sgst + c.igst, 0,
                    c.amount = CASE c.kind WHEN 'shipping' THEN o.shipping ELSE o.cod_fee END
                FROM store.order_charges AS c
                WHERE c.user_id = o.user_id AND c.order_id = o.id
            ) AS x
        ) AS t ON NOT t.untaxed
        WHERE t.taxable + t.tax <> o.total OR t.shares <> o.discount OR NOT t.charges_ok
        UNION ALL
        SELECT 'invoices_gapless',
            format('%s numbers of %s: %s issued, %s distinct, from %s to %s, counter at %s', s.series,
                s.financial_year, s.issued, s.distinct_numbers, s.first, s.last, s.counter)
        FROM (
            SELECT
                coalesce(x.series, c.series) AS series,
                coalesce(x.financial_year, c.financial_year) AS financial_year,
                count(x.sequence_number) AS issued,
                count(DISTINCT x.sequence_number) AS distinct_numbers,
                min(x.sequence_number) AS first, max(x.sequence_number) AS last,
                max(c.last_number) AS counter
            FROM (
                SELECT 'invoice' AS series, i.financial_year, i.sequence_number
                FROM store.invoices AS i
                UNION ALL
                SELECT 'credit_note', n.financial_year, n.sequence_number
                FROM store.credit_notes AS n
            ) AS x
            FULL JOIN store.document_counters AS c
                ON c.series = x.series AND c.financial_year = x.financial_year
            GROUP BY 1, 2
        ) AS s
        WHERE s.issued <> s.distinct_numbers OR s.issued <> coalesce(s.counter, 0)
            OR coalesce(s.last, 0) <> s.issued OR s.first <> 1
        UNION ALL
        SELECT 'invoices_gapless',
            format('order %s was %s and has %s invoices', o.id,
                CASE WHEN c.confirmed THEN 'confirmed' ELSE 'never confirmed' END, i.invoices)
        FROM store.orders AS o
        CROSS JOIN LATERAL (
            SELECT EXISTS (
                SELECT FROM store.order_status_history AS h
                WHERE h.user_id = o.user_id AND h.order_id = o.id
                    AND h.from_status = 'pending_payment' AND h.to_status = 'confirmed'
            ) AS confirmed
        ) AS c
        CROSS JOIN LATERAL (
            SELECT count(*) AS invoices
            FROM store.invoices AS iv
            WHERE iv.user_id = o.user_id AND iv.order_id = o.id
        ) AS i
        WHERE i.invoices <> CASE WHEN c.confirmed THEN 1 ELSE 0 END
            AND (
                SELECT bool_and(oi.hsn_code IS NOT NULL)
                FROM store.order_items AS oi
                WHERE oi.user_id = o.user_id AND oi.order_id = o.id
            )
        UNION ALL
        SELECT 'credit_notes_within_invoice',
            format('invoice %s: credit notes of %s against a total of %s', i.number, n.credited, o.total)
        FROM store.invoices AS i
        INNER JOIN store.orders AS o ON o.user_id = i.user_id AND o.id = i.order_id
        INNER JOIN (
            SELECT cn.user_id, cn.invoice_id, sum(cn.amount) AS credited
            FROM store.credit_notes AS cn
            GROUP BY cn.user_id, cn.invoice_id
        ) AS n ON n.user_id = i.user_id AND n.invoice_id = i.id
        WHERE n.credited > o.total
        UNION ALL
        SELECT 'credit_notes_within_invoice',
            format('refund %s of %s on order %s has a credit note of %s', r.id, r.amount, r.order_id,
                coalesce(n.amount::text, 'none'))
        FROM store.refunds AS r
        INNER JOIN store.invoices AS i ON i.user_id = r.user_id AND i.order_id = r.order_id
        LEFT JOIN store.credit_notes AS n ON n.user_id = r.user_id AND n.refund_id = r.id
        WHERE r.status = 'processed' AND n.amount IS DISTINCT FROM r.amount
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('rule', v.rule, 'detail', v.detail)), '[]'::jsonb)
    FROM violations AS v
$$;
