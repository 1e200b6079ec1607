-- update_address: JK404 address_not_found for another user's, a deleted or an unknown address
-- (the row unchanged); JK422 validation_error naming the field; JK401 unauthorized.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('mine', tests.new_address(tests.id('user'), 'Mine'));
    PERFORM tests.set_id('deleted', tests.new_address(tests.id('user'), 'Deleted'));
    UPDATE store.addresses SET deleted_at = now() WHERE id = tests.id('deleted');
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('theirs', tests.new_address(tests.id('other'), 'Theirs'));
    PERFORM tests.set_json('theirs_before', internal.address_json(tests.address_row(tests.id('theirs'))));
END
$$;

-- The SQL of a valid update of address p_address_id by user p_user_id.
CREATE FUNCTION pg_temp.update_sql(p_user_id bigint, p_address_id bigint, p_pincode text DEFAULT '110001')
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        $f$SELECT api.update_address(%s, %s, 'Eve', '9898989898', '1 Evil Lane', 'Delhi', 'Delhi',
            %L, p_is_default => TRUE)$f$,
        coalesce(p_user_id::text, 'NULL'), p_address_id, p_pincode
    )
$$;

SELECT throws_ok(
    pg_temp.update_sql(tests.id('user'), tests.id('theirs')), 'JK404', 'address_not_found',
    'another user''s address is not found'
);
SELECT is(
    internal.address_json(tests.address_row(tests.id('theirs'))), tests.json('theirs_before'),
    'another user''s address is unchanged (and still their default)'
);
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{mine}'),
    'the caller''s default did not move either'
);
SELECT throws_ok(
    pg_temp.update_sql(tests.id('user'), tests.id('deleted')), 'JK404', 'address_not_found',
    'a deleted address is not found'
);
SELECT is(
    (tests.address_row(tests.id('deleted'))).name, 'Deleted', 'the deleted address is unchanged'
);
SELECT throws_ok(
    pg_temp.update_sql(tests.id('user'), 9223372036854775807), 'JK404', 'address_not_found',
    'an unknown address is not found'
);
SELECT throws_ok(
    pg_temp.update_sql(tests.id('user'), tests.id('mine'), '12345'), 'JK422', 'validation_error',
    'a bad field is refused'
);
SELECT is(
    tests.error_of(pg_temp.update_sql(tests.id('user'), tests.id('mine'), '0')) ->> 'column', 'pincode',
    'naming the field'
);
SELECT is(
    (tests.address_row(tests.id('mine'))).name, 'Mine', 'a refused update changes nothing'
);
SELECT throws_ok(
    pg_temp.update_sql(tests.make_user(p_deleted_at => now()), tests.id('mine')), 'JK401', 'unauthorized',
    'a closed account is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
