-- load_pincodes: India Post's "All India Pincode Directory" loaded into store.pincodes, one row
-- per pincode (docs/dba.md "Pincodes"; python -m db.load_pincodes FILE.csv calls it). The
-- directory has a row per post office, many per pincode: p_offices is those rows as a JSON
-- array of objects keyed by its column names (only pincode, delivery, district and statename
-- are read; see the docs for turning a \copy-ed table into it).
-- Per pincode: the district (title-cased) and the state (internal.india_post_state) most of
-- its offices name; it is delivered to when any office is a delivery office.
-- A pincode the store does not know yet is added: serviceable when delivered to, with
-- p_cod_allowed (only where serviceable) and p_delivery_days (NULL where not serviceable).
-- A known pincode keeps the store's serviceable, cod_allowed and delivery_days; its district
-- and state are set to the directory's.
-- Run by the owner, in one transaction: nothing is written when any row is refused.
-- Locks the rows it writes. Raises JK422 validation_error when p_offices is not an array, when
-- p_delivery_days is not 1 to 15, and naming the offending values when a pincode is not 6
-- digits, a district is blank or a state name is unknown (add it to india_post_state).
-- Returns {"offices", "pincodes", "added", "updated", "unchanged"}.
CREATE FUNCTION internal.load_pincodes(
    p_offices jsonb, p_cod_allowed boolean DEFAULT FALSE, p_delivery_days integer DEFAULT 7
)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_bad text;
    v_offices integer;
    v_pincodes integer;
    v_added integer;
    v_written integer;
BEGIN
    IF jsonb_typeof(p_offices) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'offices',
            DETAIL = 'offices must be a JSON array of the directory''s rows';
    END IF;
    IF p_delivery_days IS NULL OR p_delivery_days NOT BETWEEN 1 AND 15 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'delivery_days',
            DETAIL = 'delivery_days must be 1 to 15';
    END IF;

    SELECT
        count(*),
        string_agg(DISTINCT coalesce(o.pincode, 'no pincode'), ', ')
            FILTER (WHERE o.pincode IS NULL OR btrim(o.pincode) !~ '^[1-9][0-9]{5}$')
    INTO v_offices, v_bad
    FROM jsonb_to_recordset(p_offices) AS o (pincode text);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'pincode',
            DETAIL = 'pincodes must be 6 digits and not start with 0: ' || v_bad;
    END IF;
    SELECT string_agg(DISTINCT coalesce(o.statename, 'no state'), ', ') INTO v_bad
    FROM jsonb_to_recordset(p_offices) AS o (statename text)
    WHERE internal.india_post_state(o.statename) IS NULL;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'statename',
            DETAIL = 'unknown state names (add them to internal.india_post_state): ' || v_bad;
    END IF;
    SELECT string_agg(DISTINCT btrim(o.pincode), ', ') INTO v_bad
    FROM jsonb_to_recordset(p_offices) AS o (pincode text, district text)
    WHERE coalesce(btrim(o.district), '') = '' OR char_length(btrim(o.district)) > 100;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'district',
            DETAIL = 'blank or over-long district at pincodes: ' || v_bad;
    END IF;

    WITH offices AS (
        SELECT
            btrim(o.pincode) AS pincode,
            initcap(btrim(o.district)) AS district,
            internal.india_post_state(o.statename) AS state,
            coalesce(lower(btrim(o.delivery)) = 'delivery', FALSE) AS delivers
        FROM jsonb_to_recordset(p_offices) AS o (pincode text, delivery text, district text, statename text)
    ),

    by_pincode AS (
        SELECT
            f.pincode,
            mode() WITHIN GROUP (ORDER BY f.district) AS district,
            mode() WITHIN GROUP (ORDER BY f.state) AS state,
            bool_or(f.delivers) AS delivers
        FROM offices AS f
        GROUP BY f.pincode
    ),

    written AS (
        INSERT INTO store.pincodes AS p (
            pincode, district, state, serviceable, cod_allowed, delivery_days
        )
        SELECT
            b.pincode,
            b.district,
            b.state,
            b.delivers,
            b.delivers AND coalesce(p_cod_allowed, FALSE),
            CASE WHEN b.delivers THEN p_delivery_days END
        FROM by_pincode AS b
        ON CONFLICT (pincode) DO UPDATE
            SET district = excluded.district, state = excluded.state, updated_at = now()
            WHERE (p.district, p.state) IS DISTINCT FROM (excluded.district, excluded.state)
        RETURNING p.pincode
    )

    SELECT
        (SELECT count(*) FROM by_pincode),
        -- The statement's snapshot: the pincodes known before it wrote anything.
        (
            SELECT count(*) FROM by_pincode AS b
            WHERE NOT EXISTS (SELECT FROM store.pincodes AS k WHERE k.pincode = b.pincode)
        ),
        (SELECT count(*) FROM written)
    INTO v_pincodes, v_added, v_written;

    RETURN jsonb_build_object(
        'offices', v_offices, 'pincodes', v_pincodes, 'added', v_added,
        'updated', v_written - v_added, 'unchanged', v_pincodes - v_written
    );
END
$$;
