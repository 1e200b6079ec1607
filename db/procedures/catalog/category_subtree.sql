-- category_subtree: an active category and all its active descendants (ids), for filters and
-- counts.
CREATE FUNCTION internal.category_subtree(p_category_id integer)
RETURNS SETOF integer
LANGUAGE sql
STABLE
AS $$
    WITH RECURSIVE subtree AS (
        SELECT c.id FROM store.categories AS c WHERE c.id = p_category_id AND c.is_active
        UNION  -- not UNION ALL: a parent loop (A -> B -> A) must end, not recurse forever
        SELECT child.id
        FROM store.categories AS child
        INNER JOIN subtree ON child.parent_id = subtree.id
        WHERE child.is_active
    )
    SELECT subtree.id FROM subtree
$$;
