-- get_pincode: a known pincode's answer; not served: serviceable and cod_available false,
-- delivery_days null; served without cash on delivery; JK404 pincode_not_found for an unknown
-- pincode; JK422 validation_error (pincode) for a malformed one.
BEGIN;

SELECT plan(7);

INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES
('999101', 'Test Served', 'Kerala', TRUE, TRUE, 3),
('999102', 'Test Prepaid', 'Sikkim', TRUE, FALSE, 8),
('999103', 'Test Remote', 'Lakshadweep', FALSE, FALSE, NULL);

SELECT is(
    api.get_pincode('999101'),
    '{"pincode": "999101", "serviceable": true, "cod_available": true, "state": "Kerala",
      "district": "Test Served", "delivery_days": 3}'::jsonb,
    'a served pincode with cash on delivery'
);
SELECT is(
    api.get_pincode('999102') - 'district' - 'state',
    '{"pincode": "999102", "serviceable": true, "cod_available": false, "delivery_days": 8}'::jsonb,
    'served without cash on delivery'
);
SELECT is(
    api.get_pincode('999103') - 'district',
    '{"pincode": "999103", "serviceable": false, "cod_available": false, "state": "Lakshadweep",
      "delivery_days": null}'::jsonb,
    'not served: no cash on delivery, no delivery days'
);
SELECT is(
    api.get_pincode('560038') ->> 'state', 'Karnataka', 'a sample pincode from db/tables/450'
);
SELECT throws_ok($$SELECT api.get_pincode('999104')$$, 'JK404', 'pincode_not_found', 'an unknown pincode');
SELECT is(
    tests.error_of($$SELECT api.get_pincode('012345')$$) ->> 'column', 'pincode',
    'a pincode starting with 0 is a validation error naming pincode'
);
SELECT throws_ok($$SELECT api.get_pincode('56003')$$, 'JK422', 'validation_error', 'a 5-digit pincode');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
