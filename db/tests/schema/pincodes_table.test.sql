-- store.pincodes: its constraints, its state list (the same as the addresses' and
-- internal.indian_states), and the sample db/tables/450_pincodes.sql loads: every state and
-- union territory, some pincodes not served and some served without cash on delivery, and the
-- pincodes the tests, the seed and the benchmark use served with cash on delivery.
BEGIN;

SELECT plan(17);

PREPARE add_pincode (text, text, text, boolean, boolean, smallint) AS
INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES ($1, $2, $3, $4, $5, $6);

SELECT lives_ok(
    $$EXECUTE add_pincode('999001', 'Test District', 'Karnataka', TRUE, TRUE, 3)$$,
    'a serviceable pincode with cash on delivery'
);
SELECT lives_ok(
    $$EXECUTE add_pincode('999002', 'Test District', 'Ladakh', FALSE, FALSE, NULL)$$,
    'a pincode not served, without delivery days'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999001', 'Other', 'Karnataka', TRUE, TRUE, 3)$$,
    '23505', NULL, 'a pincode twice is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('099001', 'Test District', 'Karnataka', TRUE, TRUE, 3)$$,
    '23514', NULL, 'a pincode starting with 0 is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('99900', 'Test District', 'Karnataka', TRUE, TRUE, 3)$$,
    '23514', NULL, 'a five-digit pincode is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', '', 'Karnataka', TRUE, TRUE, 3)$$,
    '23514', NULL, 'an empty district is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', 'Test District', 'KARNATAKA', TRUE, TRUE, 3)$$,
    '23514', NULL, 'a state not spelled as listed is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', 'Test District', 'Karnataka', FALSE, TRUE, NULL)$$,
    '23514', NULL, 'cash on delivery where the store does not deliver is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', 'Test District', 'Karnataka', TRUE, FALSE, NULL)$$,
    '23514', NULL, 'a serviceable pincode without delivery days is refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', 'Test District', 'Karnataka', TRUE, FALSE, 0)$$,
    '23514', NULL, 'zero delivery days are refused'
);
SELECT throws_ok(
    $$EXECUTE add_pincode('999003', 'Test District', 'Karnataka', TRUE, FALSE, 16)$$,
    '23514', NULL, 'more than 15 delivery days are refused'
);

SELECT is(
    tests.sorted_text(internal.indian_states()),
    tests.sorted_text(array(
        SELECT m.match[1]
        FROM pg_catalog.pg_constraint AS k
        CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(k.oid), '''([^'']+)''', 'g') AS m (match)
        WHERE k.conname = 'pincodes_state_valid' AND k.conrelid = 'store.pincodes'::regclass
    )),
    'pincodes_state_valid holds the names of internal.indian_states'
);

DELETE FROM store.pincodes
WHERE pincode IN ('999001', '999002');

SELECT set_eq(
    'SELECT DISTINCT state FROM store.pincodes',
    'SELECT unnest(internal.indian_states())',
    'the sample covers every state and union territory'
);
SELECT cmp_ok((SELECT count(*)::integer FROM store.pincodes), '>=', 150, 'at least 150 sample pincodes');
SELECT cmp_ok(
    (
        SELECT count(*)::integer FROM store.pincodes
        WHERE NOT serviceable
    ), '>=', 5,
    'some sample pincodes are not served'
);
SELECT cmp_ok(
    (
        SELECT count(*)::integer FROM store.pincodes
        WHERE serviceable AND NOT cod_allowed
    ), '>=', 5,
    'some are served without cash on delivery'
);
-- The pincodes the pgTAP factories, the pytest helpers and bench/data.sql give addresses.
SELECT set_eq(
    $$
        SELECT pincode, state FROM store.pincodes
        WHERE serviceable AND cod_allowed AND pincode IN (
            '560001', '560038', '570001', '411001', '600001', '700016', '403001', '400001',
            '110001', '700001', '500001'
        )
    $$,
    $$
        VALUES ('560001', 'Karnataka'), ('560038', 'Karnataka'), ('570001', 'Karnataka'),
        ('411001', 'Maharashtra'), ('600001', 'Tamil Nadu'), ('700016', 'West Bengal'),
        ('403001', 'Goa'), ('400001', 'Maharashtra'), ('110001', 'Delhi'),
        ('700001', 'West Bengal'), ('500001', 'Telangana')
    $$,
    'the pincodes tests and the benchmark use are served with cash on delivery, in their states'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
