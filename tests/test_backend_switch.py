"""The backend switch: local (default), aws (opt-in), endpoint (the aws path against any URL)."""
from __future__ import annotations

import os

import boto3
import pytest

import helpers
from helpers import backend
from helpers.localcloud import identity


@pytest.fixture
def clean_env(monkeypatch):
    """Each test starts from the session's environment and leaves no switch state behind."""
    monkeypatch.setattr(backend, "_original_environment", None)
    monkeypatch.setattr(backend, "_current", None)
    for name in backend._MANAGED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    for name in backend._MANAGED_VARIABLES:
        os.environ.pop(name, None)
    boto3.DEFAULT_SESSION = None


def test_local_is_the_default_and_plain_boto3_reaches_the_local_cloud(local_cloud, clean_env):
    clean_env.delenv("COURSE_BACKEND", raising=False)
    connection = helpers.connect()
    assert connection.backend == "local"
    assert os.environ["AWS_ENDPOINT_URL"] == local_cloud.url
    assert connection.region == "ap-northeast-2"
    who = boto3.client("sts").get_caller_identity()
    assert who["Arn"] == f"arn:aws:iam::{identity.ACCOUNT_ID}:user/{identity.USER_NAME}"
    assert "LOCAL CLOUD" in connection._repr_html_()
    assert "Backend: local" in str(connection)


def test_region_comes_from_aws_region(local_cloud, clean_env):
    clean_env.setenv("AWS_REGION", "us-west-2")
    assert helpers.connect("local").region == "us-west-2"
    assert boto3.client("dynamodb").meta.region_name == "us-west-2"


def test_unknown_backend_is_refused_with_the_choices(clean_env):
    with pytest.raises(helpers.CourseError) as info:
        helpers.connect("azure")
    assert "local, aws, endpoint" in str(info.value)


def test_aws_without_credentials_names_aws_configure_and_creates_nothing(clean_env, tmp_path):
    clean_env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    clean_env.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    clean_env.setenv("AWS_EC2_METADATA_DISABLED", "true")
    clean_env.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    clean_env.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    with pytest.raises(helpers.CourseError) as info:
        helpers.connect("aws")
    assert "aws configure" in str(info.value) and "AWS_PROFILE" in str(info.value)
    assert "AWS_ENDPOINT_URL" not in os.environ


def test_aws_with_a_missing_profile_names_the_fix(clean_env, tmp_path):
    clean_env.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    clean_env.setenv("AWS_PROFILE", "does-not-exist")
    with pytest.raises(helpers.CourseError) as info:
        helpers.connect("aws")
    assert "AWS_PROFILE" in str(info.value)


def test_endpoint_backend_refuses_without_opt_in_and_says_how(local_cloud, clean_env):
    clean_env.setenv("COURSE_ENDPOINT_URL", local_cloud.url)
    clean_env.setenv("AWS_ACCESS_KEY_ID", identity.ACCESS_KEY_ID)
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", identity.SECRET_ACCESS_KEY)
    clean_env.delenv("COURSE_ALLOW_REAL_AWS", raising=False)
    with pytest.raises(helpers.CourseError) as info:
        helpers.connect("endpoint")
    message = str(info.value)
    assert identity.ACCOUNT_ID in message and identity.USER_NAME in message
    assert "confirm=True" in message and "COURSE_ALLOW_REAL_AWS=1" in message


def test_endpoint_backend_with_opt_in_shows_the_identity(local_cloud, clean_env):
    clean_env.setenv("COURSE_ENDPOINT_URL", local_cloud.url)
    clean_env.setenv("AWS_ACCESS_KEY_ID", identity.ACCESS_KEY_ID)
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", identity.SECRET_ACCESS_KEY)
    connection = helpers.connect("endpoint", confirm=True)
    assert connection.account == identity.ACCOUNT_ID
    assert connection.arn.endswith(f"user/{identity.USER_NAME}")
    assert "CUSTOM ENDPOINT" in connection._repr_html_()


def test_endpoint_backend_env_opt_in(local_cloud, clean_env):
    clean_env.setenv("COURSE_ENDPOINT_URL", local_cloud.url)
    clean_env.setenv("AWS_ACCESS_KEY_ID", identity.ACCESS_KEY_ID)
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", identity.SECRET_ACCESS_KEY)
    clean_env.setenv("COURSE_ALLOW_REAL_AWS", "1")
    assert helpers.connect("endpoint").backend == "endpoint"


def test_endpoint_backend_without_url_says_which_variable(clean_env):
    clean_env.delenv("COURSE_ENDPOINT_URL", raising=False)
    with pytest.raises(helpers.CourseError, match="COURSE_ENDPOINT_URL"):
        helpers.connect("endpoint")


def test_switching_back_to_aws_drops_the_local_endpoint(local_cloud, clean_env, tmp_path):
    helpers.connect("local")
    assert "AWS_ENDPOINT_URL" in os.environ
    clean_env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    clean_env.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    clean_env.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(helpers.CourseError):
        helpers.connect("aws")
    assert "AWS_ENDPOINT_URL" not in os.environ
    assert "AWS_ACCESS_KEY_ID" not in os.environ
