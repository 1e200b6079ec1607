-- admin_category_body: a category as staff see it, active or not: {"id", "parent_id", "name",
-- "slug", "position", "is_active", "created_at"}. Locks nothing.
CREATE FUNCTION internal.admin_category_body(p_category store.categories)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_category.id, 'parent_id', p_category.parent_id, 'name', p_category.name,
        'slug', p_category.slug, 'position', p_category.position,
        'is_active', p_category.is_active, 'created_at', p_category.created_at
    )
$$;
