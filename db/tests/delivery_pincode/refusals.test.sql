-- delivery_pincode: the row of a served pincode (cod_allowed and delivery_days with it);
-- JK422 pincode_not_serviceable, naming the pincode, for one not served or not known.
BEGIN;

SELECT plan(5);

INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES
('999201', 'Test Served', 'Assam', TRUE, FALSE, 6),
('999202', 'Test Remote', 'Assam', FALSE, FALSE, NULL);

SELECT is(
    (SELECT (p.pincode, p.cod_allowed, p.delivery_days)::text FROM internal.delivery_pincode('999201') AS p),
    '(999201,f,6)',
    'a served pincode: its row'
);
SELECT throws_ok(
    $$SELECT internal.delivery_pincode('999202')$$, 'JK422', 'pincode_not_serviceable',
    'a pincode not served'
);
SELECT throws_ok(
    $$SELECT internal.delivery_pincode('999203')$$, 'JK422', 'pincode_not_serviceable',
    'a pincode not known'
);
SELECT matches(
    tests.error_of($$SELECT internal.delivery_pincode('999202')$$) ->> 'detail', '999202',
    'the detail names the pincode'
);
SELECT throws_ok(
    $$SELECT internal.delivery_pincode(NULL)$$, 'JK422', 'pincode_not_serviceable', 'no pincode'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
