-- child_json: a child as the API shows it, with age_months computed now.
CREATE FUNCTION internal.child_json(p_child store.children)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_child.id, 'name', p_child.name, 'date_of_birth', p_child.date_of_birth,
        'gender', p_child.gender, 'age_months', internal.age_months(p_child.date_of_birth)
    )
$$;
