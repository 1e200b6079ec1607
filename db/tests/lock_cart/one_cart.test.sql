-- lock_cart: creates the user's cart on first use and returns the same id afterwards; carts of
-- different users are different.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('first', internal.lock_cart(tests.id('user')));
    PERFORM tests.set_id('second', internal.lock_cart(tests.id('user')));
    PERFORM tests.set_id('other', internal.lock_cart(tests.make_user()));
END
$$;

SELECT is(
    (
        SELECT c.id FROM store.carts AS c
        WHERE c.user_id = tests.id('user')
    ), tests.id('first'
    ),
    'the first call created the cart'
);
SELECT is(tests.id('second'), tests.id('first'), 'the second call returns the same cart');
SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('user')
    ), 1, 'one cart per user'
);
SELECT isnt(tests.id('other'), tests.id('first'), 'another user gets another cart');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
