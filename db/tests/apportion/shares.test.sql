-- apportion: an amount spread over weights in proportion, in whole paise adding up to it
-- exactly (largest remainder, ties to the earlier weight).
BEGIN;

SELECT plan(6);

SELECT is(internal.apportion(10, '{1,1,1}'), '{4,3,3}'::bigint[], 'a tie gives the odd paisa to the first');
SELECT is(internal.apportion(100, '{30000,15000,4999}'), '{60,30,10}'::bigint[], 'in proportion');
SELECT is(
    internal.apportion(5000, '{33333,33333,33334}'), '{1667,1666,1667}'::bigint[],
    'the largest remainders get the paise left over'
);
SELECT is(internal.apportion(0, '{5,7}'), '{0,0}'::bigint[], 'nothing to spread: zeros');
SELECT is(internal.apportion(5, '{0,0}'), '{0,0}'::bigint[], 'no weight: zeros');
SELECT is(
    (
        SELECT array_agg(g.total)
        FROM generate_series(0, 500) AS g (total)
        WHERE (SELECT sum(s) FROM unnest(internal.apportion(g.total, '{129900,49900,7,1}')) AS s) <> g.total
    ),
    NULL::integer[], 'the shares always add up to the amount'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
