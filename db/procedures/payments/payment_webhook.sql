-- payment_webhook: POST /payments/webhook, Razorpay's events. In this order:
--   1. the signature: X-Razorpay-Signature must be the hex HMAC-SHA256 of the raw body keyed
--      with the webhook secret (constant_time_equals); otherwise JK400 invalid_signature and
--      nothing is written. The body is parsed as JSON only after this check, from a copy in
--      which each \u0000 escape (a backslash preceded by an even number of backslashes, so not
--      the text \\u0000) reads \ufffd: jsonb cannot hold U+0000, and a signed event must be
--      recorded all the same. store.webhook_events.payload holds that parsed copy (U+FFFD for
--      U+0000); the signature and the "body:" event id are computed on the raw text.
--   2. dedupe: the event id (X-Razorpay-Event-Id; without it, "body:" and the SHA-256 of the
--      body) is inserted into store.webhook_events; an id seen before answers "duplicate" and
--      changes nothing. Two deliveries at once queue on the unique key.
--   3. the event, found by the gateway ids we stored:
--      payment.captured  capture_payment (the amount and currency must be the payment's)
--      payment.failed    record_payment_failure (never undoes a capture)
--      refund.processed, refund.failed  settle_refund. A refund we asked for but whose gateway
--                        id is not stored yet (the gateway answered us a moment ago) raises
--                        JK409 refund_not_ready, nothing recorded, so Razorpay delivers again.
--      anything else, or ids we do not know: recorded and ignored.
--   The outcome is stored with the event and answered with 200, also for a rejected capture
--   (amount_mismatch): Razorpay would otherwise retry it for 24 h; the API logs it.
-- Locks: the webhook_events key, then as the procedure the event leads to.
-- Raises: JK400 invalid_signature, 22P02 (a signed body that is not JSON; the API answers 422
-- validation_error), JK409 refund_not_ready.
-- Returns {"status": "processed" | "duplicate", "event_id", "event", "outcome"}. A late
-- capture's refund is pending: the refunds consumer sends it to the gateway.
CREATE FUNCTION api.payment_webhook(
    p_raw_body text, p_signature text, p_event_id text, p_webhook_secret text
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_event jsonb;
    v_event_id text;
    v_type text;
    v_entity jsonb;
    v_payment store.payments;
    v_refund store.refunds;
    v_capture record;
    v_outcome text := 'ignored';
BEGIN
    IF NOT internal.constant_time_equals(internal.hmac_sha256_hex(p_raw_body, p_webhook_secret), p_signature) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK400', MESSAGE = 'invalid_signature',
            DETAIL = 'X-Razorpay-Signature does not match the body';
    END IF;
    -- A \u0000 escape is a backslash preceded by no backslash or by pairs of them (escaped
    -- backslashes): the lookbehind anchors the match at the start of the run of backslashes,
    -- so \\u0000 stays and \u0000\u0000 becomes \ufffd\ufffd.
    v_event := CASE
        WHEN strpos(p_raw_body, '\u0000') = 0 THEN p_raw_body
        ELSE regexp_replace(p_raw_body, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\ufffd', 'g')
    END::jsonb;
    v_event_id := coalesce(
        p_event_id, 'body:' || encode(public.digest(convert_to(p_raw_body, 'UTF8'), 'sha256'), 'hex')
    );
    v_type := coalesce(v_event ->> 'event', 'unknown');
    INSERT INTO store.webhook_events (event_id, event_type, outcome, payload)
    VALUES (v_event_id, v_type, 'ignored', v_event)
    ON CONFLICT (event_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN jsonb_build_object(
            'status', 'duplicate', 'event_id', v_event_id, 'event', v_type,
            'outcome', (SELECT e.outcome FROM store.webhook_events AS e WHERE e.event_id = v_event_id)
        );
    END IF;

    IF v_type IN ('payment.captured', 'payment.failed') THEN
        v_entity := v_event #> '{payload,payment,entity}';
        SELECT * INTO v_payment
        FROM store.payments AS p
        WHERE p.gateway_order_id = v_entity ->> 'order_id';
        IF NOT FOUND THEN
            v_outcome := 'unknown_payment';
        ELSIF v_type = 'payment.captured' THEN
            SELECT * INTO v_capture
            FROM internal.capture_payment(
                v_payment.user_id, v_payment.id, v_entity ->> 'id', (v_entity ->> 'amount')::bigint,
                v_entity ->> 'currency', 'webhook', v_event_id
            );
            v_outcome := v_capture.o_outcome;
        ELSE
            v_outcome := internal.record_payment_failure(
                v_payment.user_id, v_payment.id, v_entity ->> 'id', (v_entity ->> 'amount')::bigint,
                v_entity ->> 'currency', v_entity ->> 'error_code', v_entity ->> 'error_description',
                v_event_id
            );
        END IF;
    ELSIF v_type IN ('refund.processed', 'refund.failed') THEN
        v_entity := v_event #> '{payload,refund,entity}';
        SELECT * INTO v_refund FROM store.refunds AS r WHERE r.gateway_refund_id = v_entity ->> 'id';
        IF FOUND THEN
            v_outcome := internal.settle_refund(
                v_refund.user_id, v_refund.id, CASE v_type WHEN 'refund.processed' THEN 'processed' ELSE 'failed' END
            );
        ELSIF EXISTS (
            SELECT FROM store.payments AS p
            INNER JOIN store.refunds AS r ON r.user_id = p.user_id AND r.payment_id = p.id
            WHERE p.gateway_payment_id = v_entity ->> 'payment_id'
                AND r.status = 'pending' AND r.gateway_refund_id IS NULL
        ) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK409', MESSAGE = 'refund_not_ready',
                DETAIL = 'The refund is still being recorded; deliver the event again';
        ELSE
            v_outcome := 'unknown_refund';
        END IF;
    END IF;

    UPDATE store.webhook_events SET outcome = v_outcome WHERE event_id = v_event_id;
    RETURN jsonb_build_object(
        'status', 'processed', 'event_id', v_event_id, 'event', v_type, 'outcome', v_outcome
    );
END
$$;
