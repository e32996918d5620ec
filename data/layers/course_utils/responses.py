"""The response an API Gateway proxy integration expects from a Lambda function.

With a proxy integration the function decides the whole HTTP response: ``statusCode``,
``headers`` and a *string* ``body``. A browser calling the API from another origin
also needs ``Access-Control-Allow-Origin`` on the response itself (notebook 04).
"""
import json


def json_response(body, status=200, headers=None):
    """``{"statusCode": 200, "headers": {...}, "body": "<body as JSON>"}``, CORS included."""
    all_headers = {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}
    all_headers.update(headers or {})
    return {"statusCode": status, "headers": all_headers, "body": json.dumps(body, ensure_ascii=False)}
