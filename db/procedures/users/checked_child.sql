-- checked_child: the fields of a child as create_child and update_child store them: name
-- trimmed, gender 'unspecified' when not given. Only those fields are set.
-- Raises JK422 validation_error naming the field: name (1-100 characters), date_of_birth
-- (missing, in the future, or more than 18 years ago), gender (boy, girl or unspecified).
CREATE FUNCTION internal.checked_child(p_name text, p_date_of_birth date, p_gender text)
RETURNS store.children
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_child store.children;
BEGIN
    v_child.name := internal.check_text(p_name, 'name', 100);
    IF p_date_of_birth IS NULL
        OR p_date_of_birth > current_date
        OR p_date_of_birth < current_date - interval '18 years' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'date_of_birth',
            DETAIL = 'date_of_birth must be a date between 18 years ago and today';
    END IF;
    v_child.date_of_birth := p_date_of_birth;
    v_child.gender := coalesce(p_gender, 'unspecified');
    IF v_child.gender NOT IN ('boy', 'girl', 'unspecified') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'gender',
            DETAIL = 'gender must be boy, girl or unspecified';
    END IF;
    RETURN v_child;
END
$$;
