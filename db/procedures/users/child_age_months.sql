-- child_age_months: the current age in months of a child of the user, for the catalog filter
-- (list_products child_id) and child_recommendations.
-- Raises JK404 child_not_found (unknown or another user's).
CREATE FUNCTION internal.child_age_months(p_user_id bigint, p_child_id bigint)
RETURNS integer
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_date_of_birth date;
BEGIN
    SELECT c.date_of_birth INTO v_date_of_birth
    FROM store.children AS c
    WHERE c.user_id = p_user_id AND c.id = p_child_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'child_not_found',
            DETAIL = format('No child with id %s', p_child_id);
    END IF;
    RETURN internal.age_months(v_date_of_birth);
END
$$;
