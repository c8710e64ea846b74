"""natowatch.yml: defaults, every setting, and clear errors with file and line."""

from __future__ import annotations

import pytest

from natowatch.archive.config import Config, load_config
from natowatch.core.errors import InputError


def test_an_archive_without_configuration_gets_the_defaults(tmp_path):
    assert load_config(tmp_path) == Config()


def test_every_setting_is_read(tmp_path):
    (tmp_path / "natowatch.yml").write_text(
        "title: Alliance Watch\ndescription: Articles about the alliance.\nlanguage: en-GB\n"
        "site_url: https://example.github.io/watch\ntime_zone: Europe/Brussels\n"
        "items_per_page: 5\ncname: news.example.org\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config == Config(
        title="Alliance Watch",
        description="Articles about the alliance.",
        language="en-GB",
        site_url="https://example.github.io/watch/",
        time_zone="Europe/Brussels",
        items_per_page=5,
        cname="news.example.org",
    )


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("title: ok\ncolour: blue\n", "unknown setting 'colour'", 2),
        ("items_per_page: many\n", "items_per_page must be a whole number", 1),
        ("items_per_page: 0\n", "must be at least 1", 1),
        ("title: ok\nlanguage: 'english language'\n", "not a language tag", 2),
        ("time_zone: Mars/Olympus\n", "not a time zone", 1),
        ("site_url: example.org\n", "absolute http(s) URL", 1),
        ("cname: 'not a host'\n", "not a host name", 1),
        ("title: [a, b]\n", "title must be text", 1),
        ("title: ok\n  bad: indent\n", "invalid YAML", 2),
        ("- a list\n", "must be a mapping", 1),
    ],
)
def test_bad_settings_name_the_file_the_line_and_the_fix(tmp_path, text, message, line):
    (tmp_path / "natowatch.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path)
    assert message in str(caught.value)
    assert caught.value.path.endswith("natowatch.yml")
    assert caught.value.line == line
