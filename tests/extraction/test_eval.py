"""The evaluation's scoring on tiny hand-made articles (no corpus needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction.engine import DraftQuotation, Span, Speaker

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_extraction", ROOT / "bench" / "eval_extraction.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extraction"] = module
    spec.loader.exec_module(module)
    return module


ev = _load()

TEXT = "“We will win, and we will win big,” Kim Lau said. Lau said that taxes would fall."


def _pred(
    start: int,
    end: int,
    kind: str = "direct",
    mention: tuple[int, int] | None = None,
    name: str = "Kim Lau",
) -> DraftQuotation:
    speaker = None
    if mention is not None:
        speaker = Speaker(name, None, Span(mention[0], mention[1], TEXT[mention[0] : mention[1]]))
    return DraftQuotation(TEXT[start:end], start, end, (), kind, speaker, None, None, None, 0.9)  # type: ignore[arg-type]


def _gold(
    start: int, end: int, kind: str, speaker: tuple[int, int] | None = (36, 43), **extra: Any
) -> dict[str, Any]:
    g: dict[str, Any] = {"start": start, "end": end, "text": TEXT[start:end], "kind": kind}
    if speaker is not None:
        g.update(
            speaker=TEXT[speaker[0] : speaker[1]],
            speaker_start=speaker[0],
            speaker_end=speaker[1],
            speaker_is_pronoun=False,
        )
    else:
        g["speaker"] = None
    g.update(extra)
    return g


def test_words_drop_case_punctuation_and_marks() -> None:
    assert ev.words("“Don’t,” she SAID — ‘no.’") == ["dont", "she", "said", "no"]


def test_quoted_words_only_inside_marks() -> None:
    assert ev.quoted_words("the plan is “a disaster” for Russia’s ‘army’") == [
        "a",
        "disaster",
        "army",
    ]
    assert ev.quoted_words("he said ''yes, sir'' again") == ["yes", "sir"]


def test_f1() -> None:
    assert ev.f1(["a", "b"], ["a", "b"]) == 1.0
    assert ev.f1(["a"], ["b"]) == 0.0
    assert ev.f1(["a", "b", "c", "d"], ["a", "b"]) == pytest.approx(2 / 3)


def test_right_prediction_found_gold_and_speaker() -> None:
    gold = _gold(0, 35, "direct")
    counts = ev.score_article([gold], [_pred(1, 33, mention=(36, 43))])
    assert (counts.quoted_right, counts.quoted_predictions) == (1, 1)
    assert (counts.quoted_found, counts.quoted_golds) == (1, 1)
    assert counts.kind_agree == 1
    assert (counts.speaker_right, counts.speaker_scored) == (1, 1)


def test_speaker_by_shared_capitalised_word() -> None:
    gold = _gold(0, 35, "direct")
    p = _pred(1, 33, mention=(50, 53), name="Kim Lau")
    assert ev.speaker_right(p, gold)
    wrong = _pred(1, 33, mention=(50, 53), name="The Mayor")
    assert not ev.speaker_right(wrong, gold)


def test_pronoun_gold_needs_the_mention() -> None:
    gold = _gold(0, 35, "direct", speaker=(36, 43))
    gold.update(speaker="he", speaker_is_pronoun=True)
    assert not ev.speaker_right(_pred(1, 33, mention=(50, 53), name="Kim Lau"), gold)


def test_two_fragments_find_one_gold_and_kinds_need_a_majority() -> None:
    gold = _gold(0, 35, "direct")
    first, second = _pred(1, 13), _pred(18, 33, kind="partial")
    counts = ev.score_article([gold], [first, second])
    assert counts.quoted_right == 2
    assert counts.quoted_found == 1
    assert counts.kind_agree == 0  # one direct, one partial: no majority


def test_small_fragment_does_not_find_the_gold() -> None:
    gold = _gold(0, 35, "direct")
    counts = ev.score_article([gold], [_pred(1, 3)])
    assert counts.quoted_right == 1
    assert counts.quoted_found == 0


def test_wrong_prediction_outside_or_unquoted() -> None:
    gold = _gold(0, 35, "direct")
    counts = ev.score_article([gold], [_pred(50, 81)])
    assert (counts.quoted_right, counts.quoted_predictions, counts.quoted_found) == (0, 1, 0)


def test_segments_are_used_for_overlap() -> None:
    gold = _gold(0, 49, "direct", segments=[{"start": 0, "end": 14, "text": TEXT[0:14]}])
    assert ev.quote_score(_pred(1, 12), gold) > 0
    assert ev.quote_score(_pred(36, 43), gold) == 0


def test_indirect_matching_is_one_to_one_by_f1() -> None:
    gold = _gold(59, 81, "indirect", speaker=(50, 53))
    unsourced = _gold(59, 81, "indirect", speaker=None)
    preds = [_pred(59, 81, kind="indirect"), _pred(64, 81, kind="indirect")]
    counts = ev.score_article([gold, unsourced], preds)
    assert (counts.indirect_predictions, counts.indirect_golds, counts.indirect_matched) == (
        2,
        1,
        1,
    )


def test_ignore_spans_drop_predictions() -> None:
    counts = ev.score_article([], [_pred(1, 33)], [{"start": 0, "end": 40}])
    assert counts.quoted_predictions == 0


def test_missing_corpus_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main(["--data-dir", str(tmp_path)]) == 0
    assert "nothing measured" in capsys.readouterr().out


def test_tiny_corpus_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    article = {
        "id": "a",
        "text": TEXT,
        "publication_date": "2016-01-02",
        "quotes": [_gold(0, 35, "direct")],
    }
    (tmp_path / "polnear-dev.json").write_text(json.dumps([article]), encoding="utf-8")
    assert ev.main(["--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "quoted precision" in out
    assert "articles/s" in out
