-- remember_response: the second half of Idempotency-Key handling: stores a success answer
-- under the key (replacing one older than idempotency_key_ttl()) and returns the answer. No key: only returns
-- it. Called in the transaction that did the work, after idempotent_replay took the lock.
CREATE FUNCTION internal.remember_response(
    p_owner_id bigint, p_scope text, p_key text, p_request jsonb, p_response jsonb
)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.idempotency_keys AS k (user_id, scope, key, request, response)
    SELECT p_owner_id, p_scope, p_key, p_request, p_response
    WHERE p_key IS NOT NULL
    ON CONFLICT (user_id, scope, key) DO UPDATE
    SET request = excluded.request, response = excluded.response, created_at = now();
    SELECT p_response;
$$;
