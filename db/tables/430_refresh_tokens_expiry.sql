-- The sweeper deletes refresh tokens past their expiry (api.sweep): without it every token
-- ever issued, spent ones included, stays, some 30 a user a month. Past expires_at a token is
-- refused whatever its row says, so nothing is lost. The index finds the oldest first.
CREATE INDEX refresh_tokens_expires_at ON store.refresh_tokens (expires_at);
