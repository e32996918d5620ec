"""``MOCK``: no backend; the request template's ``{"statusCode": N}`` picks the integration response.

This is what the console's "Enable CORS" creates for ``OPTIONS``: a request
template ``{"statusCode": 200}`` and an integration response whose
``responseParameters`` set the ``Access-Control-Allow-*`` headers to static
values ("Set up mock integrations in API Gateway"). A mapped payload without a
usable integer ``statusCode`` is a configuration error (500).
"""
from __future__ import annotations

import json

from ..gateway_errors import InternalServerError
from . import EndpointResponse


def mock(payload: bytes) -> EndpointResponse:
    try:
        document = json.loads(payload or b"")
    except ValueError:
        document = None
    status = document.get("statusCode") if isinstance(document, dict) else None
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool):
        raise InternalServerError(log="Execution failed due to configuration error: Unable to parse "
                                      "statusCode. It should be an integer that is defined in the request "
                                      "template.")
    return EndpointResponse(status)
