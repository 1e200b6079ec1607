-- problem: the error a procedure *returns* (instead of raising) when its writes must be kept,
-- e.g. verify_otp counting a wrong guess. The runtime commits, then answers problem+json.
-- Everything else raises: RAISE EXCEPTION USING ERRCODE = 'JK<status>', MESSAGE = '<code>'.
CREATE FUNCTION internal.problem(p_status integer, p_code text, p_detail text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'error', jsonb_build_object('status', p_status, 'code', p_code, 'detail', p_detail)
    )
$$;
