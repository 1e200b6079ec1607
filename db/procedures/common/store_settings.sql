-- Store settings: the numbers the cart, checkout and stock procedures share. Change one here,
-- run `make db`, and the cart, create_order and the reservations all follow.

-- shipping_fee: shipping in paise for a non-empty order whose subtotal minus discount is
-- p_amount (paise): ₹40, free from ₹499. (An empty cart ships nothing: cart_body says so.)
CREATE FUNCTION internal.shipping_fee(p_amount bigint)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE WHEN p_amount >= 49900 THEN 0 ELSE 4000 END::bigint
$$;

-- reservation_ttl: how long an unpaid order holds its stock (lock_inventory's default expiry).
CREATE FUNCTION internal.reservation_ttl()
RETURNS interval
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT interval '15 minutes'
$$;

-- cart_line_limit: the most units of one product a cart line (and so an order) may hold.
CREATE FUNCTION internal.cart_line_limit()
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 10
$$;

-- idempotency_key_ttl: how long an answer stored under an Idempotency-Key is replayed (docs/api.md:
-- 24 h); the sweeper deletes older ones.
CREATE FUNCTION internal.idempotency_key_ttl()
RETURNS interval
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT interval '24 hours'
$$;

-- refresh_token_ttl: how long a refresh token may wait to be spent (each refresh issues a new
-- one, so an app in use stays logged in; one left unused this long must log in again).
CREATE FUNCTION internal.refresh_token_ttl()
RETURNS interval
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT interval '30 days'
$$;

-- cod_fee: the cash-on-delivery fee in paise added to a COD order's total (₹49); 0 charges none.
CREATE FUNCTION internal.cod_fee()
RETURNS bigint
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 4900::bigint
$$;

-- cod_limit: the largest total in paise, fee included, that may be paid in cash (₹10,000).
CREATE FUNCTION internal.cod_limit()
RETURNS bigint
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 1000000::bigint
$$;

-- cod_open_order_limit: how many cash-on-delivery orders a customer may have on the way
-- (confirmed, packed or shipped) before another one is refused.
CREATE FUNCTION internal.cod_open_order_limit()
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 2
$$;

-- store_state: the state the store ships from and is registered in for GST; an order to an
-- address in it is taxed CGST + SGST, elsewhere IGST.
CREATE FUNCTION internal.store_state()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'Maharashtra'
$$;

-- seller_name, seller_gstin, seller_address: the registered seller printed on every invoice and
-- credit note (copied onto each when it is issued, so a later change leaves issued ones as they
-- were). The GSTIN is Maharashtra's (state code 27, internal.store_state()) and carries a valid
-- check digit (internal.gstin_check_digit; a pgTAP test checks it).
CREATE FUNCTION internal.seller_name()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'JioKidz Retail Private Limited'
$$;

CREATE FUNCTION internal.seller_gstin()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT '27AAGCJ4821K1ZD'
$$;

CREATE FUNCTION internal.seller_address()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'Unit 4, Sai Industrial Estate, Bhosari MIDC, Pune, Maharashtra 411026'
$$;

-- document_prefix: the start of every invoice number (JK/2026-27/000001) and credit note
-- number (JK/CN/2026-27/000001).
CREATE FUNCTION internal.document_prefix()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'JK'
$$;

-- service_sac_code, service_gst_rate: how the charges of an order (shipping, the COD fee) are
-- taxed on its invoice: as a service, SAC 996812 (courier services) at 18 %. Like products'
-- prices, the charges include their GST.
CREATE FUNCTION internal.service_sac_code()
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT '996812'
$$;

CREATE FUNCTION internal.service_gst_rate()
RETURNS smallint
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 18::smallint
$$;
