"""The typed environment readers: valid, default, blank and malformed values."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from cairn.lib.env import (
    FALSE,
    TRUE,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    env_url,
)


def refused(name: str):
    """Expect an ImproperlyConfigured whose message names the variable."""
    return pytest.raises(ImproperlyConfigured, match=name)


# env_str


def test_str_reads_the_value_without_surrounding_space():
    assert env_str("NAME", "x", environ={"NAME": "  hello world "}) == "hello world"


@pytest.mark.parametrize("environ", [{}, {"NAME": ""}, {"NAME": "   "}])
def test_str_unset_or_blank_gives_the_default(environ):
    assert env_str("NAME", "fallback", environ=environ) == "fallback"


def test_str_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("CAIRN_TEST_STR", "from the process")
    assert env_str("CAIRN_TEST_STR") == "from the process"


# env_bool


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "Yes", "on", " on "])
def test_bool_accepts_true_words(word):
    assert env_bool("FLAG", False, environ={"FLAG": word}) is True


@pytest.mark.parametrize("word", ["0", "false", "False", "NO", "off"])
def test_bool_accepts_false_words(word):
    assert env_bool("FLAG", True, environ={"FLAG": word}) is False


@pytest.mark.parametrize("environ", [{}, {"FLAG": ""}, {"FLAG": " "}])
def test_bool_unset_or_blank_gives_the_default(environ):
    assert env_bool("FLAG", True, environ=environ) is True
    assert env_bool("FLAG", False, environ=environ) is False


@pytest.mark.parametrize("word", ["ture", "2", "y", "enabled", "truee", "-1"])
def test_a_malformed_bool_is_an_error_naming_the_variable(word):
    with refused("CAIRN_DEBUG") as info:
        env_bool("CAIRN_DEBUG", False, environ={"CAIRN_DEBUG": word})
    assert repr(word) in str(info.value)


@given(st.sampled_from(sorted(TRUE | FALSE)), st.booleans(), st.sampled_from(["", " ", "\t"]))
def test_bool_accepts_every_spelling_in_any_case(word, upper, pad):
    spelled = pad + (word.upper() if upper else word) + pad
    assert env_bool("FLAG", word not in TRUE, environ={"FLAG": spelled}) is (word in TRUE)


@given(st.text().filter(lambda s: s.strip() and s.strip().lower() not in TRUE | FALSE))
def test_bool_refuses_any_other_string(text):
    with refused("FLAG"):
        env_bool("FLAG", False, environ={"FLAG": text})


# env_int


def test_int_reads_a_number():
    assert env_int("N", 3, environ={"N": " 42 "}) == 42
    assert env_int("N", 3, environ={"N": "-7"}) == -7


@pytest.mark.parametrize("environ", [{}, {"N": ""}])
def test_int_unset_or_blank_gives_the_default(environ):
    assert env_int("N", 3, environ=environ) == 3


@pytest.mark.parametrize("value", ["three", "1.5", "0x10", "1e3", "12abc"])
def test_a_malformed_int_is_an_error_naming_the_variable(value):
    with refused("CAIRN_WORKERS"):
        env_int("CAIRN_WORKERS", 1, environ={"CAIRN_WORKERS": value})


def test_int_bounds_are_inclusive():
    assert env_int("N", 5, minimum=1, maximum=10, environ={"N": "1"}) == 1
    assert env_int("N", 5, minimum=1, maximum=10, environ={"N": "10"}) == 10


def test_int_below_the_minimum_is_an_error():
    with refused("N") as info:
        env_int("N", 5, minimum=1, environ={"N": "0"})
    assert "minimum of 1" in str(info.value)


def test_int_above_the_maximum_is_an_error():
    with refused("N") as info:
        env_int("N", 5, maximum=10, environ={"N": "11"})
    assert "maximum of 10" in str(info.value)


@given(st.integers())
def test_int_round_trips_any_whole_number(number):
    assert env_int("N", 0, environ={"N": str(number)}) == number


@given(st.integers(), st.integers(-1000, 1000), st.integers(0, 1000))
def test_int_accepts_exactly_the_numbers_within_its_bounds(number, low, span):
    high = low + span
    if low <= number <= high:
        assert env_int("N", low, minimum=low, maximum=high, environ={"N": str(number)}) == number
    else:
        with refused("N"):
            env_int("N", low, minimum=low, maximum=high, environ={"N": str(number)})


# env_choice


def test_choice_reads_one_of_the_words_in_any_case():
    assert (
        env_choice("SIGNUP", "open", ("open", "closed"), environ={"SIGNUP": "Closed"}) == "closed"
    )


def test_choice_unset_gives_the_default():
    assert env_choice("SIGNUP", "open", ("open", "closed"), environ={}) == "open"


def test_choice_outside_the_set_is_an_error_listing_the_choices():
    with refused("CAIRN_SIGNUP") as info:
        env_choice("CAIRN_SIGNUP", "open", ("open", "closed"), environ={"CAIRN_SIGNUP": "invite"})
    assert "open, closed" in str(info.value)


# env_list


def test_list_splits_on_commas_and_drops_blank_items():
    environ = {"HOSTS": " a.example.org, ,b.example.org ,, "}
    assert env_list("HOSTS", environ=environ) == ["a.example.org", "b.example.org"]


def test_list_of_one_item():
    assert env_list("HOSTS", environ={"HOSTS": "only"}) == ["only"]


@pytest.mark.parametrize("environ", [{}, {"HOSTS": "  "}])
def test_list_unset_gives_a_copy_of_the_default(environ):
    default = ("localhost",)
    result = env_list("HOSTS", default, environ=environ)
    assert result == ["localhost"]
    assert isinstance(result, list)


# env_path


def test_path_expands_the_home_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert env_path("DIR", Path("/x"), environ={"DIR": "~/data"}) == tmp_path / "data"


def test_path_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert env_path("DIR", Path("/x"), environ={"DIR": "var"}) == tmp_path.resolve() / "var"


def test_path_unset_gives_the_default_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert env_path("DIR", Path("default"), environ={}) == tmp_path.resolve() / "default"


# env_url


def test_url_keeps_the_url_without_its_trailing_slash():
    url = env_url("SITE", "", environ={"SITE": "https://cairn.example.org:8443/"})
    assert url == "https://cairn.example.org:8443"


def test_url_unset_gives_the_default():
    assert env_url("SITE", "http://localhost:8000", environ={}) == "http://localhost:8000"


@pytest.mark.parametrize(
    "value",
    [
        "cairn.example.org",
        "ftp://cairn.example.org",
        "https://",
        "https:///path",
        "javascript:alert(1)",
        "https://cairn.example.org:http",
        "https://cairn.example.org:99999",
    ],
)
def test_a_malformed_url_is_an_error_naming_the_variable(value):
    with refused("CAIRN_SITE_URL"):
        env_url("CAIRN_SITE_URL", "", environ={"CAIRN_SITE_URL": value})


def test_url_schemes_can_be_restricted():
    environ = {"FEED": "http://example.org"}
    with refused("FEED") as info:
        env_url("FEED", "", schemes=("https",), environ=environ)
    assert "https://host" in str(info.value)


# env_secret


def test_secret_from_the_variable():
    assert env_secret("KEY", environ={"KEY": "s3cret"}) == "s3cret"


@pytest.mark.parametrize("environ", [{}, {"KEY": ""}, {"KEY_FILE": "  "}])
def test_secret_unset_is_none(environ):
    assert env_secret("KEY", environ=environ) is None


def test_secret_from_a_file_without_its_newline(tmp_path):
    path = tmp_path / "key"
    path.write_text("from-a-file\n")
    assert env_secret("KEY", environ={"KEY_FILE": str(path)}) == "from-a-file"


def test_secret_and_its_file_together_are_an_error(tmp_path):
    path = tmp_path / "key"
    path.write_text("from-a-file")
    with refused("KEY_FILE"):
        env_secret("KEY", environ={"KEY": "direct", "KEY_FILE": str(path)})


def test_a_missing_secret_file_is_an_error_naming_the_variable(tmp_path):
    with refused("CAIRN_SECRET_KEY_FILE") as info:
        env_secret("CAIRN_SECRET_KEY", environ={"CAIRN_SECRET_KEY_FILE": str(tmp_path / "nope")})
    assert "cannot be read" in str(info.value)


def test_an_unreadable_secret_file_is_an_error(tmp_path):
    # A directory cannot be read as a file, even by root (who ignores permission bits).
    with refused("KEY_FILE") as info:
        env_secret("KEY", environ={"KEY_FILE": str(tmp_path)})
    assert "cannot be read" in str(info.value)


@pytest.mark.parametrize("content", ["", "\n", "   \n\t"])
def test_an_empty_secret_file_is_an_error(tmp_path, content):
    path = tmp_path / "key"
    path.write_text(content)
    with refused("KEY_FILE") as info:
        env_secret("KEY", environ={"KEY_FILE": str(path)})
    assert "empty" in str(info.value)
