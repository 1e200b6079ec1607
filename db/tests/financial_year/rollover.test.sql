-- financial_year and document_number: the Indian financial year runs April to March by the
-- date in India (Asia/Kolkata, UTC+5:30); numbers are prefix/[CN/]year/six digits.
BEGIN;

SELECT plan(7);

SELECT is(
    internal.financial_year('2027-03-31 18:29:59+00'), '2026-27', '31 March 23:59:59 IST: still 2026-27'
);
SELECT is(internal.financial_year('2027-03-31 18:30:00+00'), '2027-28', '1 April 00:00 IST: 2027-28');
SELECT is(
    internal.financial_year('2027-03-31 20:00:00+00'), '2027-28',
    'still 31 March in UTC, but 1 April in India'
);
SELECT
    is(
        internal.financial_year('2026-01-15 12:00:00+00'),
        '2025-26',
        'January belongs to the year begun last April'
    );
SELECT is(internal.financial_year('2099-12-31 12:00:00+00'), '2099-00', 'the century wraps to 00');
SELECT is(internal.document_number('invoice', '2026-27', 1), 'JK/2026-27/000001', 'an invoice number');
SELECT is(
    internal.document_number('credit_note', '2026-27', 1234567), 'JK/CN/2026-27/1234567',
    'a credit note number, widened past six digits rather than cut'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
