"""The test server's URL for another database, as the admin or the web tier logs in.

`python scripts/test_db_url.py NAME` prints the admin's connection string (ADMIN_DATABASE_URL,
or the development default, with database NAME): the SQL tests run as it.
`python scripts/test_db_url.py NAME --owner` prints the owner's (OWNER_DATABASE_URL's login).
`python scripts/test_db_url.py NAME --pgenv` prints the admin's as `export PGHOST=...` lines for
tools such as pg_prove that take libpq environment variables rather than a connection string.
"""

import shlex
import sys

from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, ".")
from app.settings import Settings  # noqa: E402
from db.migrate import logged_in_as  # noqa: E402

settings = Settings.from_env()
url = make_conninfo(settings.admin_database_url, dbname=sys.argv[1])
if sys.argv[2:] == ["--owner"]:
    print(logged_in_as(url, settings.owner_database_url))
elif sys.argv[2:] == ["--pgenv"]:
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
