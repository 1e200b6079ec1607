-- issue_invoice: gives a confirmed order its tax invoice: the next number of the financial
-- year of p_at (financial_year, Asia/Kolkata), the seller's details as they are now
-- (seller_name, seller_gstin, seller_address), the place of supply (the address's state) and
-- the supply type (intra_state when that is store_state(), else inter_state). Its lines are the
-- order's frozen order_items and order_charges.
-- Called by transition_order on the move pending_payment -> confirmed, in the confirming
-- transaction: the number is taken from store.document_counters under that row's lock
-- (INSERT ... ON CONFLICT DO UPDATE), held to the commit, so concurrent confirmations queue
-- there and take consecutive numbers, and a transaction that rolls back gives its number back.
-- An order that already has an invoice, or that was placed before GST (its lines have no tax:
-- db/tables/470), gets none and takes no number. One statement.
-- Internal. Locks: the counter row of ('invoice', the year). Returns the new invoice row, or a
-- row of NULLs when none was issued.
CREATE FUNCTION internal.issue_invoice(p_user_id bigint, p_order_id bigint, p_at timestamptz DEFAULT now())
RETURNS store.invoices
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_invoice store.invoices;
BEGIN
    WITH eligible AS (
        SELECT o.id, o.address ->> 'state' AS place_of_supply, internal.financial_year(p_at) AS financial_year
        FROM store.orders AS o
        WHERE o.user_id = p_user_id AND o.id = p_order_id
            AND NOT EXISTS (
                SELECT FROM store.order_items AS oi
                WHERE oi.user_id = o.user_id AND oi.order_id = o.id AND oi.hsn_code IS NULL
            )
            AND NOT EXISTS (
                SELECT FROM store.invoices AS i WHERE i.user_id = o.user_id AND i.order_id = o.id
            )
    ),
    counter AS (
        INSERT INTO store.document_counters AS c (series, financial_year, last_number)
        SELECT 'invoice', e.financial_year, 1 FROM eligible AS e
        ON CONFLICT (series, financial_year) DO UPDATE SET last_number = c.last_number + 1
        RETURNING c.last_number
    )
    INSERT INTO store.invoices (
        user_id, order_id, number, financial_year, sequence_number, issued_at, seller_name,
        seller_gstin, seller_address, place_of_supply, supply_type
    )
    SELECT
        p_user_id, e.id, internal.document_number('invoice', e.financial_year, n.last_number),
        e.financial_year, n.last_number, p_at, internal.seller_name(), internal.seller_gstin(),
        internal.seller_address(), e.place_of_supply,
        CASE WHEN e.place_of_supply = internal.store_state() THEN 'intra_state' ELSE 'inter_state' END
    FROM eligible AS e
    CROSS JOIN counter AS n
    RETURNING * INTO v_invoice;
    RETURN v_invoice;
END
$$;
