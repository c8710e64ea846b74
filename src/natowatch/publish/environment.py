"""The Jinja2 environment every page renders in, and what a page's bytes depend on besides its data.

Autoescape is on and undefined values fail loudly, so nothing an article supplies becomes markup
and a template that names a missing value breaks the build instead of printing nothing. Links
are made relative to the page being rendered (the ``url`` filter), so the site works from any
address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from types import CodeType
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from natowatch.core.fingerprints import code_fingerprint, folder_fingerprint
from natowatch.core.snippets import mention_snippet
from natowatch.publish import urls
from natowatch.publish.resources import templates_dir


def _escaped_text(text: str) -> str:
    """``escape``'s text, for a markupsafe without the function below."""
    return str(escape(text))


try:  # markupsafe's own escaping of a str (in C), without its ``Markup.__new__`` in Python
    from markupsafe._speedups import _escape_inner
except ImportError:  # (a private name: should it go, the same text through ``escape``)
    _escape_inner = _escaped_text

# Site-relative paths the templates may link to, so no template spells out a file name.
SITE_PATHS: Mapping[str, str] = {
    "index": urls.INDEX,
    "timeline": urls.TIMELINE,
    "entities": urls.ENTITIES,
    "articles_json": urls.ARTICLES_JSON,
    "coverage_json": urls.COVERAGE_JSON,
    "stylesheet": urls.STYLESHEET,
    "search": urls.SEARCH,
    "archive": urls.ARCHIVE,
    "publishers": urls.PUBLISHERS,
    "people": urls.PEOPLE,
    "organisations": urls.ORGANISATIONS,
    "places": urls.PLACES,
}


def escape_for_template(value: Any) -> Markup:
    """``markupsafe.escape``, quicker for a ``str``: the same escaped text, made a ``Markup``
    by ``str.__new__`` instead of ``Markup.__new__`` (Python code: its check for ``__html__``
    is pointless on a ``str``). Every ``{{ }}`` of every page is escaped, and
    ``Markup.__new__`` was a sixth of the render workers' time; any other value goes to
    ``escape`` as before."""
    if type(value) is str:
        return _new_string(Markup, _escape_inner(value))
    return escape(value)


_new_string = str.__new__


class SiteTemplate(Template):
    """A compiled template whose ``{{ }}`` escape with ``escape_for_template``: the name the
    compiled code calls is a global of its module, given by the template's namespace."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = escape_for_template
        return template


class SiteEnvironment(Environment):
    """Jinja2's environment, reading ``item.name`` from a dict by key first.

    Views are plain dicts, and Jinja2 looks ``item.name`` up as an attribute first: on a dict
    that raises AttributeError before the key is tried, an exception per field shown, millions
    in a large build (a fifth of rendering). A key a dict has wins over a dict method of the
    same name; no view has such a key (templates call no dict methods).
    """

    template_class = SiteTemplate

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(template_folder: Path | None = None) -> Environment:
    """A Jinja2 environment that escapes everything and fails loudly on missing values."""
    folder = template_folder if template_folder is not None else templates_dir()
    environment = SiteEnvironment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters["url"] = _relative_link
    environment.globals["paths"] = dict(SITE_PATHS)
    environment.globals["mention_snippet"] = mention_snippet  # (entity.html)
    return environment


@pass_context
def _relative_link(context: Context, target: str) -> str:
    """Template filter: ``paths.index|url``, the link from the page being rendered.

    A page served at unknown addresses (404.html) links absolutely when the site's address is
    known (``link_base``); every other page links relatively.

    A filter, not a global function: Jinja2 calls a function through ``Context.call``, which
    inside a loop derives a new context for each call, while a filter is called directly. A
    page links from loops (every article and mention of an entity page, every entry of a
    timeline page): ~1.5 of the ~5.5 s of rendering 1,000 articles' entity pages. The page's
    variables are read from ``context.parent`` (the render call's variables, shared by its
    blocks and includes; no template sets ``page`` or ``link_base``) as a plain dict."""
    variables = context.parent
    base = variables.get("link_base")
    if base:
        return urljoin(str(base), target)
    return urls.relative_url(str(variables["page"]), target)


def templates_fingerprint() -> str:
    """What every page's bytes depend on besides its context: natowatch's code and templates."""
    return f"{code_fingerprint()}:{folder_fingerprint(templates_dir())}"
