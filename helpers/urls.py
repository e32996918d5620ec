"""Where a deployed REST API stage answers: ``helpers.invoke_url(api_id, stage)``.

On AWS a stage's URL is ``https://<api_id>.execute-api.<region>.amazonaws.com/<stage>``
("Invoking a REST API in API Gateway"); the local cloud serves the same stage at
``http://127.0.0.1:<port>/restapis/<api_id>/<stage>/_user_request_`` (LocalStack's
shape). Both come without a trailing slash: callers append ``/path``. The stage
name is part of the URL, so it matters.
"""
from __future__ import annotations

import os
import re

from .errors import CourseError

_API_ID = re.compile(r"^[A-Za-z0-9]+$")
_STAGE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def invoke_url(api_id: str, stage: str) -> str:
    """The base URL of ``stage`` of REST API ``api_id`` for the backend this kernel is connected to."""
    if not isinstance(api_id, str) or not _API_ID.match(api_id):
        raise CourseError(f"invoke_url() needs a REST API id such as 'a1b2c3d4e5', got {api_id!r}.",
                          fix="Use the 'id' from apigateway.create_rest_api(...) or get_rest_apis().")
    if not isinstance(stage, str) or not _STAGE.match(stage):
        raise CourseError(f"invoke_url() needs a stage name (letters, digits, '-' and '_'), got {stage!r}.",
                          fix="Use the stageName you passed to create_deployment(...), e.g. 'dev'.")
    from .backend import current

    connection = current()
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or (connection.endpoint if connection else None)
    backend = connection.backend if connection else ("local" if endpoint else "aws")
    if backend == "aws" or not endpoint:
        region = (connection.region if connection else None) or os.environ.get("AWS_REGION") or \
            os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        return f"https://{api_id}.execute-api.{region}.amazonaws.com/{stage}"
    return f"{endpoint.rstrip('/')}/restapis/{api_id}/{stage}/_user_request_"
