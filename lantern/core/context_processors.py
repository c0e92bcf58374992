from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    # GOV.UK Frontend's template adds file names to its asset path itself: a folder, so not through
    # static(), which in production (hashed file names) knows only files.
    return {"area_name": settings.LANTERN_AREA_NAME, "govuk_asset_path": f"{settings.STATIC_URL}assets"}
