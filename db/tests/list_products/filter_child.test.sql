-- list_products child_id: filters exactly as age_months = the child's age today. Needs the
-- token's user (JK401 without), the child must be theirs (JK404 child_not_found), and it does
-- not combine with age_months (JK422). A token of a closed account is refused even without
-- child_id.
BEGIN;

SELECT plan(12);

DO $$
BEGIN
    PERFORM tests.set_id('ages', tests.make_category('Child filter'));
    PERFORM tests.set_id('baby', tests.make_product(tests.id('ages')::integer, 'Baby', p_price => 1,
        p_age_min => 0, p_age_max => 12));
    PERFORM tests.set_id('toddler', tests.make_product(tests.id('ages')::integer, 'Toddler',
        p_price => 2, p_age_min => 12, p_age_max => 36));
    PERFORM tests.set_id('big', tests.make_product(tests.id('ages')::integer, 'Big kid', p_price => 3,
        p_age_min => 37, p_age_max => 216));
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('one_year', tests.make_child(tests.id('user'), 12));
    PERFORM tests.set_id('three_years', tests.make_child(tests.id('user'), 37));
    PERFORM tests.set_id('grown', tests.make_child(tests.id('user'), 0));
    -- Added at 17 years 11 months, now past 18: older than any product's range.
    UPDATE store.children SET date_of_birth = (current_date - interval '19 years')::date
    WHERE id = tests.id('grown');
    PERFORM tests.set_id('theirs', tests.make_child(tests.make_user(), 12));
END
$$;

-- The ids list_products answers for the test category with these arguments.
CREATE FUNCTION pg_temp.ids_for(p_user_id bigint, p_child_id bigint)
RETURNS bigint[]
LANGUAGE sql
AS $$
    SELECT tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_sort => 'price_asc',
        p_user_id => p_user_id, p_child_id => p_child_id
    ))
$$;

SELECT is(
    pg_temp.ids_for(tests.id('user'), tests.id('one_year')), tests.ids('{baby,toddler}'),
    'a child of 12 months: products whose range holds 12 months'
);
SELECT is(
    pg_temp.ids_for(tests.id('user'), tests.id('one_year')),
    tests.item_ids(api.list_products(
        p_category_id => tests.id('ages')::integer, p_sort => 'price_asc', p_age_months => 12
    )),
    'exactly as age_months = 12'
);
SELECT is(
    pg_temp.ids_for(tests.id('user'), tests.id('three_years')), tests.ids('{big}'),
    'a child of 37 months'
);
SELECT is(
    (api.list_products(
        p_category_id => tests.id('ages')::integer, p_user_id => tests.id('user'),
        p_child_id => tests.id('three_years')
    ) -> 'total'),
    '1'::jsonb,
    'total counts the filtered products'
);
SELECT is(
    pg_temp.ids_for(tests.id('user'), tests.id('grown')), '{}'::bigint[],
    'a child now older than 18 years: nothing, and no error'
);
SELECT is(
    pg_temp.ids_for(tests.id('user'), NULL), tests.ids('{baby,toddler,big}'),
    'a token without child_id: no age filter'
);
SELECT throws_ok(
    format($$SELECT pg_temp.ids_for(NULL, %s)$$, tests.id('one_year')),
    'JK401', 'unauthorized', 'child_id without a token is unauthorized'
);
SELECT throws_ok(
    format($$SELECT pg_temp.ids_for(%s, %s)$$, tests.id('user'), tests.id('theirs')),
    'JK404', 'child_not_found', 'another user''s child is not found'
);
SELECT throws_ok(
    format($$SELECT pg_temp.ids_for(%s, 9223372036854775807)$$, tests.id('user')),
    'JK404', 'child_not_found', 'an unknown child is not found'
);
SELECT throws_ok(
    format(
        $$SELECT api.list_products(p_age_months => 12, p_user_id => %s, p_child_id => %s)$$,
        tests.id('user'), tests.id('one_year')
    ),
    'JK422', 'validation_error', 'child_id with age_months is refused'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.list_products(p_age_months => 12, p_user_id => %s, p_child_id => %s)$$,
        tests.id('user'), tests.id('one_year')
    )) ->> 'column',
    'child_id',
    'naming the child_id field'
);
SELECT throws_ok(
    format($$SELECT api.list_products(p_user_id => %s)$$, tests.make_user(p_deleted_at => now())),
    'JK401', 'unauthorized', 'a token of a closed account is unauthorized, child_id or not'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
