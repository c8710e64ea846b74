"""Pages whose inputs did not change are carried over, the rest are rendered (over several
processes when there are many), and either way the site is exactly a cold build's."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import Future
from pathlib import Path

import pytest

from changes import cold, edit_article, mixed_archive, snapshot
from natowatch.archive.cache import CACHE_DIR
from natowatch.archive.config import Config
from natowatch.archive.loader import load_archive
from natowatch.build import build
from natowatch.core.errors import BuildError
from natowatch.publish import page_jobs, plan, render
from natowatch.publish.environment import make_environment
from natowatch.publish.page_jobs import PageJob, keyed
from natowatch.publish.write import write_site
from natowatch.uptodate import RECORD_FILE
from paths import SEEDS
from site_factory import make_article, make_second_article


@pytest.fixture
def archive(tmp_path) -> Path:
    return mixed_archive(tmp_path / "archive")


def forget_last_build(archive: Path) -> None:
    """So the next build runs in full instead of finding the site up to date."""
    (archive / CACHE_DIR / RECORD_FILE).unlink()


def test_a_full_rebuild_with_unchanged_inputs_renders_no_page(archive, tmp_path, rendered_pages):
    out = tmp_path / "site"
    build(archive, out)
    pages = len(rendered_pages)
    assert pages > 20
    before = snapshot(out)
    forget_last_build(archive)
    report = build(archive, out)
    assert not report.up_to_date
    assert len(rendered_pages) == pages  # nothing more was rendered
    assert snapshot(out) == before


def test_an_edit_renders_only_the_pages_that_show_it(archive, tmp_path, rendered_pages):
    out = tmp_path / "site"
    build(archive, out)
    first = set(rendered_pages)
    before = snapshot(out)
    rendered_pages.clear()
    edit_article(archive)
    build(archive, out)
    again = set(rendered_pages)
    after = snapshot(out)
    changed_pages = {path for path in first if before[path] != after[path]}
    assert changed_pages and changed_pages <= again  # every page that differs was rendered
    assert len(again) < len(first) / 2
    assert after == cold(archive, tmp_path, "edit")


def test_fresh_renders_every_page(archive, tmp_path, rendered_pages):
    out = tmp_path / "site"
    build(archive, out)
    pages = len(rendered_pages)
    build(archive, out, fresh=True)
    assert len(rendered_pages) == 2 * pages


def test_pages_rendered_over_processes_are_the_same_bytes(monkeypatch):
    articles = [make_article(), make_second_article()]
    serial = render.render_changes(articles, workers=1).files
    monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(page_jobs, "CHUNK_PAGES", 3)
    monkeypatch.setattr(page_jobs, "BATCH_PAGES", 7)
    monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_BATCH", 2)
    parallel = render.render_changes(articles, workers=2).files
    assert parallel == serial


class EventSink(render.MemorySink):
    """A memory sink that notes the order of what it is given: pages, and data file steps."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def add(self, path: str, data: bytes) -> None:
        self.events.append(("file", path))
        super().add(path, data)

    def adding(self, path, parts):
        for step in super().adding(path, parts):
            self.events.append(("data step", path))
            yield step


def test_data_files_are_written_while_the_workers_render_and_come_out_the_same(monkeypatch):
    """Waiting for a batch of pages, the main process writes the data files a part at a time
    (on two cores this kept one idle for seconds); the files are the same bytes."""
    articles = [make_article(), make_second_article()]
    serial = render.render_changes(articles, workers=1).files
    monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(page_jobs, "BATCH_PAGES", 5)
    monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_BATCH", 2)
    polls: dict[int, int] = {}
    ready = page_jobs.Rendering.ready

    def slow(self):  # each batch is "not ready" for its first two looks
        polls[id(self)] = polls.get(id(self), 0) + 1
        return polls[id(self)] > 2 and ready(self)

    monkeypatch.setattr(page_jobs.Rendering, "ready", slow)
    sink = EventSink()
    render.render_into(sink, articles, workers=2)
    assert sink.files == serial
    pages = [index for index, (kind, path) in enumerate(sink.events) if path.endswith(".html")]
    steps = [index for index, (kind, _) in enumerate(sink.events) if kind == "data step"]
    assert steps and pages
    assert steps[0] < pages[-1]  # some data were written between batches of pages


def test_an_edits_few_pages_render_here_without_starting_workers(monkeypatch):
    """Starting the worker processes costs more than rendering a handful of pages; once they
    run (a large first batch), later small batches still go to them."""
    from natowatch.publish.environment import make_environment
    from natowatch.publish.resources import templates_dir

    [job] = render.PageContexts([], Config()).jobs([plan.not_found_page()])
    few = [keyed("code", job)] * 20  # above MIN_PAGES_PER_BATCH, below MIN_PAGES_PER_WORKER
    with page_jobs.PageRenderer(make_environment, templates_dir(), workers=2) as renderer:
        here = renderer.start(few).pages()
        assert renderer.pool is None
        monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_WORKER", 2)
        monkeypatch.setattr(page_jobs, "MIN_PAGES_PER_BATCH", 2)
        there = renderer.start(few).pages()
        assert renderer.pool is not None
    assert here == there and len(here) == 20


def key_of(fingerprint: str, job: PageJob) -> str | None:
    return keyed(fingerprint, job).key


def test_the_key_covers_template_and_every_value_of_the_context():
    job = PageJob("a.html", "article.html", {"title": "One", "items": [1, 2]})
    key = key_of("code", job)
    same = {"title": "One", "items": [1, 2]}
    assert key == key_of("code", PageJob("a.html", "article.html", same))
    assert key != key_of("other code", job)
    assert key != key_of("code", PageJob("a.html", "entity.html", job.context))
    other = {"title": "One", "items": [1, 3]}
    assert key != key_of("code", PageJob("a.html", "article.html", other))
    assert key_of("code", PageJob("a.html", "x.html", {"f": lambda: 1})) is None


def test_a_carried_page_that_vanished_fails_clearly(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"a\n", "b.html": b"b\n"}, out)
    (out / "b.html").unlink()
    with pytest.raises(BuildError, match=r"b\.html"):
        write_site({"index.html": b"a\n"}, out, carried=["b.html"])
    assert (out / "index.html").read_bytes() == b"a\n"


@pytest.mark.parametrize("per_page", [1, 2, 20])
def test_planned_paths_are_the_paths_of_the_pages_made_later(per_page):
    articles = load_archive(SEEDS)
    groups = plan.plan_site(articles, config=Config(items_per_page=per_page)).groups()
    planned = [path for group in groups for path in group.paths]
    made = [page.path for page in plan.expand(groups)]  # raises if a group differs
    assert made == planned
    assert len(set(planned)) == len(planned)
    if per_page == 1:  # entities in both seed articles get a second page
        assert any(len(group.paths) > 1 and "entities/" in group.paths[0] for group in groups)


@pytest.mark.parametrize("per_page", [1, 20])
def test_the_rest_claims_its_paths_first_and_makes_entity_groups_in_turn(per_page, monkeypatch):
    """``SitePlan.rest`` gives every path of the pages after the articles' at once (checked
    for collisions and listed in the sitemap before any renders) and makes each entity's
    group, its keys included, only when the groups are consumed that far."""
    made: list[str] = []
    keys_of = plan.entity_page_keys
    monkeypatch.setattr(
        plan,
        "entity_page_keys",
        lambda entity, *rest: made.append(entity.id) or keys_of(entity, *rest),
    )
    articles = load_archive(SEEDS)
    rest = plan.plan_site(articles, config=Config(items_per_page=per_page)).rest()
    assert made == []
    groups, entity_groups = [], 0
    for group in rest.groups:
        groups.append(group)
        entity_groups += group.paths[0].startswith("entities/")
        assert len(made) == entity_groups  # each made when reached, not before
    assert rest.claims == [claim for group in groups for claim in group.claims]
    assert len(made) == len(set(made)) > 1


@pytest.mark.parametrize("seed", [1, 2])
def test_a_groups_pages_made_alone_are_those_made_with_the_whole_group(seed):
    """After an edit only a group's stale pages are made (``PageGroup.pages_at``): any subset
    of its paths gives exactly those pages of the whole group, data included."""
    rng = random.Random(seed)
    articles = load_archive(SEEDS)
    groups = plan.plan_site(articles, config=Config(items_per_page=1)).groups()
    several = [group for group in groups if len(group.paths) > 1]
    assert any(group.make_some is not None for group in several)
    for group in several:
        subset = set(rng.sample(group.paths, rng.randint(1, len(group.paths))))
        whole = [page for page in group.make() if page.path in subset]
        assert group.pages_at(subset) == whole


def test_a_batch_is_ready_only_once_every_chunk_is_done_in_any_order():
    chunks = [Future() for _ in range(4)]
    rendering = page_jobs.Rendering([], lambda item: b"", [], chunks)
    assert not rendering.ready()
    for index in (2, 0, 3):  # out of order: the first pending chunk comes late
        chunks[index].set_result([])
        assert not rendering.ready()
    chunks[1].set_result([])
    assert rendering.ready()
    assert rendering.ready()  # and stays so
    assert page_jobs.Rendering([], lambda item: b"", [], []).ready()  # nothing sent out


def test_a_page_keyed_by_its_inputs_is_pickled_only_for_a_worker():
    job = PageJob("a.html", "article.html", {"title": "One", "items": [1, 2]})
    item = page_jobs.pickled(job, "key")
    assert item.pickled is None and item.key == "key"
    assert pickle.loads(item.for_worker()) == job.context
    unpicklable = page_jobs.pickled(PageJob("b.html", "article.html", {"f": lambda: 1}), "k")
    assert unpicklable.for_worker() is None  # rendered in this process


def test_the_template_environment_is_kept_while_the_templates_are_unchanged(tmp_path):
    """``serve`` renders each edit's pages with the templates compiled by the build before;
    a changed template makes a new environment."""
    (tmp_path / "page.html").write_text("one {{ x }}", encoding="utf-8")
    made: list[Path] = []

    def make(folder: Path):
        made.append(folder)
        return make_environment(folder)

    first = page_jobs.PageRenderer(make, tmp_path).environment
    assert page_jobs.PageRenderer(make, tmp_path).environment is first
    (tmp_path / "page.html").write_text("two {{ x }}", encoding="utf-8")
    second = page_jobs.PageRenderer(make, tmp_path).environment
    assert second is not first and len(made) == 2
    assert second.get_template("page.html").render(x=1) == "two 1"
