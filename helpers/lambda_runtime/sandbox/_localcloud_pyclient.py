"""A small Python client of the Lambda Runtime API, for where AWS's ``awslambdaric`` is missing.

AWS's own runtime interface client has Linux wheels only, so on macOS, Windows or a
Python found elsewhere on PATH this module plays its part: it imports the handler
(reporting ``Runtime.ImportModuleError``, ``Runtime.HandlerNotFound`` or
``Runtime.UserCodeSyntaxError`` to ``/runtime/init/error`` as AWS's client does), then
loops on ``/runtime/invocation/next`` and posts each result to ``…/response`` or
``…/error`` with the same ``{errorMessage, errorType, requestId, stackTrace}`` document.
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html

It runs inside the execution environment, so it uses the standard library only and
never imports anything from the course's packages.
"""
from __future__ import annotations

import decimal
import importlib
import json
import logging
import os
import sys
import time
import traceback

API_VERSION = "2018-06-01"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
_request_id = ""


class Fault(Exception):
    """An init failure with the error type AWS reports for it."""

    def __init__(self, error_type: str, message: str, trace: list[str] | None = None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


class LambdaContext:
    """The context object handlers receive, with the attributes AWS documents."""

    def __init__(self, request_id: str, deadline_ms: int, function_arn: str,
                 client_context: dict | None, identity: dict | None):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = client_context
        self.identity = identity
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def __repr__(self) -> str:
        return (f"LambdaContext([aws_request_id={self.aws_request_id},"
                f"function_name={self.function_name},function_version={self.function_version}])")


def load_handler(handler: str):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {error}") from None
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise Fault("Runtime.BuiltInModuleConflict",
                        f"Cannot use built-in module {module_name} as a handler module")
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        raise Fault("Runtime.ImportModuleError",
                    f"Unable to import module '{module_name}': {error}") from None
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        raise Fault("Runtime.UserCodeSyntaxError",
                    f"Syntax error in module '{module_name}': {error}", trace) from None
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound",
                    f"Handler '{function_name}' missing on module '{module_name}'") from None


def error_document(error_type: str, message: str, trace: list[str], request_id: str = "") -> dict:
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id,
            "stackTrace": trace}


def exception_document(request_id: str) -> dict:
    error_type, value, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)[1:]  # drop this module's own frame
    return error_document(error_type.__name__, str(value), traceback.format_list(frames), request_id)


def log_error(document: dict) -> None:
    """One log event per error, lines joined by \\r as AWS's client does."""
    lines = [f"[ERROR] {document['errorType']}: {document['errorMessage']}"]
    if document.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in document["stackTrace"]:
            lines.extend(element.rstrip("\n").splitlines())
    sys.stdout.write("\r".join(lines) + "\n")
    sys.stdout.flush()


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class RuntimeApi:
    """One keep-alive HTTP connection to the Runtime API endpoint of this environment."""

    def __init__(self, address: str):
        import http.client  # here, not at the top: it imports ssl, which the zygote avoids

        self.http = http.client
        self.address = address
        self.connection = http.client.HTTPConnection(address)

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, dict, bytes]:
        for attempt in (1, 2):
            try:
                self.connection.request(method, f"/{API_VERSION}{path}", body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (ConnectionError, self.http.HTTPException):
                self.connection.close()
                self.connection = self.http.HTTPConnection(self.address)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post_json(self, path: str, document: dict, error_type: str | None = None) -> None:
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers[ERROR_TYPE_HEADER] = error_type
        self.call("POST", path, json.dumps(document).encode(), headers)


class _Unbuffered:
    """stdout/stderr that reach the log at once, so lines are not lost when the process is killed."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        written = self._stream.write(text)
        self._stream.flush()
        return written

    def writelines(self, lines):
        self._stream.writelines(lines)
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


def setup_logging() -> None:
    """The root logger writes ``[LEVEL]\\t<time>Z\\t<request id>\\t<message>`` as on Lambda."""
    logging.Formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        logging.getLogger().setLevel(level)


def main(handler_name: str | None = None) -> None:
    global _request_id
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    setup_logging()
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    handler_name = handler_name or os.environ.get("_HANDLER", "")
    try:
        handler = load_handler(handler_name)
    except Fault as fault:
        document = error_document(fault.error_type, fault.message, fault.trace)
    except Exception:
        document = exception_document("")
    else:
        document = None
    if document is not None:
        log_error(document)
        api.post_json("/runtime/init/error", document, document["errorType"])
        sys.exit(1)

    while True:
        status, headers, body = api.call("GET", "/runtime/invocation/next")
        if status != 200:
            raise SystemExit(f"Runtime API answered {status} to /next: {body[:200]!r}")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        _request_id = request_id
        if headers.get("Lambda-Runtime-Trace-Id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["Lambda-Runtime-Trace-Id"]
        try:
            client_context = json.loads(headers["Lambda-Runtime-Client-Context"]) \
                if headers.get("Lambda-Runtime-Client-Context") else None
            identity = json.loads(headers["Lambda-Runtime-Cognito-Identity"]) \
                if headers.get("Lambda-Runtime-Cognito-Identity") else None
            context = LambdaContext(request_id, int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
                                    headers.get("Lambda-Runtime-Invoked-Function-Arn", ""),
                                    client_context, identity)
            event = json.loads(body) if body else {}
            result = handler(event, context)
            if isinstance(result, bytes):
                payload, content_type = result, "application/unknown"
            else:
                payload = json.dumps(result, default=_json_default).encode()
                content_type = "application/json"
        except Exception:
            document = exception_document(request_id)
            log_error(document)
            api.post_json(f"/runtime/invocation/{request_id}/error", document, document["errorType"])
        else:
            api.call("POST", f"/runtime/invocation/{request_id}/response", payload,
                     {"Content-Type": content_type})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
