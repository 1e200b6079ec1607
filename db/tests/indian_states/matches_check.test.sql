-- indian_states: the 36 names the addresses_state_valid CHECK accepts, no more and no fewer,
-- so that the procedures answer a clear 422 exactly when the CHECK would refuse a row.
BEGIN;

SELECT plan(3);

SELECT is(cardinality(internal.indian_states()), 36, '28 states and 8 union territories');
SELECT is(
    (SELECT count(DISTINCT s.name)::integer FROM unnest(internal.indian_states()) AS s (name)), 36,
    'no name twice'
);
SELECT is(
    tests.sorted_text(internal.indian_states()),
    tests.sorted_text(array(
        SELECT m.match[1]
        FROM pg_catalog.pg_constraint AS k
        CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(k.oid), '''([^'']+)''', 'g') AS m (match)
        WHERE k.conname = 'addresses_state_valid' AND k.conrelid = 'store.addresses'::regclass
    )),
    'the same names as the addresses_state_valid CHECK'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
