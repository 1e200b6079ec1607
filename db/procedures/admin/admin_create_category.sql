-- admin_create_category: POST /admin/categories. A new category, top level or under
-- parent_id, at position (display order among its siblings, default 0), active unless
-- is_active is false. Every cached catalog answer is dropped (the categories' triggers notify
-- everything: db/tables/420). Audited as category.create.
-- Locks nothing beyond the new row. Raises: JK401 unauthorized, JK403 forbidden, JK422
-- validation_error (name 1-100 characters, slug, position 0-32767), JK404 category_not_found
-- (the parent), JK409 category_slug_taken.
-- Returns internal.admin_category_body.
CREATE FUNCTION api.admin_create_category(
    p_user_id bigint,
    p_name text,
    p_slug text,
    p_parent_id integer DEFAULT NULL,
    p_position integer DEFAULT 0,
    p_is_active boolean DEFAULT TRUE
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_name text;
    v_slug text;
    v_parent_id integer;
    v_new store.categories;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_name := internal.check_text(p_name, 'name', 100);
    v_slug := internal.checked_slug(p_slug);
    IF coalesce(p_position, 0) NOT BETWEEN 0 AND 32767 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'position',
            DETAIL = 'position must be between 0 and 32767';
    END IF;
    v_parent_id := internal.checked_category_parent(NULL, p_parent_id);
    BEGIN
        INSERT INTO store.categories AS c (parent_id, name, slug, position, is_active)
        VALUES (v_parent_id, v_name, v_slug, coalesce(p_position, 0), coalesce(p_is_active, TRUE))
        RETURNING c.* INTO v_new;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'category_slug_taken', COLUMN = 'slug',
            DETAIL = format('Another category has the slug %s', v_slug);
    END;
    PERFORM internal.audit(p_user_id, 'category.create', 'category', v_new.id, NULL, to_jsonb(v_new));
    RETURN internal.admin_category_body(v_new);
END
$$;
