-- checked_category_parent: the parent a category may be given: NULL (top level) or an existing
-- category that is neither the category itself nor one of its descendants (the tree stays a
-- tree). p_category_id NULL: a new category, any existing parent will do.
-- Raises JK404 category_not_found (no such parent), JK422 validation_error (column parent_id:
-- a loop). Locks nothing. Returns the parent id.
CREATE FUNCTION internal.checked_category_parent(p_category_id integer, p_parent_id integer)
RETURNS integer
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_parent_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT FROM store.categories AS c WHERE c.id = p_parent_id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'category_not_found',
            DETAIL = format('No category with id %s', p_parent_id);
    END IF;
    IF p_category_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE below AS (
            SELECT p_category_id AS id
            UNION
            SELECT c.id FROM store.categories AS c INNER JOIN below ON c.parent_id = below.id
        )
        SELECT FROM below WHERE below.id = p_parent_id
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'parent_id',
            DETAIL = format('Category %s is %s itself or below it: the tree would loop',
                p_parent_id, p_category_id);
    END IF;
    RETURN p_parent_id;
END
$$;
