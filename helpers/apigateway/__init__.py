"""API Gateway's REST API (v1) data plane for the local cloud.

moto keeps the APIs learners create with boto3; this package answers HTTP for their
deployed stages at ``/restapis/<api_id>/<stage>/_user_request_/<path>``. Reading
order: ``extension.py`` (the WSGI entry) → ``pipeline.py`` (the steps) → the step
modules (``parse``, ``deployments``/``snapshot``, ``routing``, ``mapping``,
``parameters``, ``integrations/``, ``proxy_event``, ``gateway_errors``).
"""
