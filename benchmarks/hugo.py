"""The same corpus as a minimal Hugo site, so Hugo does comparable work to natowatch.

Every article becomes one Markdown page (raw-text articles converted: caption, body, bio and
comments as Markdown), and the layouts render a page per article, a paginated index, a page per
tag (plus the list of tags) and an RSS feed of the 50 newest articles: the work of the reference
table in issue 6. ``python -m benchmarks.hugo --articles 1000 --out /dev/shm/hugo-1000`` writes
the site; ``--build`` also builds it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.generate import (
    DEFAULT_SEED,
    RAW_SHARE,
    SyntheticArticle,
    generate_corpus,
    prepare_folder,
    render_markdown,
)

CONFIG = """\
baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic archive"
paginate = 20
disableKinds = ["sitemap", "robotsTXT", "404"]

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[taxonomies]
tag = "tags"

[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ with .Params.author }} · {{ . }}{{ end }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>
{{ end }}
"""

PAGE_LIST = """\
<ol>
{{ range .Paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary | plainify | truncate 160 }}</li>
{{ end }}
</ol>
{{ template "_internal/pagination.html" . }}
"""

LIST = '{{ define "main" }}\n<h1>{{ .Title }}</h1>\n' + PAGE_LIST + "{{ end }}\n"

INDEX = """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $pages := site.RegularPages.ByDate.Reverse }}
{{ $paginator := .Paginate $pages }}
<ol>
{{ range $paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary | plainify | truncate 160 }}</li>
{{ end }}
</ol>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""

TERMS = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
"""

RSS = """\
<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<rss version="2.0"><channel>
<title>{{ site.Title }}</title><link>{{ .Permalink }}</link>
<description>Newest articles</description>
{{ range first 50 site.RegularPages.ByDate.Reverse }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate>
<description>{{ .Summary | html }}</description></item>
{{ end }}
</channel></rss>
"""

LAYOUTS = {
    "_default/baseof.html": BASEOF,
    "_default/single.html": SINGLE,
    "_default/list.html": LIST,
    "_default/terms.html": TERMS,
    "_default/rss.xml": RSS,
    "index.html": INDEX,
}


def raw_as_markdown(article: SyntheticArticle) -> str:
    """A raw-text article as the Markdown page a Hugo user would make of it."""
    front = render_markdown(article).split("\n---\n", 1)[0]
    lines = [
        front,
        f'author: "{article.author}"',
        "---",
        "",
        f"*{article.caption}* (Photo: {article.credit})",
        "",
    ]
    for paragraph in article.paragraphs:
        lines += [paragraph, ""]
    lines += [f"*{article.bio}*", ""]
    if article.comments:
        lines += ["## Comments", ""]
        lines += [f"{number}. {text}" for number, text in enumerate(article.comments, 1)]
        lines.append("")
    return "\n".join(lines)


def write_hugo_site(articles: Sequence[SyntheticArticle], site: Path) -> None:
    """Write config, layouts and content/articles/ for ``articles`` into ``site``."""
    prepare_folder(site)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content = site / "content" / "articles"
    content.mkdir(parents=True)
    for article in articles:
        text = raw_as_markdown(article) if article.raw else render_markdown(article)
        (content / f"{article.stem}.md").write_text(text, encoding="utf-8")


def _apt_get(*arguments: str) -> None:
    command = ["apt-get", *arguments]
    print(f"running {' '.join(command)}", file=sys.stderr, flush=True)
    subprocess.run(command, check=False, stdout=sys.stderr)


def ensure_hugo() -> str:
    """The path of ``hugo``, installing Debian's package first when it is missing."""
    if not shutil.which("hugo"):
        print("hugo not found: installing Debian's hugo package", file=sys.stderr)
        _apt_get("install", "-y", "hugo")
    if not shutil.which("hugo"):  # the package lists may be missing or stale
        _apt_get("update")
        _apt_get("install", "-y", "hugo")
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("could not install hugo (apt-get install -y hugo failed)")
    return found


def hugo_command(hugo: str, site: Path, public: Path) -> list[str]:
    """A cold Hugo build of ``site`` into ``public`` (the caller empties ``public``)."""
    return [
        hugo, "--source", str(site), "--destination", str(public), "--quiet", "--ignoreCache",
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="Hugo site folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--raw-share", type=float, default=RAW_SHARE)
    parser.add_argument("--build", action="store_true", help="also build it into OUT/public")
    args = parser.parse_args(argv)
    write_hugo_site(generate_corpus(args.articles, args.seed, args.raw_share), args.out)
    print(f"wrote a Hugo site of {args.articles} articles to {args.out}")
    if args.build:
        command = hugo_command(ensure_hugo(), args.out, args.out / "public")
        print(" ".join(command))
        return subprocess.run(command, check=False).returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
