-- place_product_image: numbers a product's pictures 0, 1, 2... in display order, with
-- p_image_id moved to index p_index (0 first; past the end: last) and the others in their
-- order; p_image_id NULL only closes the gaps (after a removal). Position 0 is the thumbnail
-- lists show. Two statements, so that the unique (product_id, position) never sees two
-- pictures at one place: every picture first goes above the highest position in use, then to
-- its place.
-- Internal; the caller holds the product row. Locks the product's picture rows.
CREATE FUNCTION internal.place_product_image(p_product_id bigint, p_image_id bigint, p_index integer)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_above integer;
BEGIN
    SELECT coalesce(max(img.position), 0) + 1 INTO v_above
    FROM store.product_images AS img
    WHERE img.product_id = p_product_id;
    WITH others AS (
        SELECT img.id, (row_number() OVER (ORDER BY img.position, img.id) - 1)::integer AS n
        FROM store.product_images AS img
        WHERE img.product_id = p_product_id AND img.id IS DISTINCT FROM p_image_id
    ),
    moved AS (
        SELECT least(greatest(coalesce(p_index, 0), 0), (SELECT count(*) FROM others))::integer AS n
    ),
    target AS (
        SELECT o.id, o.n + CASE WHEN o.n >= m.n AND p_image_id IS NOT NULL THEN 1 ELSE 0 END AS n
        FROM others AS o CROSS JOIN moved AS m
        UNION ALL
        SELECT p_image_id, m.n FROM moved AS m WHERE p_image_id IS NOT NULL
    )
    UPDATE store.product_images AS img
    SET position = v_above + t.n
    FROM target AS t
    WHERE img.product_id = p_product_id AND img.id = t.id;
    UPDATE store.product_images AS img
    SET position = img.position - v_above
    WHERE img.product_id = p_product_id;
END
$$;
