"""The course's helper package: the plumbing a lesson is not about.

Notebooks start with ``import helpers`` and ``helpers.connect()``; everything the
lesson *teaches* is written in the notebook as plain boto3 and requests.
"""
from .backend import Connection, connect, current
from .errors import CourseError
from . import iam
from . import preflight, teardown
from .exercises import BLANK, ____, exercise
from .logs import invocation_log, parse_report, recent_log_lines, recent_reports
from .naming import name, participant, tag_list, tags, workdir
from .packaging import zip_code, zip_files, zip_path
from .request_tester import request_tester
from .urls import invoke_url
from .waiting import wait_until_active, wait_until_updated, when_role_ready
from .widgets import quiz

__all__ = ["BLANK", "Connection", "CourseError", "____", "connect", "current", "exercise", "iam", "invoke_url",
           "name", "participant", "preflight", "quiz", "request_tester", "tag_list", "tags", "teardown", "workdir",
           "invocation_log", "parse_report", "recent_log_lines", "recent_reports", "zip_code", "zip_files",
           "zip_path", "wait_until_active", "wait_until_updated", "when_role_ready"]
