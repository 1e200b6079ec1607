-- idempotent_replay: the first half of Idempotency-Key handling (docs/api.md), called first by
-- create_order, register_payment_attempt, attach_gateway_order and initiate_refund. With no
-- key it returns NULL and the request runs as usual. With a key:
--   - takes a transaction-scoped advisory lock on (user, scope, key) without waiting; when
--     another request holds it, raises JK409 idempotency_key_in_use;
--   - a stored answer younger than idempotency_key_ttl() (24 h) for the same arguments:
--     returns it (the caller returns it as is, creating nothing);
--   - one for other arguments: raises JK422 idempotency_key_reused;
--   - none: returns NULL; the caller does the work and stores its answer with
--     remember_response in the same transaction (only successes are stored).
-- p_owner_id is the token's user, already checked by the caller (require_user); internal, so
-- it does not answer the API itself.
-- Locks: the advisory lock, until the transaction ends.
CREATE FUNCTION internal.idempotent_replay(
    p_owner_id bigint, p_scope text, p_key text, p_request jsonb
)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_stored store.idempotency_keys;
BEGIN
    IF p_key IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT pg_try_advisory_xact_lock(
        hashtextextended(format('idempotency:%s:%s:%s', p_owner_id, p_scope, p_key), 0)
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'idempotency_key_in_use',
            DETAIL = 'A request with this Idempotency-Key is still running; retry when it has finished';
    END IF;
    SELECT * INTO v_stored
    FROM store.idempotency_keys AS k
    WHERE k.user_id = p_owner_id AND k.scope = p_scope AND k.key = p_key
        AND k.created_at > now() - internal.idempotency_key_ttl();
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF v_stored.request <> p_request THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'idempotency_key_reused',
            DETAIL = 'This Idempotency-Key was used with a different request; use a new key';
    END IF;
    RETURN v_stored.response;
END
$$;
