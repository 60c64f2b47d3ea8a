"""Start-up failures in one line: an operator needs to know what to set, not read a traceback."""

import sys
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured


def database_error_line(exc: Exception) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db.get("HOST") or db.get("NAME")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return (
        f"Erreur : base de données injoignable ({db['ENGINE'].rsplit('.', 1)[-1]} sur {where}) : {first}. "
        "Vérifiez DATABASE_URL et que le serveur de base de données tourne."
    )


def check_database() -> None:
    """Open one connection now, so that an unreachable database stops start-up, not the first visitor."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        if getattr(connection, "pool", None):
            # With psycopg's pool (prod), a refused connection is retried by the pool's threads, each
            # failure logged, until its timeout: one direct connection gives the same answer at once.
            connection.Database.connect(**connection.get_connection_params()).close()
        else:
            connection.ensure_connection()
    except (OperationalError, getattr(connection.Database, "OperationalError", OperationalError)) as exc:
        raise SystemExit(database_error_line(exc)) from None
    finally:
        connection.close()


@contextmanager
def fail_clearly():
    from django.db.utils import OperationalError

    try:
        yield
    except ImproperlyConfigured as exc:
        print(f"Erreur de configuration : {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except OperationalError as exc:
        print(database_error_line(exc), file=sys.stderr)
        raise SystemExit(1) from None
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            raise SystemExit(1) from None
        raise
