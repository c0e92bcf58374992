"""What ``lantern backup`` and ``lantern restore`` need to know about the configured database."""

from __future__ import annotations

from pathlib import Path

from django.db import connections
from tqdm import tqdm


def database_vendor_and_target() -> tuple[str, str]:
    """``("sqlite", path)`` or ``("postgresql", url)`` for the default database."""
    connection = connections["default"]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])  # a file, or (the test database) a shared in-memory URI
        return "sqlite", name if name.startswith("file:") else str(Path(name).resolve())
    if connection.vendor == "postgresql":
        user = settings.get("USER") or ""
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        credentials = f"{user}{password}@" if user else ""
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return (
            "postgresql",
            f"postgresql://{credentials}{settings.get('HOST') or 'localhost'}{port}/{settings['NAME']}",
        )
    raise NotImplementedError(f"backup is written for SQLite and PostgreSQL, not {connection.vendor}")


class PageProgress:
    """SQLite's backup progress (pages copied of all pages) as a bar on standard error."""

    def __init__(self, description: str, *, enabled: bool) -> None:
        self.bar = tqdm(desc=description, unit=" pages", disable=not enabled, leave=True)

    def __call__(self, done: int, total: int) -> None:
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def sqlite_target(name: str) -> Path | str:
    return name if name.startswith("file:") else Path(name)
