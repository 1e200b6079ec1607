-- admin_update_category: PATCH /admin/categories/{id}. Changes only the fields sent (left out
-- or null: unchanged): name, slug, parent_id (a category that is not this one or below it;
-- a category cannot be moved back to the top level here), position, is_active (false hides
-- it and its sub-categories from the tree and from category filters; its products stay on
-- sale). Audited as category.update with the row before and after (nothing when nothing
-- changed).
-- Locks: the category row. Raises: JK401 unauthorized, JK403 forbidden, JK404
-- category_not_found (the category or the parent), JK422 validation_error (name, slug,
-- position, parent_id making a loop), JK409 category_slug_taken.
-- Returns internal.admin_category_body.
CREATE FUNCTION api.admin_update_category(
    p_user_id bigint,
    p_category_id integer,
    p_name text DEFAULT NULL,
    p_slug text DEFAULT NULL,
    p_parent_id integer DEFAULT NULL,
    p_position integer DEFAULT NULL,
    p_is_active boolean DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_old store.categories;
    v_new store.categories;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    SELECT * INTO v_old FROM store.categories AS c WHERE c.id = p_category_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'category_not_found',
            DETAIL = format('No category with id %s', p_category_id);
    END IF;
    v_new := v_old;
    v_new.name := internal.check_text(coalesce(p_name, v_old.name), 'name', 100);
    v_new.slug := internal.checked_slug(coalesce(p_slug, v_old.slug));
    IF p_position IS NOT NULL THEN
        IF p_position NOT BETWEEN 0 AND 32767 THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'position',
                DETAIL = 'position must be between 0 and 32767';
        END IF;
        v_new.position := p_position;
    END IF;
    IF p_parent_id IS NOT NULL THEN
        v_new.parent_id := internal.checked_category_parent(p_category_id, p_parent_id);
    END IF;
    v_new.is_active := coalesce(p_is_active, v_old.is_active);
    IF v_new IS DISTINCT FROM v_old THEN
        BEGIN
            UPDATE store.categories AS c
            SET name = v_new.name, slug = v_new.slug, parent_id = v_new.parent_id,
                position = v_new.position, is_active = v_new.is_active
            WHERE c.id = p_category_id;
        EXCEPTION WHEN unique_violation THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK409', MESSAGE = 'category_slug_taken', COLUMN = 'slug',
                DETAIL = format('Another category has the slug %s', v_new.slug);
        END;
        PERFORM internal.audit(
            p_user_id, 'category.update', 'category', p_category_id, to_jsonb(v_old), to_jsonb(v_new)
        );
    END IF;
    RETURN internal.admin_category_body(v_new);
END
$$;
