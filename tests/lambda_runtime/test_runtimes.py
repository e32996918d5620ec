"""Node.js, custom runtimes (provided.al2023) and layers: every runtime is a Runtime API client."""
from __future__ import annotations

import shutil

import pytest

from helpers.packaging import zip_files

from .support import PYTHON, invoke, report_of, tail_of

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
needs_curl = pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None,
                                reason="the custom runtime example needs bash and curl")

SEED_GET_POST = """exports.handler = async (event) => {
    
    if(event.httpMethod == 'GET'){
        return {
            statusCode: 200,
            body: JSON.stringify("get")
        }
    } else {
        return {
            statusCode: 200,
            body: JSON.stringify("post")
        }
    }
    
    return response;
};
"""

BOOTSTRAP = """#!/bin/bash
# A custom runtime in shell: ask the Runtime API for an event, run the handler, post the result.
set -euo pipefail
source "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
while true; do
  HEADERS="$(mktemp)"
  EVENT=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT")
  curl -sS -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
"""
SHELL_HANDLER = """handler () {
  echo "shell handler got: $1" 1>&2
  echo "{\\"shell\\": true, \\"event\\": $1}"
}
"""


@needs_node
def test_the_seeds_javascript_handler_runs_as_written(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html: ``exports.handler``
    returning a promise; the seed's GET/POST branch."""
    name = make_function({"index.js": SEED_GET_POST}, handler="index.handler", runtime="nodejs20.x")
    assert invoke(lam, name, {"httpMethod": "GET"})[1] == {"statusCode": 200, "body": '"get"'}
    assert invoke(lam, name, {"httpMethod": "POST"})[1] == {"statusCode": 200, "body": '"post"'}


@needs_node
def test_node_console_output_carries_the_request_id(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html: time, request id, level, message."""
    code = "exports.handler = async (event, context) => { console.log('hello', event.n); return context.awsRequestId; };"
    name = make_function({"index.js": code}, handler="index.handler", runtime="nodejs20.x")
    response, request_id = invoke(lam, name, {"n": 5}, LogType="Tail")
    line = next(line for line in tail_of(response).splitlines() if line.endswith("hello 5"))
    assert line.split("\t")[1:] == [request_id, "INFO", "hello 5"]
    assert request_id == response["ResponseMetadata"]["RequestId"]


@needs_node
def test_node_errors_keep_awss_shape(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html: errorType, errorMessage, trace."""
    code = "exports.handler = async () => { throw new TypeError('nope'); };"
    name = make_function({"index.js": code}, handler="index.handler", runtime="nodejs20.x")
    response, error = invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "TypeError" and error["errorMessage"] == "nope"
    assert error["trace"][0] == "TypeError: nope"


@needs_node
@pytest.mark.parametrize("files, handler, error_type", [
    ({"index.js": "exports.other = async () => 1;"}, "index.handler", "Runtime.HandlerNotFound"),
    ({"index.js": "exports.handler = async () => 1;"}, "missing.handler", "Runtime.ImportModuleError"),
    ({"index.js": "exports.handler = async () => {"}, "index.handler", "Runtime.UserCodeSyntaxError"),
], ids=["not-exported", "no-such-file", "syntax-error"])
def test_node_init_failures_name_their_cause(lam, make_function, files, handler, error_type):
    name = make_function(files, handler=handler, runtime="nodejs20.x")
    response, error = invoke(lam, name)
    assert response["FunctionError"] == "Unhandled" and error["errorType"] == error_type


@needs_node
def test_callback_style_and_es_module_handlers(lam, make_function):
    callback = make_function({"index.js": "exports.handler = (event, context, callback) => callback(null, event.n * 2);"},
                             handler="index.handler", runtime="nodejs20.x")
    assert invoke(lam, callback, {"n": 21})[1] == 42
    module = make_function({"index.mjs": "export const handler = async (event) => ({ esm: event.n });"},
                           handler="index.handler", runtime="nodejs20.x")
    assert invoke(lam, module, {"n": 1})[1] == {"esm": 1}


@needs_curl
def test_a_custom_runtime_bootstrap_in_the_package(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/runtimes-walkthrough.html: provided.al2023 runs
    the package's executable ``bootstrap``, which talks to the Runtime API itself."""
    name = make_function({"bootstrap": BOOTSTRAP, "function.sh": SHELL_HANDLER}, handler="function.handler",
                         runtime="provided.al2023")
    response, payload = invoke(lam, name, {"n": 1}, LogType="Tail")
    assert payload == {"shell": True, "event": {"n": 1}}
    assert 'shell handler got: {"n": 1}' in tail_of(response)


@needs_curl
def test_a_custom_runtime_delivered_as_a_layer(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html: the bootstrap may come
    from a layer (/opt/bootstrap)."""
    layer = lam.publish_layer_version(LayerName="lrt-shell-runtime", Content={"ZipFile": zip_files({"bootstrap": BOOTSTRAP})},
                                      CompatibleRuntimes=["provided.al2023"])["LayerVersionArn"]
    name = make_function({"function.sh": SHELL_HANDLER}, handler="function.handler", runtime="provided.al2023",
                         Layers=[layer])
    assert invoke(lam, name, {"m": 2})[1] == {"shell": True, "event": {"m": 2}}


def test_a_custom_runtime_without_bootstrap_says_so(lam, make_function):
    """runtimes-custom.html: without a bootstrap, Runtime.InvalidEntrypoint."""
    name = make_function({"function.sh": SHELL_HANDLER}, handler="function.handler", runtime="provided.al2023")
    response, error = invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.InvalidEntrypoint" and "bootstrap" in error["errorMessage"]


def test_python_layers_are_importable_in_order(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths:
    ``python/`` and ``python/lib/python3.x/site-packages`` are on the path; layers are
    extracted in order, a later one overriding an earlier one's files."""
    minor = PYTHON.replace("python", "")
    first = lam.publish_layer_version(LayerName="lrt-first", Content={"ZipFile": zip_files({
        "python/shared.py": "WHO = 'first'\n",
        f"python/lib/python{minor}/site-packages/deep_pkg.py": "DEEP = True\n"})})["LayerVersionArn"]
    second = lam.publish_layer_version(LayerName="lrt-second", Content={"ZipFile": zip_files({
        "python/shared.py": "WHO = 'second'\n"})})["LayerVersionArn"]
    code = "import shared, deep_pkg\ndef handler(e, c):\n    return [shared.WHO, deep_pkg.DEEP, shared.__file__]\n"
    name = make_function({"app.py": code}, Layers=[first, second])
    who, deep, path = invoke(lam, name)[1]
    assert (who, deep) == ("second", True)
    assert "/opt/python/shared.py" in path.replace("\\", "/")


def test_a_function_keeps_the_layer_version_it_pinned(lam, make_function):
    """packaging-layers.html: a function uses the exact layer version in its configuration."""
    v1 = lam.publish_layer_version(LayerName="lrt-pinned", Content={"ZipFile": zip_files({"python/pinned.py": "V = 1\n"})})
    v2 = lam.publish_layer_version(LayerName="lrt-pinned", Content={"ZipFile": zip_files({"python/pinned.py": "V = 2\n"})})
    code = "import pinned\ndef handler(e, c):\n    return pinned.V\n"
    old = make_function({"app.py": code}, Layers=[v1["LayerVersionArn"]])
    new = make_function({"app.py": code}, Layers=[v2["LayerVersionArn"]])
    assert (invoke(lam, old)[1], invoke(lam, new)[1]) == (1, 2)


def test_an_unsupported_runtime_is_refused_with_a_reason(lam, make_function):
    """API_Invoke.html: InvalidRuntimeException (502) when the runtime cannot run."""
    name = make_function({"Main.java": "class Main {}"}, handler="Main::handle", runtime="java21")
    with pytest.raises(lam.exceptions.InvalidRuntimeException) as caught:
        invoke(lam, name)
    assert "java21" in caught.value.response["Error"]["Message"]


def test_report_lines_for_other_runtimes_show_init_duration(lam, make_function):
    name = make_function({"function.sh": SHELL_HANDLER, "bootstrap": BOOTSTRAP}, handler="function.handler",
                         runtime="provided.al2023")
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    response, _ = invoke(lam, name, LogType="Tail")
    assert "Init Duration" in report_of(response)
