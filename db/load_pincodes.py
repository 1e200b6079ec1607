"""Load India Post's pincode directory into store.pincodes: `python -m db.load_pincodes FILE.csv`.

FILE.csv is the "All India Pincode Directory" as India Post publishes it (data.gov.in): a
header row `circlename,regionname,divisionname,officename,pincode,officetype,delivery,district,
statename,latitude,longitude`, then one row per post office. The rows are copied into a
temporary table (COPY, the header checked against those names) and handed to
internal.load_pincodes, which writes one row per pincode: new pincodes are added (serviceable
when an office delivers, with --cod-allowed and --delivery-days), known ones keep the store's
serviceable, cod_allowed and delivery_days and take the directory's district and state.
One transaction, logged in as the owner (OWNER_DATABASE_URL): a refused row changes nothing.
--dry-run reports what the load would do and rolls it back. See docs/dba.md, "Pincodes".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psycopg

# The directory's columns, in its order; COPY ... HEADER MATCH refuses a file whose header differs.
COLUMNS = (
    "circlename",
    "regionname",
    "divisionname",
    "officename",
    "pincode",
    "officetype",
    "delivery",
    "district",
    "statename",
    "latitude",
    "longitude",
)
STAGE = "pincode_directory"
CHUNK = 1 << 16


def load(
    conn: psycopg.Connection,
    csv_path: Path,
    *,
    cod_allowed: bool = False,
    delivery_days: int = 7,
) -> dict:
    """Stage the CSV in a temporary table and load it, in the connection's transaction (the
    caller commits or rolls back). Returns internal.load_pincodes' report."""
    columns = ", ".join(f"{name} text" for name in COLUMNS)
    conn.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}) ON COMMIT DROP")
    with (
        csv_path.open("rb") as source,
        conn.cursor().copy(
            f"COPY {STAGE} FROM STDIN WITH (FORMAT csv, HEADER MATCH, ENCODING 'UTF8')"
        ) as copy,
    ):
        while chunk := source.read(CHUNK):
            copy.write(chunk)
    return conn.execute(
        f"SELECT internal.load_pincodes((SELECT jsonb_agg(d) FROM {STAGE} AS d), %s, %s)",
        (cod_allowed, delivery_days),
    ).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    from app.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="India Post's All India Pincode Directory (CSV)")
    parser.add_argument(
        "--database-url", default=None, help="the owner's login; default: OWNER_DATABASE_URL"
    )
    parser.add_argument(
        "--cod-allowed",
        action="store_true",
        help="offer cash on delivery in new serviceable pincodes (default: not)",
    )
    parser.add_argument(
        "--delivery-days",
        type=int,
        default=7,
        help="delivery days of new serviceable pincodes, 1 to 15 (default: 7)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what the load would do, change nothing"
    )
    args = parser.parse_args(argv)
    url = args.database_url or Settings.from_env().owner_database_url
    with psycopg.connect(url, connect_timeout=5) as conn:
        try:
            report = load(
                conn, args.csv, cod_allowed=args.cod_allowed, delivery_days=args.delivery_days
            )
        except psycopg.Error as exc:
            conn.rollback()
            detail = exc.diag.message_detail
            print(f"load_pincodes: nothing changed.\n{exc}", file=sys.stderr)
            if detail and detail not in str(exc):
                print(detail, file=sys.stderr)
            return 1
        if args.dry_run:
            conn.rollback()
        else:
            conn.commit()
    print(("dry run, rolled back: " if args.dry_run else "loaded: ") + json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
