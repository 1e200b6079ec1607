-- hmac_sha256_hex: lowercase hex HMAC-SHA256, checked against digests computed outside the
-- database (Python's hmac module), for a checkout signature, a webhook body and UTF-8 text.
-- An empty or missing secret raises instead of signing.
BEGIN;

SELECT plan(5);

SELECT is(
    internal.hmac_sha256_hex('order_DaZlswtdcn9UNV|pay_FgR9UMzgmKDJRi', 'dev_key_secret'),
    'aeb0e4147b378224ed58896a34e54cbf6c33f8a4de4865ed2cd1ef86a8589369',
    'a Razorpay checkout signature'
);
SELECT is(
    internal.hmac_sha256_hex('{"event":"payment.captured"}', 'dev_webhook_secret'),
    '35569c6d723b4da8af16bcd564985fd900b0fb5cf31d9e5449062d78a1b396e1',
    'a webhook body signature'
);
SELECT is(
    internal.hmac_sha256_hex('order_A|pay_₹', 'ключ'),
    '2e58e3c1eae9e389fce256769bc8405012e1ee74772643ebcc71e7119b38ca17',
    'message and secret are taken as UTF-8'
);
SELECT throws_ok(
    $$SELECT internal.hmac_sha256_hex('x', '')$$, 'P0001', NULL, 'an empty secret is refused'
);
SELECT throws_ok(
    $$SELECT internal.hmac_sha256_hex('x', NULL)$$, 'P0001', NULL, 'a missing secret is refused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
