"""course_utils: small helpers shared by the course's Lambda functions, delivered as a layer.

A function that uses the layer imports it like any installed package:

    from course_utils import json_response
"""
from .responses import json_response

__version__ = "1.0.0"
__all__ = ["__version__", "json_response"]
