"""Participant names, the course tags and the work folder."""
from __future__ import annotations

import pytest

import helpers
from helpers import naming


def test_name_is_participant_prefixed(monkeypatch):
    monkeypatch.setenv("COURSE_PARTICIPANT", "alice")
    assert helpers.name("hello") == "alice-hello"


@pytest.mark.parametrize("bad", ["Alice", "al ice", "a_b", "-alice", "x" * 21, "älice"])
def test_a_bad_participant_name_is_refused_with_what_is_allowed(monkeypatch, bad):
    monkeypatch.setenv("COURSE_PARTICIPANT", bad)
    with pytest.raises(helpers.CourseError) as info:
        helpers.name("hello")
    assert "lowercase letters, digits and hyphens" in str(info.value)
    assert "20 characters" in str(info.value)


def test_default_participant_is_the_os_user_folded_to_the_alphabet(monkeypatch):
    monkeypatch.delenv("COURSE_PARTICIPANT", raising=False)
    monkeypatch.setattr(naming.getpass, "getuser", lambda: "John.Doe_Smith-The-Third-Esq")
    value = naming.participant()
    assert value == "john-doe-smith-the-t"
    naming.validate_participant(value)


def test_tags_in_both_shapes(monkeypatch):
    monkeypatch.setenv("COURSE_PARTICIPANT", "bob")
    assert helpers.tags() == {"course": naming.COURSE_TAG_VALUE, "participant": "bob"}
    assert {"Key": "participant", "Value": "bob"} in helpers.tag_list()


def test_bad_base_name_is_refused(monkeypatch):
    monkeypatch.setenv("COURSE_PARTICIPANT", "bob")
    with pytest.raises(helpers.CourseError):
        helpers.name("has space")


def test_workdir_is_per_participant_and_outside_notebooks(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_WORK_DIR", raising=False)
    monkeypatch.setenv("COURSE_PARTICIPANT", "carol")
    path = helpers.workdir("lambda")
    assert path.is_dir() and path.parts[-3:] == ("work", "carol", "lambda")
    assert "notebooks" not in path.parts
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path / "w"))
    assert helpers.workdir() == tmp_path / "w"
