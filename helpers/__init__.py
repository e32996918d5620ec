"""The course's helper package: the plumbing a lesson is not about.

Notebooks start with ``import helpers`` and ``helpers.connect()``; everything the
lesson *teaches* is written in the notebook as plain boto3 and requests.
"""
from .backend import Connection, connect, current
from .errors import CourseError
from . import iam
from . import preflight, teardown
from .exercises import BLANK, ____, exercise
from .naming import name, participant, tag_list, tags, workdir
from .request_tester import request_tester
from .urls import invoke_url
from .widgets import quiz

__all__ = ["BLANK", "Connection", "CourseError", "____", "connect", "current", "exercise", "iam", "invoke_url",
           "name", "participant", "preflight", "quiz", "request_tester", "tag_list", "tags", "teardown", "workdir"]
