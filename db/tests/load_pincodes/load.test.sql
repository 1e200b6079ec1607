-- load_pincodes: the directory's rows (several offices per pincode) become one row per
-- pincode. A new pincode is added, served when any office delivers, with the defaults given;
-- a known pincode keeps the store's serviceable, cod_allowed and delivery_days and takes the
-- directory's district and state. Bad rows are refused, naming them, and nothing is written.
BEGIN;

SELECT plan(12);

INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES
('999601', 'Old Name', 'Kerala', TRUE, TRUE, 2),
('999602', 'Island', 'Lakshadweep', FALSE, FALSE, NULL),
('999603', 'Same', 'Goa', TRUE, FALSE, 4);

SELECT tests.set_json('offices', $$[
    {"officename": "A S.O", "pincode": "999601", "officetype": "S.O", "delivery": "Delivery",
     "district": "NEW NAME", "statename": "KERALA"},
    {"officename": "B B.O", "pincode": "999601", "officetype": "B.O", "delivery": "Non-Delivery",
     "district": "NEW NAME", "statename": "KERALA"},
    {"officename": "C S.O", "pincode": "999602", "officetype": "S.O", "delivery": "Delivery",
     "district": "ISLAND", "statename": "LAKSHADWEEP"},
    {"officename": "D H.O", "pincode": "999603", "officetype": "H.O", "delivery": "Delivery",
     "district": "SAME", "statename": "GOA"},
    {"officename": "E S.O", "pincode": "999604", "officetype": "S.O", "delivery": "Non-Delivery",
     "district": "NORTH 24 PARGANAS", "statename": "WEST BENGAL"},
    {"officename": "F B.O", "pincode": "999604", "officetype": "B.O", "delivery": "Delivery",
     "district": "NORTH 24 PARGANAS", "statename": "WEST BENGAL"},
    {"officename": "G B.O", "pincode": "999605", "officetype": "B.O", "delivery": "Non-Delivery",
     "district": "SOUTH ANDAMAN", "statename": "ANDAMAN & NICOBAR ISLANDS"}
]$$::jsonb);

SELECT is(
    internal.load_pincodes(tests.json('offices'), p_cod_allowed => TRUE, p_delivery_days => 5),
    '{"offices": 7, "pincodes": 5, "added": 2, "updated": 1, "unchanged": 2}'::jsonb,
    'the report: offices read, pincodes, added, updated (a new district or state), unchanged'
);
SELECT is(
    (
        SELECT (district, state, serviceable, cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999601'
    ),
    '("New Name",Kerala,t,t,2)',
    'a known pincode takes the directory''s district and keeps its choices'
);
SELECT is(
    (
        SELECT (serviceable, cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999602'
    ),
    '(f,f,)',
    'a known pincode not served stays so though an office delivers'
);
SELECT is(
    (
        SELECT (district, serviceable, cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999603'
    ),
    '(Same,t,f,4)',
    'an unchanged pincode stays as it was'
);
SELECT is(
    (
        SELECT (district, state, serviceable, cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999604'
    ),
    '("North 24 Parganas","West Bengal",t,t,5)',
    'a new pincode with a delivery office: served, with the defaults given'
);
SELECT is(
    (
        SELECT (state, serviceable, cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999605'
    ),
    '("Andaman and Nicobar Islands",f,f,)',
    'a new pincode without a delivery office: not served'
);
SELECT is(
    internal.load_pincodes(tests.json('offices')),
    '{"offices": 7, "pincodes": 5, "added": 0, "updated": 0, "unchanged": 5}'::jsonb,
    'loading again changes nothing'
);
SELECT is(
    internal.load_pincodes(
        '[{"pincode": "999606", "delivery": "Delivery", "district": "X", "statename": "GOA"}]'
    ) ->> 'added',
    '1',
    'by default a new pincode is served in 7 days without cash on delivery:'
);
SELECT is(
    (
        SELECT (cod_allowed, delivery_days)::text FROM store.pincodes
        WHERE pincode = '999606'
    ), '(f,7)',
    '(f,7)'
);
SELECT is(
    tests.error_of($$SELECT internal.load_pincodes(
        '[{"pincode": "999607", "delivery": "Delivery", "district": "X", "statename": "BOMBAY"},
          {"pincode": "999608", "delivery": "Delivery", "district": "X", "statename": "GOA"}]'
    )$$) - 'sqlstate' - 'message',
    jsonb_build_object(
        'column', 'statename',
        'detail', 'unknown state names (add them to internal.india_post_state): BOMBAY'
    ),
    'an unknown state name is refused, naming it'
);
SELECT is(
    tests.error_of($$SELECT internal.load_pincodes(
        '[{"pincode": "99960", "delivery": "Delivery", "district": "X", "statename": "GOA"}]'
    )$$) ->> 'column',
    'pincode',
    'a malformed pincode is refused'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.pincodes
        WHERE pincode IN ('99960', '999607', '999608')
    ), 0,
    'a refused load writes nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
