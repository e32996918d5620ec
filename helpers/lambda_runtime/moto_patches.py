"""Where the Lambda engine attaches to moto's Lambda backend, in the server process.

- ``LambdaFunction._invoke_lambda`` is the single place moto runs code (with Docker);
  SQS, SNS, Kinesis, DynamoDB streams and CloudWatch Logs subscriptions all call it,
  so pointing it at the engine makes every event source run the real handler.
- ``LambdaStorage.put_function`` (create_function) and ``update_configuration`` check
  what Lambda checks and moto does not: that the execution role trusts
  ``lambda.amazonaws.com``, at most 5 layers, 250 MB unzipped.
  https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
  https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
- Updates and deletes tell the engine to stop reusing the function's environments.
"""
from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from .engine import LambdaEngine

MAX_LAYERS = 5
MAX_UNZIPPED_BYTES = 262144000  # 250 MB: package and layers together
_engine: "LambdaEngine | None" = None
_originals: dict[tuple[type, str], object] = {}


def _invalid(message: str):
    from moto.awslambda.exceptions import InvalidParameterValueException

    return InvalidParameterValueException(message)


def lambda_may_assume(policy_document: str | None) -> bool:
    """Does a role's trust policy let the Lambda service assume it?"""
    if not policy_document:
        return False
    text = policy_document if policy_document.lstrip().startswith("{") else unquote(policy_document)
    try:
        document = json.loads(text)
    except ValueError:
        return False
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(action.lower() in ("sts:assumerole", "sts:*", "*") for action in actions):
            continue
        principal = statement.get("Principal", {})
        if principal == "*":
            return True
        if isinstance(principal, dict):
            for kind in ("Service", "AWS"):
                values = principal.get(kind, [])
                values = [values] if isinstance(values, str) else values
                if "lambda.amazonaws.com" in values or (kind == "AWS" and "*" in values):
                    return True
    return False


def check_role(account_id: str, role_arn: str) -> None:
    from moto.iam.models import iam_backends

    try:
        role = iam_backends[account_id]["aws"].get_role_by_arn(role_arn)
    except Exception:
        return  # moto itself answers for a role that does not exist
    if not lambda_may_assume(role.assume_role_policy_document):
        raise _invalid("The role defined for the function cannot be assumed by Lambda.")


def unzipped_size(data: bytes) -> int:
    if not data:
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _invalid("Could not unzip uploaded file. Please check your file, then try to upload again.") from None


def check_package_size(code_bytes: bytes, layer_bytes: list[bytes]) -> None:
    total = unzipped_size(code_bytes) + sum(unzipped_size(data) for data in layer_bytes)
    if total > MAX_UNZIPPED_BYTES:
        raise _invalid(f"Unzipped size must be smaller than {MAX_UNZIPPED_BYTES} bytes")


def _layer_bytes(fn) -> list[bytes]:
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[fn.account_id][fn.region]
    found = [backend.layers_versions_by_arn(layer["Arn"]) for layer in (fn.layers or [])]
    return [layer.code_bytes for layer in found if layer is not None]


def _patch(cls: type, name: str, replacement) -> None:
    _originals.setdefault((cls, name), cls.__dict__[name])
    setattr(cls, name, replacement)


def install(engine: "LambdaEngine") -> None:
    global _engine
    from moto.awslambda.models import LambdaFunction, LambdaStorage, _zipfile_content

    _engine = engine
    if _originals:
        return
    original_put = LambdaStorage.__dict__["put_function"]
    original_update_configuration = LambdaFunction.__dict__["update_configuration"]
    original_update_code = LambdaFunction.__dict__["update_function_code"]
    original_delete = LambdaStorage.__dict__["del_function"]
    original_layers = LambdaFunction.__dict__["_get_layers_data"]

    def put_function(self, fn):
        check_role(self.account_id, fn.role)
        check_package_size(getattr(fn, "code_bytes", b""), _layer_bytes(fn))
        return original_put(self, fn)

    def _get_layers_data(self, layers_versions_arns):
        if len(layers_versions_arns or []) > MAX_LAYERS:
            raise _invalid(f"Cannot reference more than {MAX_LAYERS} layers.")
        return original_layers(self, layers_versions_arns)

    def update_configuration(self, config_updates):
        if "Role" in config_updates:
            check_role(self.account_id, config_updates["Role"])
        answer = original_update_configuration(self, config_updates)
        if "Layers" in config_updates:
            check_package_size(getattr(self, "code_bytes", b""), _layer_bytes(self))
        _retire(self, {"$LATEST"})
        return answer

    def update_function_code(self, updated_spec):
        if "ZipFile" in updated_spec and not updated_spec.get("DryRun"):
            check_package_size(_zipfile_content(updated_spec["ZipFile"])[0], _layer_bytes(self))
        answer = original_update_code(self, updated_spec)
        _retire(self, {"$LATEST"})
        return answer

    def del_function(self, name_or_arn, qualifier=None):
        fn = self.get_function_by_name_or_arn_with_qualifier(name_or_arn, qualifier)
        answer = original_delete(self, name_or_arn, qualifier)
        if _engine is not None:
            _engine.retire(self.account_id, self.region_name, fn.function_name)
            _engine.provisioned.remove_function(self.account_id, self.region_name, fn.function_name)
        return answer

    def _invoke_lambda(self, event=None):
        """moto's event sources land here: run the handler and answer in moto's shape."""
        from .contract import LambdaServiceError

        if _engine is None:
            return "the local cloud's Lambda engine is not running", True, ""
        qualifier = None if str(self.version) == "$LATEST" else str(self.version)
        try:
            result = _engine.invoke(self.function_name, qualifier, json.dumps({} if event is None else event).encode(),
                                    region=self.region)
        except LambdaServiceError as error:
            return json.dumps({"errorType": error.code, "errorMessage": error.message}), True, ""
        return result.payload.decode("utf-8", "replace"), result.function_error is not None, result.log_tail

    _patch(LambdaStorage, "put_function", put_function)
    _patch(LambdaStorage, "del_function", del_function)
    _patch(LambdaFunction, "_get_layers_data", _get_layers_data)
    _patch(LambdaFunction, "update_configuration", update_configuration)
    _patch(LambdaFunction, "update_function_code", update_function_code)
    _patch(LambdaFunction, "_invoke_lambda", _invoke_lambda)


def _retire(fn, versions: set[str]) -> None:
    if _engine is not None:
        _engine.retire(fn.account_id, fn.region, fn.function_name, versions)


def uninstall() -> None:
    global _engine
    _engine = None
    for (cls, name), original in _originals.items():
        setattr(cls, name, original)
    _originals.clear()
