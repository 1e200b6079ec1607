"""docs/schema.md: the tables of schema store as a Mermaid erDiagram, then one section per
table with its COMMENT and its columns', all read from the catalog of DATABASE_URL.

`python -m codegen` writes it and `--check` compares it, like generated/ (codegen.generate), so
the picture never goes stale. The output depends on the catalog alone, in a fixed order (table
name, column number, constraint name): byte for byte the same for the same schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import psycopg

SCHEMA = "store"
PATH = "docs/schema.md"

# Ordinary and partitioned tables of the schema, not partitions (their parent stands for them)
# nor tables an extension created.
TABLES_SQL = """
SELECT c.oid, c.relname, coalesce(obj_description(c.oid, 'pg_class'), '')
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND NOT EXISTS (
      SELECT FROM pg_depend AS d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY c.relname
"""

COLUMNS_SQL = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       coalesce(col_description(a.attrelid, a.attnum), '')
FROM pg_attribute AS a
WHERE a.attrelid = ANY(%(tables)s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

# Primary keys, unique constraints and foreign keys, their columns in constraint order.
CONSTRAINTS_SQL = """
SELECT c.conrelid, c.conname, c.contype,
       array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, i)
             JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             ORDER BY k.i),
       c.confrelid,
       array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, i)
             JOIN pg_attribute AS a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
             ORDER BY k.i)
FROM pg_constraint AS c
WHERE c.conrelid = ANY(%(tables)s) AND c.contype IN ('p', 'u', 'f')
ORDER BY c.conrelid, c.conname
"""

# SQL type names with a space, as Mermaid needs them: one word, no parentheses.
MERMAID_TYPES = {
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
    "character varying": "varchar",
    "character": "char",
    "double precision": "float8",
    "bit varying": "varbit",
}


@dataclass
class Column:
    name: str
    type: str  # format_type: the full SQL type, e.g. character varying(200)
    not_null: bool
    comment: str


@dataclass
class ForeignKey:
    name: str
    columns: list[str]
    table: str  # the referenced table
    references: list[str]


@dataclass
class Table:
    name: str
    comment: str
    columns: list[Column] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    uniques: list[list[str]] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)


def read_schema(database_url: str, schema: str = SCHEMA) -> list[Table]:
    """The tables of `schema`, by name, each with its columns and keys."""
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        rows = conn.execute(TABLES_SQL, {"schema": schema}).fetchall()
        tables = {oid: Table(name, comment) for oid, name, comment in rows}
        oids = list(tables)
        columns = conn.execute(COLUMNS_SQL, {"tables": oids}).fetchall()
        constraints = conn.execute(CONSTRAINTS_SQL, {"tables": oids}).fetchall()
        names = dict(
            conn.execute(
                "SELECT oid, relname FROM pg_class WHERE oid = ANY(%(oids)s)",
                {"oids": sorted({row[4] for row in constraints if row[4]})},
            ).fetchall()
        )
    for oid, name, sql_type, not_null, comment in columns:
        tables[oid].columns.append(Column(name, sql_type, not_null, comment))
    for oid, name, kind, keys, referenced, references in constraints:
        table = tables[oid]
        if kind == "p":
            table.primary_key = list(keys)
        elif kind == "u":
            table.uniques.append(list(keys))
        else:
            table.foreign_keys.append(
                ForeignKey(name, list(keys), names[referenced], list(references))
            )
    return sorted(tables.values(), key=lambda t: t.name)


def mermaid_type(sql_type: str) -> str:
    """An SQL type as one Mermaid word: timestamptz, varchar, text_array."""
    base, arrays = sql_type, 0
    while base.endswith("[]"):
        base, arrays = base[:-2], arrays + 1
    base = " ".join(re.sub(r"\(.*?\)", " ", base).split())  # numeric(10,2) -> numeric
    base = MERMAID_TYPES.get(base, base)
    base = re.sub(r"\W+", "_", base).strip("_") or "unknown"
    return base + "_array" * arrays


def is_unique(table: Table, columns: list[str]) -> bool:
    """At most one row of `table` per value of `columns` (a key lies within them)."""
    return any(key and set(key) <= set(columns) for key in [table.primary_key, *table.uniques])


def relationship(table: Table, fk: ForeignKey) -> str:
    """`parent ||--o{ child : "columns"`: a child row has exactly one parent when every column
    of the foreign key is NOT NULL (else zero or one); a parent has zero or one child when the
    key columns are unique in the child (else zero or more). The line is solid (identifying)
    when the foreign key is part of the child's primary key, dashed otherwise."""
    not_null = {c.name for c in table.columns if c.not_null}
    parent = "||" if set(fk.columns) <= not_null else "|o"
    child = "o|" if is_unique(table, fk.columns) else "o{"
    line = "--" if set(fk.columns) <= set(table.primary_key) else ".."
    return f'    {fk.table} {parent}{line}{child} {table.name} : "{", ".join(fk.columns)}"'


def key_markers(table: Table, column: str) -> list[str]:
    markers = []
    if column in table.primary_key:
        markers.append("PK")
    if any(column in fk.columns for fk in table.foreign_keys):
        markers.append("FK")
    if [column] in table.uniques:
        markers.append("UK")
    return markers


def key_text(table: Table, column: str) -> str:
    """The Key cell: PK, FK with what it references, UK (unique on its own)."""
    parts = ["PK"] if column in table.primary_key else []
    for fk in table.foreign_keys:
        if column in fk.columns:
            target = fk.references[fk.columns.index(column)]
            parts.append(f"FK → {fk.table}.{target}")
    if [column] in table.uniques:
        parts.append("UK")
    return ", ".join(parts)


def markdown_text(text: str) -> str:
    """A comment as the text of a Markdown paragraph or table cell: one line, with the
    characters Markdown or HTML would take as markup escaped."""
    text = " ".join(text.split())
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("*", "\\*")):
        text = text.replace(char, escaped)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_schema_md(tables: list[Table]) -> str:
    lines = [
        f"# Schema `{SCHEMA}`",
        "",
        "> Generated by `make codegen` from the database's catalog (codegen/schema_docs.py)."
        " DO NOT EDIT: change db/tables/ (and its COMMENTs), then run `make codegen`.",
        "",
        f"Every table of schema `{SCHEMA}`, its keys and foreign keys; each table's and column's",
        "COMMENT is in its section below the diagram. Relationships are labelled with the",
        "referencing columns.",
        "",
        "```mermaid",
        "erDiagram",
    ]
    for table in tables:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            markers = ", ".join(key_markers(table, column.name))
            attribute = f"{mermaid_type(column.type)} {column.name}"
            lines.append(f"        {attribute} {markers}".rstrip())
        lines.append("    }")
    for table in tables:
        lines += [relationship(table, fk) for fk in table.foreign_keys]
    lines.append("```")
    for table in tables:
        lines += ["", f"## {table.name}", ""]
        if table.comment:
            lines += [markdown_text(table.comment), ""]
        lines += ["| Column | Type | Null | Key | Comment |", "| --- | --- | --- | --- | --- |"]
        for column in table.columns:
            cells = [
                f"`{column.name}`",
                f"`{column.type}`",
                "no" if column.not_null else "yes",
                key_text(table, column.name),
                markdown_text(column.comment),
            ]
            lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def schema_md(database_url: str) -> str:
    """docs/schema.md as the database at `database_url` makes it."""
    return render_schema_md(read_schema(database_url))
