"""Reading archives: formats, encodings, facts precedence and clear errors for bad input."""

from __future__ import annotations

import codecs

import pytest

from natowatch.archive.loader import ArchiveErrors, load_archive, load_file
from natowatch.core.errors import InputError
from natowatch.core.model import HeadlineSource

WIRE = (
    "Allies agree to expand air policing\n\n"
    "By Jane Roe\n\n"
    "Ministers agreed on Tuesday to expand the air policing mission over the Baltic states.\n\n"
    "The decision was welcomed by Estonia, Latvia and Lithuania.\n"
)


def test_text_file_with_front_matter_overrides_the_text(write_archive):
    archive = write_archive(
        {
            "a.txt": "---\ntitle: Chosen title\nauthors: [Someone Else]\ndate: 2020-01-02\n---\n"
            + WIRE
        }
    )
    [record] = load_archive(archive)
    assert record.headline == "Chosen title"
    assert record.headline_source is HeadlineSource.METADATA
    assert record.authors == ("Someone Else",)
    assert record.published == "2020-01-02"
    assert record.body[0].startswith("Ministers agreed on Tuesday")


def test_removed_lines_keep_the_files_line_numbers_under_front_matter(write_archive):
    front = "---\ntitle: Chosen title\n---\n"
    archive = write_archive({"a.txt": front + WIRE, "b.txt": WIRE})
    with_front, without = sorted(load_archive(archive), key=lambda record: record.source_file)
    assert with_front.boilerplate  # the wire story has a byline and a date to remove
    assert [item.line for item in with_front.boilerplate] == [
        item.line + front.count("\n") for item in without.boilerplate
    ]
    lines = (archive / "a.txt").read_text(encoding="utf-8").split("\n")
    for item in with_front.boilerplate:
        if not item.fragment:
            assert lines[item.line - 1].strip() == item.text


def test_front_matter_wins_over_sidecar_which_wins_over_text(write_archive):
    archive = write_archive(
        {
            "a.txt": "---\npublisher: From front matter\n---\n" + WIRE,
            "sources.yml": "a.txt:\n  publisher: From sidecar\n  url: https://example.com/x/2019/03/04/story\n",
        }
    )
    [record] = load_archive(archive)
    assert record.publisher == "From front matter"
    assert record.url == "https://example.com/x/2019/03/04/story"
    assert record.published == "2019-03-04", "a date in the URL path is a stated fact"
    assert record.authors == ("Jane Roe",)


def test_publisher_falls_back_to_the_urls_host(write_archive):
    archive = write_archive(
        {"a.txt": WIRE, "sources.yml": "a.txt:\n  url: https://www.example.org/news/item\n"}
    )
    [record] = load_archive(archive)
    assert record.publisher == "example.org"
    assert record.published is None


def test_markdown_article_renders_blocks_with_matching_plain_text(write_archive):
    archive = write_archive(
        {
            "m.md": "---\ntitle: A title\ndate: 2024-04-04\n---\n\n"
            "Finland joined **on Tuesday** in [Helsinki](https://example.org/).\n\n"
            "## Background\n\nIt applied in May 2022.\n\n- one\n- two\n"
        }
    )
    [record] = load_archive(archive)
    assert record.format == "markdown"
    assert record.body == (
        "Finland joined on Tuesday in Helsinki.",
        "It applied in May 2022.",
        "one\ntwo",
    )
    assert record.body_html is not None
    assert record.body_html[0] == (
        '<p>Finland joined <strong>on Tuesday</strong> in <a href="https://example.org/">Helsinki</a>.</p>'
    )
    assert [(s.heading, s.paragraph) for s in record.sections] == [("Background", 1)]


def test_markdown_raw_html_and_unsafe_links_are_not_rendered(write_archive):
    archive = write_archive(
        {
            "m.md": "---\ntitle: T\n---\n\n<script>alert(1)</script>\n\n"
            "[click](javascript:alert(1)) and [data](data:text/html,hi) <img src=x onerror=alert(1)>\n"
        }
    )
    [record] = load_archive(archive)
    html = "\n".join(record.body_html or ())
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in html and 'href="data' not in html


def test_markdown_level_one_heading_becomes_the_headline(write_archive):
    archive = write_archive({"m.md": "# Heading as title\n\nSome text here about the alliance.\n"})
    [record] = load_archive(archive)
    assert record.headline == "Heading as title"
    assert record.headline_source is HeadlineSource.TEXT
    assert record.sections == ()


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (codecs.BOM_UTF8 + WIRE.encode("utf-8"), "utf-8 with BOM"),
        (codecs.BOM_UTF16_LE + WIRE.encode("utf-16-le"), "utf-16 le"),
        (codecs.BOM_UTF16_BE + WIRE.encode("utf-16-be"), "utf-16 be"),
        (WIRE.replace("\n", "\r\n").encode(), "crlf"),
        (WIRE.replace("\n", "\r").encode(), "lone cr"),
    ],
)
def test_valid_encodings_and_line_endings_give_the_same_record(write_archive, encoded, label):
    plain = load_archive(write_archive({"a.txt": WIRE}))[0]
    other = load_archive(write_archive({"a.txt": encoded}))[0]
    assert (other.headline, other.body, other.authors) == (
        plain.headline,
        plain.body,
        plain.authors,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n \t\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"Caf\xe9 au lait and more text\n", "not valid utf-8"),
    ],
)
def test_unreadable_files_get_a_clear_error_naming_the_file(write_archive, content, message):
    archive = write_archive({"bad.txt": content})
    with pytest.raises(ArchiveErrors) as caught:
        load_archive(archive)
    [error] = caught.value.errors
    assert error.path.endswith("bad.txt")
    assert message in str(error).lower()


def test_broken_front_matter_names_file_and_line(write_archive):
    archive = write_archive({"bad.md": "---\ntitle: ok\nauthors: [unclosed\n---\nText.\n"})
    with pytest.raises(ArchiveErrors) as caught:
        load_archive(archive)
    [error] = caught.value.errors
    assert error.path.endswith("bad.md") and error.line is not None and error.line >= 3


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("date: soon", "date must be a date"),
        ("published: 2016", "published must be a date"),
        ("tags: 5", "tags must be a text or a list"),
        ("draft: maybe", "draft must be true or false"),
    ],
)
def test_front_matter_of_the_wrong_type_is_an_error(write_archive, front, message):
    archive = write_archive({"bad.md": f"---\n{front}\n---\nSome text of the article.\n"})
    with pytest.raises(ArchiveErrors, match=message):
        load_archive(archive)


def test_every_bad_file_is_reported_not_just_the_first(write_archive):
    archive = write_archive({"a.txt": b"", "b.txt": b"\x00\x01", "c.txt": WIRE})
    with pytest.raises(ArchiveErrors) as caught:
        load_archive(archive)
    assert sorted(e.path.rsplit("/", 1)[-1] for e in caught.value.errors) == ["a.txt", "b.txt"]


def test_malformed_sidecar_is_an_error_with_a_line(write_archive):
    archive = write_archive({"a.txt": WIRE, "sources.yml": "a.txt:\n  url: [x\n"})
    with pytest.raises(ArchiveErrors) as caught:
        load_archive(archive)
    assert caught.value.errors[0].path.endswith("sources.yml")
    assert caught.value.errors[0].line is not None


def test_articles_wanting_the_same_slug_get_distinct_ones(write_archive):
    archive = write_archive(
        {"a.txt": "---\nslug: same\n---\n" + WIRE, "b.txt": "---\nslug: same\n---\n" + WIRE}
    )
    slugs = sorted(record.slug for record in load_archive(archive))
    assert slugs == ["same", "same-2"]


def test_load_file_outside_an_archive_uses_only_the_text(tmp_path):
    path = tmp_path / "lonely.txt"
    path.write_text(WIRE, encoding="utf-8")
    record = load_file(path)
    assert record.headline == "Allies agree to expand air policing"
    assert record.url is None and record.publisher is None


def test_missing_archive_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        load_archive(tmp_path / "nope")


def test_long_slugs_that_collide_stay_distinct_after_the_length_limit(write_archive):
    title = "A very long headline about the alliance " * 4
    archive = write_archive(
        {
            "a.md": f"---\ntitle: {title}one\n---\nText one.\n",
            "b.md": f"---\ntitle: {title}two\n---\nText two.\n",
        }
    )
    slugs = sorted(record.slug for record in load_archive(archive))
    assert len(set(slugs)) == 2 and all(len(slug) <= 80 for slug in slugs)
    assert any(slug.endswith("-2") for slug in slugs)


def test_headlines_alike_up_to_the_slug_limit_still_get_two_pages(write_archive, tmp_path):
    from natowatch.build import build
    from natowatch.core.ids import MAX_SLUG_LENGTH

    stem = "The allied command transformation report raises questions over central european"
    archive = write_archive(
        {
            f"{name}.md": f"---\ntitle: {stem} {ending}\ndate: 2024-05-0{day}\n---\nBody {name}.\n"
            for name, ending, day in (("a", "defence budgets", 1), ("b", "air defence", 2))
        }
    )
    articles = load_archive(archive)
    slugs = [article.slug for article in articles]
    assert len(set(slugs)) == 2 and all(len(slug) <= MAX_SLUG_LENGTH for slug in slugs)
    assert any(slug.endswith("-2") for slug in slugs)  # they did collide at the limit
    build(archive, tmp_path / "site")
    assert all((tmp_path / "site" / "articles" / f"{slug}.html").is_file() for slug in slugs)
