"""The learned body/boilerplate decision: the shipped model, its arithmetic, and what it may and
may not change in the rule passes' labels."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natowatch.cli import main
from natowatch.extract.assemble import classify_text, extract_text, prepare
from natowatch.extract.features import (
    ALONE_NAMES,
    CONTEXT_NAMES,
    WORD,
    main_run,
    word_count,
)
from natowatch.extract.labels import Label
from natowatch.extract.model import (
    MODEL_FILE,
    REGION_LABELS,
    default_model,
    misread_regions,
    read_model,
    suspect_regions,
)
from paths import PAGE_FIXTURES, RAW_FIXTURES, SEEDS

MODEL = default_model()


def test_the_shipped_model_reads_the_features_natowatch_measures():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(data["alone"]["features"]) == ALONE_NAMES
    assert tuple(data["context"]["features"]) == CONTEXT_NAMES
    assert 0 < MODEL.keep_below < 1


def test_a_model_trained_on_other_features_is_refused_by_name(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["alone"]["features"] = data["alone"]["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"model\.json: the model was trained on other features"):
        read_model(path)


rows = st.lists(
    st.floats(min_value=-5, max_value=50, allow_nan=False), min_size=len(ALONE_NAMES)
).map(lambda values: values[: len(ALONE_NAMES)])


@settings(max_examples=60, deadline=None)
@given(rows)
def test_the_compiled_trees_add_up_to_what_walking_them_gives(row):
    """The one-expression form of the forest (fast) and the node walk behind --explain agree."""
    forest = MODEL.alone
    assert sum(forest.contributions(row).values()) == pytest.approx(forest.score(row), abs=1e-9)


def test_the_compiled_forests_are_kept_in_pycache_and_read_back_as_compiled(tmp_path, monkeypatch):
    """The second load takes the marshalled code (compile is not called); a damaged or
    unwritable cache only costs compiling again; every way scores as the shipped model."""
    from natowatch.extract import model

    monkeypatch.setattr(model, "MODEL_FILE", tmp_path / "model.json")
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    rows = [[float((i * 7 + j * 3) % 11) for j in range(len(ALONE_NAMES))] for i in range(40)]

    def scores(made: model.BodyModel) -> list[float]:
        return [made.alone.score(row) for row in rows]

    expected = scores(MODEL)
    assert scores(model.model_from_data(data)) == expected
    cached = sorted((tmp_path / "__pycache__").glob("forest-*.marshal"))
    assert len(cached) == 2  # the two forests'
    monkeypatch.setattr(model, "compile", lambda *_: pytest.fail("compiled again"), raising=False)
    assert scores(model.model_from_data(data)) == expected
    monkeypatch.undo()
    monkeypatch.setattr(model, "MODEL_FILE", tmp_path / "model.json")
    for path in cached:
        path.write_bytes(b"damaged")
    assert scores(model.model_from_data(data)) == expected
    monkeypatch.setattr(model, "MODEL_FILE", tmp_path / "missing" / "folder" / "model.json")
    assert scores(model.model_from_data(data)) == expected


def test_the_same_text_gets_the_same_probabilities_every_time():
    text = (RAW_FIXTURES / "guardian.txt").read_text(encoding="utf-8")
    first = classify_text(text)[2].probabilities
    assert classify_text(text)[2].probabilities == first


@pytest.mark.parametrize(
    "path",
    sorted(RAW_FIXTURES.glob("*.txt")) + sorted(SEEDS.glob("*.txt")),
    ids=lambda path: path.stem,
)
def test_on_clean_articles_the_model_only_ever_removes_text(path):
    """On the raw-article fixtures the rules' labels stand, except text the model drops: it
    invents no body, and relabels nothing else."""
    units, rule_labels, layout_labels = prepare(path.read_text(encoding="utf-8"))
    labels, judgement = MODEL.classify(units, rule_labels, layout_labels)
    for label, before in zip(labels, layout_labels, strict=True):
        assert label is before or (label is Label.OTHER and before is Label.BODY)
    assert (
        misread_regions(units, layout_labels, judgement.probabilities, REGION_LABELS, 2.0) == set()
    )


def test_an_article_taken_for_a_comment_thread_is_given_back():
    """A reporter's name and a timestamp above the story, after a paragraph of promotion, look
    like a commenter's signature: the rules then read the story as one long comment. Its run of
    unmarked paragraphs makes the thread suspect, and the model finds the page's text in it."""
    text = (PAGE_FIXTURES / "signature_above_story.txt").read_text(encoding="utf-8")
    units, rule_labels, layout_labels = prepare(text)
    assert layout_labels.count(Label.COMMENT) >= 6  # what the rules alone make of it
    labels, _ = MODEL.classify(units, rule_labels, layout_labels)
    assert Label.COMMENT not in labels
    parts = extract_text(text)
    assert parts.comments == ()
    assert any(p.endswith("with more bounce for the fast bowlers.") for p in parts.body)


def test_a_real_thread_is_left_alone():
    """Numbered comments, or a signature over each: no run of unmarked paragraphs."""
    for path in (SEEDS / "000_643e925b5d599b63.txt", RAW_FIXTURES / "blog_comment_thread.txt"):
        units, rule_labels, layout_labels = prepare(path.read_text(encoding="utf-8"))
        assert suspect_regions(rule_labels, layout_labels) == frozenset()
        labels, _ = MODEL.classify(units, rule_labels, layout_labels)
        assert labels.count(Label.COMMENT) == layout_labels.count(Label.COMMENT) > 0


def test_the_main_run_is_the_heaviest_stretch_of_text():
    probabilities = [0.1, 0.9, 0.8, 0.2, 0.95, 0.9, 0.9, 0.1]
    assert main_run(probabilities, [1.0] * 8) == (1, 6)  # a shallow dip does not break it
    assert main_run([0.9, 0.0, 0.0, 0.0, 0.9, 0.9], [1.0] * 6) == (4, 5)
    assert main_run([0.1, 0.2], [1.0, 1.0]) == (0, -1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Nato allies agree to step up patrols", 7),
        ("Kindle書籍を読む場合は", 5),  # a Latin word, then 8 Japanese characters: about 4 words
        ("한국어 문장입니다", 2),  # Korean separates its words with spaces
        ("", 0),
    ],
)
def test_words_are_counted_in_scripts_without_spaces_too(text, words):
    assert word_count(WORD.findall(text), text) == words


def test_explain_prints_every_line_with_its_label_and_reasons(capsys):
    path = PAGE_FIXTURES / "regional_paper.txt"
    assert main(["inspect", "--explain", str(path)]) == 0
    out = capsys.readouterr().out
    units = prepare(path.read_text(encoding="utf-8"))[0]
    for unit in units:
        assert f"line {unit.line:>4}  " in out
    assert "model dropped the rules' body" in out  # the cookie banner, say
    assert "stopword_share=" in out or "alone_logit=" in out
    block = out[out.index("line   17  ") :].splitlines()[:3]
    assert block[0].split()[2] == "other"
    assert "Privacy" not in block[1] or "We value your privacy" in block[1]


def test_explain_keeps_the_files_line_numbers_under_front_matter(tmp_path, capsys):
    body = "An alliance official said on Monday that the plan would be agreed in June."
    path = tmp_path / "a.txt"
    path.write_text(f"---\nurl: https://example.com/a\n---\nHeadline here\n\n{body}\n", "utf-8")
    assert main(["inspect", "--explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "line    4  " in out and "line    6  " in out


def test_explain_says_markdown_is_not_classified(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text("# Title\n\nText.\n", "utf-8")
    assert main(["inspect", "--explain", str(path)]) == 0
    assert "Markdown is taken as written" in capsys.readouterr().out


def test_explain_of_a_missing_file_is_an_error_naming_it(tmp_path, capsys):
    assert main(["inspect", "--explain", str(tmp_path / "gone.txt")]) != 0
    assert "gone.txt" in capsys.readouterr().err
