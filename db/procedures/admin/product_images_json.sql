-- product_images_json: a product's pictures as staff see them, in display order:
-- [{"id", "url" (as stored), "alt", "position", "content_version"}]; [] when it has none. What
-- the audit of a picture change records before and after. Locks nothing.
CREATE FUNCTION internal.product_images_json(p_product_id bigint)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(
        jsonb_agg(
            jsonb_build_object(
                'id', img.id, 'url', img.url, 'alt', img.alt, 'position', img.position,
                'content_version', img.content_version
            )
            ORDER BY img.position
        ),
        '[]'::jsonb
    )
    FROM store.product_images AS img
    WHERE img.product_id = p_product_id
$$;
