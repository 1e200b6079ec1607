"""DATABASE_URL (or the development default) with its database name replaced.

`python scripts/test_db_url.py NAME` prints the connection string;
`python scripts/test_db_url.py NAME --pgenv` prints `export PGHOST=...` lines for tools such as
pg_prove that take libpq environment variables rather than a connection string.
"""

import shlex
import sys

from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, ".")
from app.settings import Settings  # noqa: E402

url = make_conninfo(Settings.from_env().database_url, dbname=sys.argv[1])
if sys.argv[2:] == ["--pgenv"]:
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    for key, value in conninfo_to_dict(url).items():
        if key in names:
            print(f"export {names[key]}={shlex.quote(str(value))}")
else:
    print(url)
