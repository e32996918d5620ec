"""AWS-shaped error answers for refused requests, in each service's own wire format.

- JSON services (DynamoDB, CloudWatch Logs, EventBridge) answer HTTP 400 with a ``__type``;
  DynamoDB's is ``com.amazon.coral.service#AccessDeniedException`` with a ``Message``, which
  botocore reads as ``Error.Code == "AccessDeniedException"``
  (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html);
- REST services (Lambda, API Gateway) answer 403 with ``x-amzn-ErrorType``;
- query services (IAM, STS) answer 403 with an XML ErrorResponse, code ``AccessDenied``.
The message is AWS's: "User: <arn> is not authorized to perform: <action> on resource:
<arn> because no identity-based policy allows the <action> action"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
"""
from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape

from .services import PROTOCOLS

_JSON_CONTENT_TYPES = {"dynamodb": "application/x-amz-json-1.0", "logs": "application/x-amz-json-1.1",
                       "events": "application/x-amz-json-1.1"}
_QUERY_NAMESPACES = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/",
                     "sts": "https://sts.amazonaws.com/doc/2011-06-15/"}

# AWS's error codes per protocol for each kind of refusal.
_CODES = {
    "AccessDenied": {"json": "AccessDeniedException", "rest-json": "AccessDeniedException", "query": "AccessDenied"},
    "InvalidClientTokenId": {"json": "UnrecognizedClientException", "rest-json": "UnrecognizedClientException",
                             "query": "InvalidClientTokenId"},
    "SignatureDoesNotMatch": {"json": "InvalidSignatureException", "rest-json": "InvalidSignatureException",
                              "query": "SignatureDoesNotMatch"},
    "ExpiredToken": {"json": "ExpiredTokenException", "rest-json": "ExpiredTokenException", "query": "ExpiredToken"},
    "IncompleteSignature": {"json": "IncompleteSignatureException", "rest-json": "IncompleteSignatureException",
                            "query": "IncompleteSignature"},
}


def denial_message(principal_arn: str, action: str, resource: str, explicit: bool, policy_kind: str) -> str:
    where = "" if resource == "*" else f" on resource: {resource}"
    if explicit:
        reason = f"with an explicit deny in {'an' if policy_kind[0] in 'aeiou' else 'a'} {policy_kind}"
    else:
        reason = f"because no {policy_kind} allows the {action} action"
    return f"User: {principal_arn} is not authorized to perform: {action}{where} {reason}"


def assume_role_message(principal_arn: str, role_arn: str) -> str:
    return f"User: {principal_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"


def error_response(service: str, family: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) for a refusal of ``family`` (AccessDenied, InvalidClientTokenId...)."""
    protocol = PROTOCOLS[service]
    code = _CODES[family][protocol]
    request_id = str(uuid.uuid4())
    if protocol == "json":
        type_name = f"com.amazon.coral.service#{code}" if service == "dynamodb" else code
        message_key = "Message" if service == "dynamodb" else "message"
        body = json.dumps({"__type": type_name, message_key: message}).encode()
        headers = [("Content-Type", _JSON_CONTENT_TYPES[service]), ("x-amzn-RequestId", request_id)]
        status = "400 Bad Request"
    elif protocol == "rest-json":
        payload = {"Type": "User", "Message": message} if service == "lambda" else {"message": message}
        body = json.dumps(payload).encode()
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code),
                   ("x-amzn-RequestId", request_id)]
        status = "403 Forbidden"
    else:
        body = (f'<ErrorResponse xmlns="{_QUERY_NAMESPACES[service]}"><Error><Type>Sender</Type>'
                f"<Code>{code}</Code><Message>{escape(message)}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]
        status = "403 Forbidden"
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body
