"""Signature Version 4: read the Authorization header and check the signature.

The canonical request is rebuilt from the request exactly as it arrived: the raw path and
query, the signed headers, and the hash of the body that was really sent - an empty body
included. (moto rebuilds a bodiless request with its parsed query parameters as the body,
so every GET to Lambda or API Gateway failed with SignatureDoesNotMatch.)
https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from botocore.utils import normalize_url_path

from .principals import AuthenticationError

ALGORITHM = "AWS4-HMAC-SHA256"


@dataclass(frozen=True)
class SignedRequest:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(header: str) -> SignedRequest:
    """``AWS4-HMAC-SHA256 Credential=AKIA.../20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=..., Signature=...``"""
    if not header.startswith(ALGORITHM):
        raise AuthenticationError("IncompleteSignature", "Only AWS4-HMAC-SHA256 signatures are supported.")
    fields = {}
    for part in header[len(ALGORITHM):].split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value
    try:
        key_id, date, region, service, terminator = fields["Credential"].split("/")
        signed_headers = tuple(fields["SignedHeaders"].split(";"))
        signature = fields["Signature"]
    except (KeyError, ValueError):
        raise AuthenticationError(
            "IncompleteSignature",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.") from None
    return SignedRequest(key_id, date, region, service, signed_headers, signature)


def _header_value(environ: dict[str, Any], name: str) -> str | None:
    if name == "content-type":
        return environ.get("CONTENT_TYPE")
    if name == "content-length":
        return environ.get("CONTENT_LENGTH")
    return environ.get("HTTP_" + name.upper().replace("-", "_"))


def _canonical_path(raw_path: str) -> str:
    # Non-S3 services URI-encode the (already encoded) path a second time, as the SDKs do.
    return quote(normalize_url_path(raw_path or "/"), safe="/~")


def _canonical_query(raw_query: str) -> str:
    if not raw_query:
        return ""
    pairs = []
    for pair in raw_query.split("&"):
        key, _, value = pair.partition("=")
        pairs.append((key, value))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


@lru_cache(maxsize=256)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def expected_signature(signed: SignedRequest, secret: str, environ: dict[str, Any], raw_path: str,
                       raw_query: str, body: bytes) -> str:
    headers = []
    for name in signed.signed_headers:
        value = _header_value(environ, name)
        headers.append(f"{name}:{' '.join((value or '').split())}")
    payload_hash = environ.get("HTTP_X_AMZ_CONTENT_SHA256") or hashlib.sha256(body).hexdigest()
    canonical = "\n".join([environ["REQUEST_METHOD"], _canonical_path(raw_path), _canonical_query(raw_query),
                           "\n".join(headers) + "\n", ";".join(signed.signed_headers), payload_hash])
    timestamp = environ.get("HTTP_X_AMZ_DATE", "")
    scope = f"{signed.date}/{signed.region}/{signed.service}/aws4_request"
    string_to_sign = "\n".join([ALGORITHM, timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _signing_key(secret, signed.date, signed.region, signed.service)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def verify(signed: SignedRequest, secret: str, environ: dict[str, Any], raw_path: str, raw_query: str,
           body: bytes) -> None:
    if not hmac.compare_digest(expected_signature(signed, secret, environ, raw_path, raw_query, body),
                               signed.signature):
        raise AuthenticationError(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")
