"""Exercises of notebook 04 (a REST API in front of a Lambda): deploy to see a change, scope a permission.

04.1 asks the deployed stage itself (so it passes on the local cloud and on a real
account alike) and names the usual slip: a method added but never deployed.
04.2 checks the SourceArn of a Lambda permission piece by piece.
"""
from __future__ import annotations

from . import define

_GET_CELL = '''import requests

apigw.put_method(restApiId=api_id, resourceId=hello_id, httpMethod="GET", authorizationType="NONE")
apigw.put_integration(restApiId=api_id, resourceId=hello_id, httpMethod="GET", type="AWS_PROXY",
                      integrationHttpMethod="POST", uri=lambda_uri)

deployment = {value}

response = requests.get(url + "/hello")
print(response.status_code, response.text)'''


@define(
    "04.1", "A new method is live only once deployed",
    hint="A stage serves a deployment: a snapshot of the API taken when you deployed. A method added "
         "since is not in it. apigw.create_deployment(restApiId=..., stageName=...) takes a new one.",
    solution="from helpers import ____\n" + _GET_CELL.format(
        value='apigw.create_deployment(restApiId=api_id, stageName=STAGE, description="GET /hello")'),
    mistake="from helpers import ____\n" + _GET_CELL.format(
        value="apigw.get_stage(restApiId=api_id, stageName=STAGE)"),
)
def check_get_deployed(deployment, url) -> None:
    import requests

    response = requests.get(url.rstrip("/") + "/hello", timeout=35)
    if response.status_code == 403:
        hint = (" (get_stage only reads the stage; it does not deploy anything)"
                if isinstance(deployment, dict) and "stageName" in deployment else "")
        raise AssertionError("GET /hello still answers 403 Missing Authentication Token: the stage serves a "
                             f"deployment made before the GET method existed{hint}")
    if response.status_code != 200 or response.json() != "get":
        raise AssertionError(f"GET /hello answered {response.status_code} {response.text[:120]}; expected "
                             '200 and "get" from the handler')
    if not isinstance(deployment, dict) or "id" not in deployment or "createdDate" not in deployment:
        raise AssertionError("deployment should be the answer of create_deployment (a dict with an 'id' "
                             "and a 'createdDate')")


_ARN_COMMENT = '''# Only POST /hello of this API, from any stage:
#   arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<resource path without the first />
'''


@define(
    "04.2", "A permission scoped to one method",
    hint="The source is the API's execute-api ARN: region, account, then api-id/stage/METHOD/path. "
         "A * stands for any stage; the method is POST and the path is hello.",
    solution=_ARN_COMMENT + 'source_arn = f"arn:aws:execute-api:{conn.region}:{conn.account}:{api_id}/*/POST/hello"',
    mistake=_ARN_COMMENT + 'source_arn = f"arn:aws:apigateway:{conn.region}::/restapis/{api_id}/*/POST/hello"',
)
def check_source_arn(source_arn, api_id) -> None:
    import boto3

    if not isinstance(source_arn, str):
        raise AssertionError(f"expected the ARN as a string, got a {type(source_arn).__name__}")
    parts = source_arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise AssertionError("an ARN has six parts separated by ':' — arn:aws:execute-api:<region>:<account>:…")
    _, partition, service, region, account, resource = parts
    if service == "apigateway":
        raise AssertionError("arn:aws:apigateway names the API's configuration (the control plane); calls to "
                             "a deployed API come from execute-api")
    if service != "execute-api":
        raise AssertionError(f"the service part is {service!r}; calls to a deployed API come from execute-api")
    session = boto3.session.Session()
    expected_region = session.region_name
    expected_account = boto3.client("sts").get_caller_identity()["Account"]
    if region != expected_region:
        raise AssertionError(f"the region part is {region!r}, not your region {expected_region!r}")
    if account != expected_account:
        raise AssertionError(f"the account part is {account!r}, not your account id")
    pieces = resource.split("/", 3)
    if len(pieces) != 4 or pieces[0] != api_id:
        raise AssertionError(f"after the account comes <api id>/<stage>/<METHOD>/<path>, starting with {api_id}")
    _, stage, method, path = pieces
    if stage != "*":
        raise AssertionError(f"the stage part is {stage!r}: use * to allow every stage")
    if method != "POST":
        raise AssertionError(f"the method part is {method!r}: only POST should be allowed")
    if path != "hello":
        raise AssertionError(f"the path part is {path!r}: the resource is /hello, written without its first /")
