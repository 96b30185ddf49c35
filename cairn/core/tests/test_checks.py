"""System checks: each fires in the situation it describes, and only then."""

from __future__ import annotations

import secrets

import pytest
from django.core.checks import run_checks

from cairn import checks
from cairn.core.tests.processes import run_cairn

GOOD_KEY = secrets.token_urlsafe(50)


def ids(messages) -> list[str]:
    return [message.id for message in messages]


# cairn.E001: the secret key


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "x" * 49,
        "ab" * 40,  # long but only two different characters
        "django-insecure-" + secrets.token_urlsafe(50),
    ],
)
def test_a_weak_key_with_debug_off_is_an_error(settings, key):
    settings.DEBUG = False
    settings.SECRET_KEY = key
    assert ids(checks.check_secret_key(None)) == ["cairn.E001"]


def test_a_weak_key_is_fine_while_debugging(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "short"
    assert checks.check_secret_key(None) == []


def test_a_long_random_key_passes(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD_KEY
    assert checks.check_secret_key(None) == []


def test_the_key_error_says_how_to_fix_it(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "short"
    [error] = checks.check_secret_key(None)
    assert "CAIRN_SECRET_KEY" in error.msg
    assert "token_urlsafe" in error.hint


# cairn.W001: the site's host is served


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("cairn.example.org", ["cairn.example.org"]),
        ("cairn.example.org", ["localhost", "*"]),
        ("cairn.example.org", [".example.org"]),
        ("example.org", [".example.org"]),
        ("cairn.example.org", ["Cairn.Example.ORG"]),
    ],
)
def test_a_served_site_host_passes(settings, host, allowed):
    settings.SITE_HOST = host
    settings.ALLOWED_HOSTS = allowed
    assert checks.check_hosts(None) == []


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("cairn.example.org", ["localhost", "127.0.0.1"]),
        ("cairn.example.org", ["example.org"]),
        ("evilexample.org", [".example.org"]),
        ("cairn.example.org", []),
    ],
)
def test_a_site_host_this_server_refuses_is_a_warning(settings, host, allowed):
    settings.SITE_HOST = host
    settings.ALLOWED_HOSTS = allowed
    [warning] = checks.check_hosts(None)
    assert warning.id == "cairn.W001"
    assert repr(host) in warning.msg
    assert "CAIRN_ALLOWED_HOSTS" in warning.msg


# cairn.W002: email


def test_no_email_in_production_is_a_warning(settings):
    settings.DEBUG = False
    settings.EMAIL_CONFIGURED = False
    [warning] = checks.check_email(None)
    assert warning.id == "cairn.W002"
    assert "CAIRN_EMAIL_URL" in warning.msg
    assert "password-reset" in warning.msg


def test_configured_email_passes(settings):
    settings.DEBUG = False
    settings.EMAIL_CONFIGURED = True
    assert checks.check_email(None) == []


def test_no_email_is_fine_while_debugging(settings):
    settings.DEBUG = True
    settings.EMAIL_CONFIGURED = False
    assert checks.check_email(None) == []


# cairn.E002: the data directory


def test_a_writable_data_directory_passes(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert checks.check_data_dir(None) == []


def test_a_data_directory_that_cannot_be_written_is_an_error(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "gone"  # e.g. removed, or a mount that is not there
    [error] = checks.check_data_dir(None)
    assert error.id == "cairn.E002"
    assert str(tmp_path / "gone") in error.msg


def test_a_read_only_data_directory_is_an_error(settings, tmp_path, monkeypatch):
    # Root ignores permission bits, so ask the operating system's answer to be "no".
    monkeypatch.setattr(checks.os, "access", lambda path, mode: False)
    settings.DATA_DIR = tmp_path
    assert ids(checks.check_data_dir(None)) == ["cairn.E002"]


# cairn.W003: HTTPS


def test_plain_http_in_production_is_a_warning(settings):
    settings.DEBUG = False
    settings.HTTPS = False
    [warning] = checks.check_https(None)
    assert warning.id == "cairn.W003"
    assert "CAIRN_SITE_URL" in warning.msg


def test_https_passes(settings):
    settings.DEBUG = False
    settings.HTTPS = True
    assert checks.check_https(None) == []


def test_plain_http_is_fine_while_debugging(settings):
    settings.DEBUG = True
    settings.HTTPS = False
    assert checks.check_https(None) == []


# registration


def test_everyday_checks_run_with_plain_cairn_check(settings, tmp_path):
    settings.DEBUG = False
    settings.SECRET_KEY = "short"
    settings.HTTPS = False
    settings.EMAIL_CONFIGURED = False
    settings.SITE_HOST = "cairn.example.org"
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.DATA_DIR = tmp_path / "gone"
    found = set(ids(run_checks()))
    assert {"cairn.W001", "cairn.W002", "cairn.E002"} <= found
    # Production-only advice waits for --deploy.
    assert not found & {"cairn.E001", "cairn.W003"}
    assert {"cairn.E001", "cairn.W003"} <= set(ids(run_checks(include_deployment_checks=True)))


# end to end, as an operator runs it


def production(**overrides: str) -> dict[str, str]:
    return {
        "CAIRN_SITE_URL": "https://cairn.example.org",
        "CAIRN_EMAIL_URL": "smtp://cairn%40example.org:pw@mail.example.org:587?tls=1",
        **overrides,
    }


@pytest.fixture(scope="module")
def deploy_check(tmp_path_factory):
    """`cairn check --deploy` as CI runs it; the key is left for Cairn to generate."""
    data_dir = tmp_path_factory.mktemp("deploy")
    return run_cairn(
        "check", "--deploy", "--fail-level", "WARNING", data_dir=data_dir, **production()
    )


def test_deploy_check_has_no_cairn_issue_in_production(deploy_check):
    assert "Traceback" not in deploy_check.stderr
    assert "cairn." not in deploy_check.stdout + deploy_check.stderr


def test_deploy_check_is_clean_in_production(deploy_check):
    assert deploy_check.returncode == 0, deploy_check.stdout + deploy_check.stderr
    assert "System check identified no issues" in deploy_check.stdout


def test_deploy_check_fails_on_a_short_key_naming_the_variable(tmp_path):
    result = run_cairn(
        "check", "--deploy", data_dir=tmp_path, **production(CAIRN_SECRET_KEY="too-short")
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "(cairn.E001) CAIRN_SECRET_KEY" in result.stderr
