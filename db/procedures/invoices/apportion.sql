-- apportion: p_total paise spread over weights (paise too) in proportion, to whole paise that
-- add up to p_total exactly (the largest-remainder rule): each share is first
-- floor(p_total * weight / sum of weights); the paise left over go one each to the shares with
-- the largest remainders, ties to the earlier weight. Returns the shares in the weights' order;
-- all 0 when the weights add up to 0. Used for the coupon discount over an order's lines and
-- for a credit note over its invoice's lines. Pure arithmetic: reads and locks nothing.
CREATE FUNCTION internal.apportion(p_total bigint, p_weights bigint[])
RETURNS bigint[]
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(array_agg(s.share ORDER BY s.position), '{}')
    FROM (
        SELECT
            f.position,
            f.base + CASE
                WHEN f.weights > 0 AND row_number() OVER (ORDER BY f.remainder DESC, f.position)
                    <= p_total - sum(f.base) OVER () THEN 1
                ELSE 0
            END AS share
        FROM (
            SELECT
                w.position,
                t.weights,
                coalesce(w.weight * p_total / nullif(t.weights, 0), 0) AS base,
                coalesce(w.weight * p_total % nullif(t.weights, 0), 0) AS remainder
            FROM unnest(p_weights) WITH ORDINALITY AS w (weight, position)
            CROSS JOIN (SELECT sum(x)::bigint AS weights FROM unnest(p_weights) AS x) AS t
        ) AS f
    ) AS s
$$;
