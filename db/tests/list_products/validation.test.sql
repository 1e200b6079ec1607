-- list_products: bad pagination, sort, gender, price bounds or age raise JK422 validation_error
-- naming the field; the edge values are accepted.
BEGIN;

SELECT plan(22);

SELECT throws_ok(
    $$SELECT api.list_products(p_page => 0)$$, 'JK422', 'validation_error', 'page 0 is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_page_size => 101)$$, 'JK422', 'validation_error',
    'page_size 101 is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_page_size => 0)$$, 'JK422', 'validation_error',
    'page_size 0 is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_sort => 'cheapest')$$, 'JK422', 'validation_error',
    'an unknown sort is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_sort => 'PRICE_ASC')$$, 'JK422', 'validation_error',
    'sort names are lower case'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_sort => NULL)$$, 'JK422', 'validation_error', 'a NULL sort is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_gender => 'male')$$, 'JK422', 'validation_error',
    'an unknown gender is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_gender => 'unisex')$$, 'JK422', 'validation_error',
    'gender unisex is not a filter value (boy and girl already include it)'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_min_price => 500, p_max_price => 499)$$, 'JK422', 'validation_error',
    'min_price above max_price is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_min_price => -1)$$, 'JK422', 'validation_error',
    'a negative min_price is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_max_price => -1)$$, 'JK422', 'validation_error',
    'a negative max_price is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_age_months => -1)$$, 'JK422', 'validation_error',
    'age_months -1 is refused'
);
SELECT throws_ok(
    $$SELECT api.list_products(p_age_months => 217)$$, 'JK422', 'validation_error',
    'age_months above 216 is refused'
);

SELECT is(
    tests.error_of($$SELECT api.list_products(p_page => 0)$$) ->> 'column', 'page',
    'a bad page names the page field'
);
SELECT is(
    tests.error_of($$SELECT api.list_products(p_page_size => 101)$$) ->> 'column', 'page_size',
    'a bad page_size names the page_size field'
);
SELECT is(
    tests.error_of($$SELECT api.list_products(p_sort => 'x')$$) ->> 'column', 'sort',
    'a bad sort names the sort field'
);
SELECT is(
    tests.error_of($$SELECT api.list_products(p_gender => 'x')$$) ->> 'column', 'gender',
    'a bad gender names the gender field'
);
SELECT is(
    tests.error_of($$SELECT api.list_products(p_min_price => 2, p_max_price => 1)$$) ->> 'column',
    'min_price',
    'bad price bounds name the min_price field'
);
SELECT is(
    tests.error_of($$SELECT api.list_products(p_age_months => -1)$$) ->> 'column', 'age_months',
    'a bad age names the age_months field'
);

SELECT lives_ok(
    $$SELECT api.list_products(p_age_months => 0), api.list_products(p_age_months => 216)$$,
    'age_months 0 and 216 are accepted'
);
SELECT lives_ok(
    $$SELECT api.list_products(p_min_price => 0, p_max_price => 0)$$,
    'price bounds of 0 are accepted'
);
SELECT lives_ok(
    $$SELECT api.list_products(p_gender => 'boy'), api.list_products(p_gender => 'girl')$$,
    'gender boy and girl are accepted'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
