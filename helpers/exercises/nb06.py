"""Exercises of notebook 06 (layers): move one function to a new layer version; the python/ prefix.

06.1 asks both functions which version of course_utils they import, so the check passes
on the local cloud and on a real account (whatever the layer's version numbers became
after earlier runs). 06.2 looks inside the zip the prefix produces.
"""
from __future__ import annotations

import io
import json
import zipfile

from . import define

_MOVE_COMMENT = "# lam.update_function_configuration(FunctionName=..., Layers=[<a layer version ARN>])\n"


def _course_utils_version(lam, function_name: str) -> str:
    answer = lam.invoke(FunctionName=function_name)
    result = json.loads(answer["Payload"].read())
    if answer.get("FunctionError"):
        raise AssertionError(f"{function_name} failed: {result.get('errorMessage', result)}")
    return json.loads(result["body"])["course_utils"]


@define(
    "06.1", "Move one function to layer version 2",
    hint="Layers takes layer *version* ARNs (they end with :<number>). layer_v2['LayerVersionArn'] is the "
         "one to give function B; function A is not touched.",
    solution="from helpers import ____\n\n" + _MOVE_COMMENT +
             'updated = lam.update_function_configuration(FunctionName=FUNCTION_B, Layers=[layer_v2["LayerVersionArn"]])',
    mistake="from helpers import ____\n\n" + _MOVE_COMMENT +
            'updated = lam.update_function_configuration(FunctionName=FUNCTION_B, Layers=[layer_v1["LayerVersionArn"]])',
)
def check_moved(updated, function_a: str, function_b: str) -> None:
    import boto3

    from ..waiting import wait_until_updated

    if not isinstance(updated, dict) or updated.get("FunctionName") != function_b:
        raise AssertionError(f"updated should be the answer of update_function_configuration for {function_b}")
    lam = boto3.client("lambda")
    wait_until_updated(function_b)
    version_a, version_b = _course_utils_version(lam, function_a), _course_utils_version(lam, function_b)
    if version_b != "2.0.0":
        raise AssertionError(f"function B still imports course_utils {version_b}: its configuration names "
                             f"{[layer['Arn'] for layer in updated.get('Layers', [])]}")
    if version_a != "1.0.0":
        raise AssertionError(f"function A imports course_utils {version_a}: it should keep version 1")


_PREFIX_COMMENT = "# helpers.zip_path(source, prefix=prefix) puts every file of the package under prefix/\n"


@define(
    "06.2", "Where a Python layer's files go",
    hint="Lambda puts /opt/python on a Python function's import path, and the layer unpacks into /opt. "
         "So the package must sit in python/<package>/ inside the zip.",
    solution="from helpers import ____\n\n" + _PREFIX_COMMENT + 'prefix = "python/course_utils"',
    mistake="from helpers import ____\n\n" + _PREFIX_COMMENT + 'prefix = "course_utils"',
)
def check_prefix(prefix, source) -> None:
    from ..packaging import zip_path

    if not isinstance(prefix, str):
        raise AssertionError(f"prefix should be a string such as 'folder/sub', got {type(prefix).__name__}")
    names = zipfile.ZipFile(io.BytesIO(zip_path(source, prefix=prefix))).namelist()
    if "python/course_utils/__init__.py" not in names:
        where = f"/opt/{names[0].rsplit('/', 1)[0]}" if "/" in names[0] else "/opt"
        raise AssertionError(f"with this prefix the zip holds {names[0]}, which lands in {where}: not on the "
                             "import path, so `import course_utils` fails")
