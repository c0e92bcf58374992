"""``POST /fhir/Bundle``: agency systems send FHIR R4 bundles with a bearer token an administrator issued."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lantern.health.fhir import Issue, operation_outcome
from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import TokenRefusal
from lantern.health.services import system_for_token

FHIR_JSON = "application/fhir+json"
MAX_BODY = 50 * 1024 * 1024


def _fhir(body: dict[str, object], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)


@csrf_exempt  # a system's bearer token, not a browser's cookie, authenticates this endpoint
@login_not_required
@require_POST
def bundle_receive(request: HttpRequest) -> HttpResponse:
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    system = system_for_token(token) if token else None
    if system is None:
        TokenRefusal.objects.create(
            token_prefix=token[:10],
            address=request.META.get("REMOTE_ADDR", ""),
            reason="unknown or revoked token" if token else "no bearer token",
        )
        response = _fhir(
            operation_outcome([Issue("Bundle", "a valid system token is required", "login")]), 401
        )
        response["WWW-Authenticate"] = 'Bearer realm="lantern-fhir"'
        return response
    if len(request.body) > MAX_BODY:
        return _fhir(
            operation_outcome([Issue("Bundle", "the bundle is larger than 50 MB: split it", "too-costly")]),
            413,
        )
    result = fhir_bundle_ingest(body=request.body.decode("utf-8", errors="replace"), system=system)
    return _fhir(result.response, result.http_status)
