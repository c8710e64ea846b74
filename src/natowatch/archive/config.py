"""Site configuration: ``natowatch.yml`` in the archive folder, strictly checked.

Every key has a default, so an archive needs no configuration at all. A typo in a key or a value
of the wrong type is an error naming the file and line, never silently ignored.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from natowatch.archive.sources import read_text
from natowatch.core.errors import InputError, yaml_error

CONFIG_NAME = "natowatch.yml"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


@dataclass(frozen=True)
class Config:
    """What a site owner can set; the defaults build a working site."""

    title: str = "natowatch"
    description: str = "A news archive built with natowatch."
    language: str = "en"
    site_url: str | None = None  # absolute URL of the published site, for feeds and sitemap
    time_zone: str = "UTC"
    items_per_page: int = 20
    cname: str | None = None  # custom domain for GitHub Pages (writes a CNAME file)
    max_article_kb: int = 5000  # larger files are reported, not read (a scrape gone wrong)


EXPECTED_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "description": (str,),
    "language": (str,),
    "site_url": (str, type(None)),
    "time_zone": (str,),
    "items_per_page": (int,),
    "cname": (str, type(None)),
    "max_article_kb": (int,),
}


def load_config(archive: Path) -> Config:
    """The archive's configuration, or the defaults when it has no ``natowatch.yml``."""
    path = archive / CONFIG_NAME
    if not path.is_file():
        return Config()
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise yaml_error(path, error) from None
    if data is None:
        return Config()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise InputError(path, "must be a mapping of settings (key: value)", 1)
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return config_from_mapping(data, path, lines)


def config_from_mapping(
    data: dict[Any, Any], path: Path | str, lines: dict[str, int] | None = None
) -> Config:
    lines = lines or {}
    known = {field.name for field in fields(Config)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key)
        line = lines.get(name)
        if name not in known:
            raise InputError(
                path, f"unknown setting {name!r} (known: {', '.join(sorted(known))})", line
            )
        values[name] = _checked(name, value, path, line)
    return Config(**values)


def _checked(name: str, value: Any, path: Path | str, line: int | None) -> Any:
    expected = EXPECTED_TYPES[name]
    if isinstance(value, bool) or not isinstance(value, expected):
        wanted = " or ".join("null" if t is type(None) else t.__name__ for t in expected)
        wanted = wanted.replace("str", "text").replace("int", "a whole number")
        raise InputError(path, f"{name} must be {wanted}, got {value!r}", line)
    problem = _problem(name, value)
    if problem:
        raise InputError(path, f"{name}: {problem}", line)
    if name == "site_url" and isinstance(value, str):
        return value.rstrip("/") + "/"
    return value.strip() if isinstance(value, str) else value


def _problem(name: str, value: Any) -> str | None:
    if name in ("items_per_page", "max_article_kb") and value < 1:
        return "must be at least 1"
    if name == "language" and not LANGUAGE_TAG.match(value):
        return f"{value!r} is not a language tag such as en or en-GB"
    if name == "time_zone":
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return f"{value!r} is not a time zone name such as UTC or Europe/Brussels"
    if name == "site_url" and value is not None and not re.match(r"^https?://[^/\s]+", value):
        return f"{value!r} must be an absolute http(s) URL such as https://you.github.io/archive/"
    if name == "cname" and value is not None and not HOST_NAME.match(value):
        return f"{value!r} is not a host name such as news.example.org"
    if name in ("title", "description") and not value.strip():
        return "must not be empty"
    return None


def config_with_site_url(config: Config, site_url: str, where: Path | str) -> Config:
    """``config`` with ``site_url`` replaced (from the command line), checked like the file's."""
    checked = _checked("site_url", site_url or None, f"{where} (--site-url)", None)
    return replace(config, site_url=checked)
