"""CAIRN_EMAIL_URL: one URL says where mail goes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cairn.lib.emails import (
    CONSOLE_BACKEND,
    NULL_BACKEND,
    SMTP_BACKEND,
    EmailConfig,
    parse_email_url,
)


def test_an_empty_url_means_email_is_not_configured():
    config = parse_email_url("")
    assert config == EmailConfig(backend=NULL_BACKEND)
    assert not config.configured


def test_plain_smtp_defaults_to_port_25_without_encryption():
    config = parse_email_url("smtp://mail.example.org")
    assert config == EmailConfig(backend=SMTP_BACKEND, host="mail.example.org", port=25)
    assert config.configured


def test_smtp_with_tls_defaults_to_the_submission_port():
    config = parse_email_url("smtp://mail.example.org?tls=1")
    assert (config.port, config.use_tls, config.use_ssl) == (587, True, False)


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "TRUE"])
def test_tls_accepts_the_usual_true_words(word):
    assert parse_email_url(f"smtp://mail.example.org?tls={word}").use_tls


@pytest.mark.parametrize("word", ["0", "false", "no", "off"])
def test_tls_can_be_spelled_off(word):
    config = parse_email_url(f"smtp://mail.example.org?tls={word}")
    assert (config.use_tls, config.port) == (False, 25)


def test_a_malformed_tls_flag_is_an_error_rather_than_plain_text():
    # A typo must not quietly send the password unencrypted.
    with pytest.raises(ImproperlyConfigured, match=r"CAIRN_EMAIL_URL.*tls"):
        parse_email_url("smtp://user:pw@mail.example.org?tls=ture")


def test_an_unknown_parameter_is_an_error_naming_it():
    with pytest.raises(ImproperlyConfigured, match=r"CAIRN_EMAIL_URL.*'tsl'"):
        parse_email_url("smtp://mail.example.org?tsl=1")


def test_smtp_plus_tls_scheme_means_starttls():
    config = parse_email_url("smtp+tls://mail.example.org")
    assert (config.port, config.use_tls) == (587, True)


def test_smtps_uses_implicit_tls_on_port_465():
    config = parse_email_url("smtps://mail.example.org")
    assert (config.port, config.use_ssl, config.use_tls) == (465, True, False)


def test_smtps_with_tls_as_well_is_an_error():
    with pytest.raises(ImproperlyConfigured, match="smtps://"):
        parse_email_url("smtps://mail.example.org?tls=1")


def test_an_explicit_port_wins():
    assert parse_email_url("smtp://mail.example.org:2525?tls=1").port == 2525


def test_user_and_password_are_percent_decoded():
    config = parse_email_url("smtp://me%40example.org:p%40ss%3Aw%2Fo%25rd@mail.example.org:587")
    assert config.user == "me@example.org"
    assert config.password == "p@ss:w/o%rd"


def test_no_user_means_no_login():
    config = parse_email_url("smtp://mail.example.org")
    assert (config.user, config.password) == ("", "")


def test_from_address_comes_from_the_query():
    config = parse_email_url("smtp://mail.example.org?tls=1&from=Cairn%20%3Ccairn%40example.org%3E")
    assert config.default_from == "Cairn <cairn@example.org>"


def test_console_prints_messages_and_counts_as_configured():
    config = parse_email_url("console://")
    assert config.backend == CONSOLE_BACKEND
    assert config.configured


def test_console_keeps_the_from_address():
    assert parse_email_url("console://?from=me%40example.org").default_from == "me@example.org"


@pytest.mark.parametrize("url", ["http://mail.example.org", "mail.example.org", "imap://x"])
def test_an_unsupported_scheme_is_an_error_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="CAIRN_EMAIL_URL must start with smtp://"):
        parse_email_url(url)


@pytest.mark.parametrize("url", ["smtp://", "smtp:///path", "smtps://user:pw@"])
def test_no_host_is_an_error(url):
    with pytest.raises(ImproperlyConfigured, match="CAIRN_EMAIL_URL has no host"):
        parse_email_url(url)


@pytest.mark.parametrize("url", ["smtp://mail.example.org:smtp", "smtp://mail.example.org:70000"])
def test_a_bad_port_is_an_error(url):
    with pytest.raises(ImproperlyConfigured, match="CAIRN_EMAIL_URL has an invalid port"):
        parse_email_url(url)


def test_the_variable_named_in_errors_can_be_chosen():
    with pytest.raises(ImproperlyConfigured, match="OTHER_URL"):
        parse_email_url("ftp://x", variable="OTHER_URL")


@pytest.mark.parametrize(
    "url",
    [
        "smtp://me:hunter2hunter2@mail.example.org?tls=maybe",
        "smtp://me:hunter2hunter2@mail.example.org?tsl=1",
        "smtp://me:hunter2hunter2@mail.example.org:port",
        "smtps://me:hunter2hunter2@mail.example.org?tls=1",
    ],
)
def test_errors_never_repeat_the_password(url):
    # Configuration errors end up in logs and terminals.
    with pytest.raises(ImproperlyConfigured) as info:
        parse_email_url(url)
    assert "hunter2" not in str(info.value)
