-- send_otp: a new code supersedes the phone's pending one (only one pending per phone); used and
-- locked codes keep their status; other phones are untouched.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('other', tests.new_phone());
    PERFORM tests.send_code(tests.value('other'));
    PERFORM tests.set_id('first', (tests.latest_code(tests.value('other'))).id);
    PERFORM tests.send_code(tests.value('phone'));
    PERFORM tests.set_id('old', (tests.latest_code(tests.value('phone'))).id);
    PERFORM tests.age_codes(tests.value('phone'), interval '31 seconds');
    PERFORM tests.set_value('new_code', tests.send_code(tests.value('phone')));
    PERFORM tests.set_id('new', (tests.latest_code(tests.value('phone'))).id);
END
$$;

SELECT is(
    tests.code_status(tests.id('old')), 'superseded',
    'the previous code is superseded'
);
SELECT is(
    tests.code_status(tests.id('new')), 'pending',
    'the new code is pending'
);
SELECT is(
    tests.code_count(tests.value('phone'), 'pending'),
    1,
    'exactly one pending code for the phone'
);
SELECT is(
    tests.code_status(tests.id('first')), 'pending',
    'a code of another phone stays pending'
);

-- A used code stays verified when a new one is sent.
DO $$
BEGIN
    PERFORM tests.verify(tests.value('phone'), tests.value('new_code'));
    PERFORM tests.age_codes(tests.value('phone'), interval '31 seconds');
    PERFORM tests.send_code(tests.value('phone'));
END
$$;

SELECT is(
    tests.code_status(tests.id('new')), 'verified',
    'a used code stays verified after a new code is sent'
);
SELECT is(
    tests.code_count(tests.value('phone')),
    3,
    'each send adds a row; none is deleted'
);

-- A locked code stays locked when a new one is sent.
DO $$
DECLARE
    v_code text;
BEGIN
    PERFORM tests.set_value('locked_phone', tests.new_phone());
    v_code := tests.send_code(tests.value('locked_phone'));
    FOR i IN 1..5 LOOP
        PERFORM tests.verify(tests.value('locked_phone'), tests.wrong_code(v_code));
    END LOOP;
    PERFORM tests.set_id('locked', (tests.latest_code(tests.value('locked_phone'))).id);
    PERFORM tests.age_codes(tests.value('locked_phone'), interval '31 seconds');
    PERFORM tests.send_code(tests.value('locked_phone'));
END
$$;

SELECT is(
    tests.code_status(tests.id('locked')), 'locked',
    'a locked code stays locked after a new code is sent'
);
SELECT is(
    (tests.latest_code(tests.value('locked_phone'))).status, 'pending',
    'the new code after a locked one is pending'
);
SELECT is(
    (tests.latest_code(tests.value('locked_phone'))).attempts, 0::smallint,
    'the new code starts with no wrong tries'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
