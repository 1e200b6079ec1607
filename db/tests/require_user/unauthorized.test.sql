-- require_user, and every token-authenticated cart and coupon procedure through it: a user that
-- no longer exists or closed the account raises JK401 unauthorized before anything happens.
BEGIN;

SELECT plan(19);

DO $$
BEGIN
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now() - interval '1 minute'));
    PERFORM tests.set_id('gone', tests.make_user());
    DELETE FROM store.users WHERE id = tests.id('gone');
    PERFORM tests.set_id('product', tests.make_product(p_stock => 5));
END
$$;

SELECT throws_ok(
    format('SELECT internal.require_user(%s)', tests.id('gone')), 'JK401', 'unauthorized',
    'a user that no longer exists is unauthorized'
);
SELECT throws_ok(
    format('SELECT internal.require_user(%s)', tests.id('closed')), 'JK401', 'unauthorized',
    'a closed account is unauthorized'
);
SELECT throws_ok('SELECT internal.require_user(NULL)', 'JK401', 'unauthorized', 'no user id is unauthorized');
SELECT lives_ok(format('SELECT internal.require_user(%s)', tests.make_user()), 'a live user passes');

SELECT
    throws_ok(
        format('SELECT api.get_cart(%s)', tests.id(u.who)), 'JK401', 'unauthorized',
        format('get_cart: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT api.add_to_cart(%s, %s, 1)', tests.id(u.who), tests.id('product')), 'JK401',
        'unauthorized', format('add_to_cart: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT api.update_cart_quantity(%s, 1, 1)', tests.id(u.who)), 'JK401', 'unauthorized',
        format('update_cart_quantity: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT api.remove_cart_item(%s, 1)', tests.id(u.who)), 'JK401', 'unauthorized',
        format('remove_cart_item: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT api.validate_cart_before_checkout(%s)', tests.id(u.who)), 'JK401',
        'unauthorized', format('validate_cart_before_checkout: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT api.apply_coupon(%s, %L)', tests.id(u.who), 'WELCOME10'), 'JK401',
        'unauthorized', format('apply_coupon: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);
SELECT
    throws_ok(
        format('SELECT internal.cart_body(%s)', tests.id(u.who)), 'JK401', 'unauthorized',
        format('cart_body, which answers the API: %s user', u.who)
    )
FROM (VALUES ('gone'), ('closed')) AS u (who);

SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('closed')
    ), 0,
    'a refused call created no cart'
);
SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
