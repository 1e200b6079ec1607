-- india_post_state: India Post's state names in our spelling: upper case, "&", a leading
-- "THE", extra spaces and the older names; NULL for a name it does not know.
BEGIN;

SELECT plan(4);

SELECT is(
    array(SELECT internal.india_post_state(upper(s.name)) FROM unnest(internal.indian_states()) AS s (name)),
    internal.indian_states(),
    'each of the 36 names in capitals'
);
SELECT is(
    array(
        SELECT internal.india_post_state(n.name)
        FROM
            unnest(ARRAY[
                'ANDAMAN & NICOBAR ISLANDS', 'THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU',
                'JAMMU & KASHMIR', '  tamil   nadu '
            ]) WITH ORDINALITY AS n (name, ordinal)
        ORDER BY n.ordinal
    ),
    ARRAY[
        'Andaman and Nicobar Islands',
        'Dadra and Nagar Haveli and Daman and Diu',
        'Jammu and Kashmir',
        'Tamil Nadu'
    ],
    '"&", "THE" and spacing'
);
SELECT is(
    array(
        SELECT internal.india_post_state(n.name)
        FROM
            unnest(ARRAY[
                'ORISSA', 'PONDICHERRY', 'UTTARANCHAL', 'CHATTISGARH', 'DAMAN & DIU',
                'DADRA & NAGAR HAVELI', 'NCT OF DELHI'
            ]) WITH ORDINALITY AS n (name, ordinal)
        ORDER BY n.ordinal
    ),
    ARRAY[
        'Odisha', 'Puducherry', 'Uttarakhand', 'Chhattisgarh', 'Dadra and Nagar Haveli and Daman and Diu',
        'Dadra and Nagar Haveli and Daman and Diu', 'Delhi'
    ],
    'older names'
);
SELECT is(
    array(SELECT internal.india_post_state(n.name) FROM unnest(ARRAY['BOMBAY', '', NULL]) AS n (name)),
    ARRAY[NULL, NULL, NULL]::text[],
    'unknown, empty and missing names: NULL'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
