"""Score the quotation extractor against PolNeAR: `python bench/eval_extraction.py [--split dev]`.

The corpus is read from `<repo root>/../shared/datasets/polnear` unless `--data-dir` or the
NEWSFACTS_POLNEAR_DIR environment variable names another place; it is never copied here. When
it is absent, the command says so and exits 0 with nothing measured, so CI without it passes.

Scoring (words are lower-cased, punctuation and quotation marks dropped):

- Quoted: direct and partial predictions against gold direct and partial quotations. A
  prediction is right when its span overlaps a gold (its segments when it has them) and at least
  80% of its words are among that gold's words inside quotation marks, or its word-level F1 with
  the gold's whole content is at least 0.7. A gold is found when the right predictions for it
  cover at least 70% of its quoted words. Precision = right predictions / predictions; recall =
  found golds / golds.
- Kind agreement: for each found gold, the majority kind of its right predictions (a strict
  majority) is the gold's kind.
- Speaker accuracy, over right quoted predictions mapped to their best gold (golds without a
  source are not scored): the predicted mention overlaps the gold source span, or the predicted
  name shares a capitalised word (not a determiner or title) with a gold source that is not a
  pronoun.
- Indirect: indirect predictions against gold indirect quotations that have a source; a match
  needs word-level F1 >= 0.5, one to one, best first.
- Predictions inside an article's `ignore_spans` are dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repository's packages come first
    sys.path.insert(0, str(ROOT))

from app.extraction.engine import DraftQuotation, extract  # noqa: E402

Gold = Mapping[str, Any]

_WORD = re.compile(r"\w+")
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
# Capitalised words that say nothing about who the source is.
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "pres",
        "president",
        "senator",
        "representative",
        "governor",
        "secretary",
        "former",
        "state",
        "new",
    ]
)
_PRONOUNS = frozenset(
    [
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "who",
        "which",
        "that",
        "this",
        "these",
        "those",
        "one",
        "some",
        "others",
        "many",
        "both",
        "all",
    ]
)
QUOTE_THRESHOLD = 0.8
QUOTE_F1_THRESHOLD = 0.7
FOUND_THRESHOLD = 0.7
INDIRECT_F1_THRESHOLD = 0.5


def words(text: str) -> list[str]:
    """The words of a text for matching: lower-cased, apostrophes inside words kept out."""
    return _WORD.findall(_APOSTROPHE.sub("", text.lower()).replace("_", " "))


def quoted_words(text: str) -> list[str]:
    """The words of a text that stand inside quotation marks (“ ” " '' ‘ ’ and ' as marks)."""
    inside: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        opening = closing = False
        width = 1
        if ch == "'" and nxt == "'":
            width = 2
            nxt = text[i + 2] if i + 2 < n else " "
            opening, closing = depth == 0, depth > 0
        elif ch in "“‘«":
            opening = True
        elif ch in "”»":
            closing = True
        elif ch == '"':
            opening, closing = depth == 0, depth > 0
        elif ch in "’'":
            apostrophe = prev.isalnum() and nxt.isalnum()
            if not apostrophe:
                if not prev.isalnum() and nxt.isalnum() and ch == "'":
                    opening = True
                elif depth > 0:
                    closing = True
        if opening:
            if depth == 0:
                start = i + width
            depth += 1
        elif closing and depth > 0:
            depth -= 1
            if depth == 0:
                inside.append(text[start:i])
        i += width
    if depth > 0:
        inside.append(text[start:])
    return [w for part in inside for w in words(part)]


def f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Word-level F1 of two bags of words."""
    if not predicted or not gold:
        return 0.0
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not common:
        return 0.0
    precision = common / len(predicted)
    recall = common / len(gold)
    return 2 * precision * recall / (precision + recall)


def gold_spans(gold: Gold) -> list[tuple[int, int]]:
    """The gold content's spans: its segments when it is split, else its whole span."""
    segments = gold.get("segments")
    if segments:
        return [(int(s["start"]), int(s["end"])) for s in segments]
    return [(int(gold["start"]), int(gold["end"]))]


def gold_quoted_words(gold: Gold) -> list[str]:
    """A gold's words inside quotation marks (all its words for a direct quotation)."""
    segments = gold.get("segments")
    texts = [str(s["text"]) for s in segments] if segments else [str(gold["text"])]
    if gold["kind"] == "direct":
        return [w for t in texts for w in words(t)]
    found = [w for t in texts for w in quoted_words(t)]
    return found or [w for t in texts for w in words(t)]


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _prediction_spans(p: DraftQuotation) -> list[tuple[int, int]]:
    if p.segments:
        return [(s.start, s.end) for s in p.segments]
    return [(p.start, p.end)]


def quote_score(p: DraftQuotation, gold: Gold) -> float:
    """How well a quoted prediction fits a gold: 0 when it is not right for it, else > 0."""
    if not any(_overlaps(span, gold_spans(gold)) for span in _prediction_spans(p)):
        return 0.0
    predicted = words(p.text)
    if not predicted:
        return 0.0
    quoted = set(gold_quoted_words(gold))
    share = sum(1 for w in predicted if w in quoted) / len(predicted)
    whole = f1(predicted, words(str(gold["text"])))
    if share >= QUOTE_THRESHOLD or whole >= QUOTE_F1_THRESHOLD:
        return max(share, whole)
    return 0.0


def capitalised(text: str) -> set[str]:
    """The capitalised words of a name that can identify it."""
    return {
        w.lower()
        for w in re.findall(r"[A-Z][\w’'-]*", text)
        if w.lower().rstrip(".") not in _NOT_NAMES
    }


def speaker_right(p: DraftQuotation, gold: Gold) -> bool:
    """The predicted speaker is the gold source: by mention overlap or a shared name word."""
    if p.speaker is None:
        return False
    spans = [(int(gold["speaker_start"]), int(gold["speaker_end"]))]
    spans += [(int(s["start"]), int(s["end"])) for s in gold.get("speaker_segments") or ()]
    mention = p.speaker.mention
    if mention is not None and _overlaps((mention.start, mention.end), spans):
        return True
    source = str(gold["speaker"])
    if gold.get("speaker_is_pronoun") or source.lower() in _PRONOUNS:
        return False
    return bool(capitalised(p.speaker.name) & capitalised(source))


@dataclass
class Counts:
    """What one or more articles add up to."""

    articles: int = 0
    quoted_predictions: int = 0
    quoted_right: int = 0
    quoted_golds: int = 0
    quoted_found: int = 0
    kind_agree: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    indirect_predictions: int = 0
    indirect_golds: int = 0
    indirect_matched: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: Counts) -> None:
        """Add another article's counts to these."""
        for name in self.__dataclass_fields__:
            if name == "kinds":
                self.kinds.update(other.kinds)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float]:
        """The seven figures but speed: precision, recall, agreement and accuracy."""

        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "quoted_precision": ratio(self.quoted_right, self.quoted_predictions),
            "quoted_recall": ratio(self.quoted_found, self.quoted_golds),
            "kind_agreement": ratio(self.kind_agree, self.quoted_found),
            "speaker_accuracy": ratio(self.speaker_right, self.speaker_scored),
            "indirect_precision": ratio(self.indirect_matched, self.indirect_predictions),
            "indirect_recall": ratio(self.indirect_matched, self.indirect_golds),
        }


def drop_ignored(
    predictions: Sequence[DraftQuotation], ignore_spans: Sequence[Gold]
) -> list[DraftQuotation]:
    """The predictions that do not lie inside an ignored span."""
    spans = [(int(s["start"]), int(s["end"])) for s in ignore_spans]
    return [p for p in predictions if not any(s <= p.start and p.end <= e for s, e in spans)]


def score_article(
    golds: Sequence[Gold],
    predictions: Sequence[DraftQuotation],
    ignore_spans: Sequence[Gold] = (),
) -> Counts:
    """Score one article's predictions against its gold quotations."""
    counts = Counts(articles=1)
    kept = drop_ignored(predictions, ignore_spans)
    counts.kinds.update(p.kind for p in kept)
    quoted = [p for p in kept if p.kind != "indirect"]
    quoted_golds = [g for g in golds if g["kind"] != "indirect"]
    counts.quoted_predictions = len(quoted)
    counts.quoted_golds = len(quoted_golds)
    right_for: list[list[DraftQuotation]] = [[] for _ in quoted_golds]
    for p in quoted:
        best: tuple[float, int] | None = None
        for gi, g in enumerate(quoted_golds):
            score = quote_score(p, g)
            if score > 0:
                right_for[gi].append(p)
                if best is None or score > best[0]:
                    best = (score, gi)
        if best is None:
            continue
        counts.quoted_right += 1
        g = quoted_golds[best[1]]
        if g.get("speaker") is not None and g.get("speaker_start") is not None:
            counts.speaker_scored += 1
            counts.speaker_right += speaker_right(p, g)
    for g, rights in zip(quoted_golds, right_for, strict=True):
        if not rights:
            continue
        needed = gold_quoted_words(g)
        covered = {w for p in rights for w in words(p.text)}
        if not needed or sum(1 for w in needed if w in covered) / len(needed) < FOUND_THRESHOLD:
            continue
        counts.quoted_found += 1
        ranked = Counter(p.kind for p in rights).most_common()
        if ranked[0][0] == g["kind"] and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
            counts.kind_agree += 1
    counts.indirect_predictions, counts.indirect_golds, counts.indirect_matched = score_indirect(
        [p for p in kept if p.kind == "indirect"],
        [g for g in golds if g["kind"] == "indirect" and g.get("speaker") is not None],
    )
    return counts


def score_indirect(
    predictions: Sequence[DraftQuotation], golds: Sequence[Gold]
) -> tuple[int, int, int]:
    """Predictions, golds and one-to-one matches (word F1 >= 0.5, greedy best first)."""
    gold_words = [words(str(g["text"])) for g in golds]
    pairs = []
    for pi, p in enumerate(predictions):
        predicted = words(p.text)
        for gi, gw in enumerate(gold_words):
            score = f1(predicted, gw)
            if score >= INDIRECT_F1_THRESHOLD:
                pairs.append((score, pi, gi))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, pi, gi in pairs:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
    return len(predictions), len(golds), len(used_p)


def data_dir(given: str | None) -> Path:
    """Where the corpus is: --data-dir, NEWSFACTS_POLNEAR_DIR, or beside the repository."""
    if given:
        return Path(given)
    if os.environ.get("NEWSFACTS_POLNEAR_DIR"):
        return Path(os.environ["NEWSFACTS_POLNEAR_DIR"])
    return ROOT.parent / "shared" / "datasets" / "polnear"


def evaluate(articles: Sequence[Gold]) -> tuple[Counts, float]:
    """Extract every article (timed, in process) then score: the counts and articles/s."""
    extract("Warm-up: “the patterns compile,” he said.")
    began = time.perf_counter()
    predicted = [
        extract(str(a["text"]), published=a.get("publication_date") or None) for a in articles
    ]
    elapsed = time.perf_counter() - began
    total = Counts()
    for a, predictions in zip(articles, predicted, strict=True):
        total.add(score_article(a["quotes"], predictions, a.get("ignore_spans") or ()))
    return total, (len(articles) / elapsed if elapsed > 0 else float("inf"))


def report(split: str, counts: Counts, speed: float) -> str:
    """The table the command prints."""
    f = counts.figures()
    rows = [
        ("quoted precision", f"{f['quoted_precision']:.3f}", "0.95", counts.quoted_right,
         counts.quoted_predictions),
        ("quoted recall", f"{f['quoted_recall']:.3f}", "0.95", counts.quoted_found,
         counts.quoted_golds),
        ("kind agreement", f"{f['kind_agreement']:.3f}", "0.90", counts.kind_agree,
         counts.quoted_found),
        ("speaker accuracy", f"{f['speaker_accuracy']:.3f}", "0.85", counts.speaker_right,
         counts.speaker_scored),
        ("indirect precision", f"{f['indirect_precision']:.3f}", "0.60",
         counts.indirect_matched, counts.indirect_predictions),
        ("indirect recall", f"{f['indirect_recall']:.3f}", "0.45", counts.indirect_matched,
         counts.indirect_golds),
    ]  # fmt: skip
    lines = [
        f"PolNeAR {split}: {counts.articles} articles, predictions by kind: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.kinds.items())),
        f"{'measure':<20} {'value':>8} {'target':>7} {'count':>15}",
    ]
    lines += [f"{n:<20} {v:>8} {t:>7} {f'{a}/{b}':>15}" for n, v, t, a, b in rows]
    lines.append(f"{'articles/s':<20} {speed:>8.0f} {'200':>7} {'one core':>15}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation on one split and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--data-dir", default=None, help="where polnear-<split>.json lies")
    args = parser.parse_args(argv)
    path = data_dir(args.data_dir) / f"polnear-{args.split}.json"
    if not path.is_file():
        print(f"PolNeAR not found at {path}: nothing measured.")
        return 0
    articles = json.loads(path.read_text(encoding="utf-8"))
    counts, speed = evaluate(articles)
    print(report(args.split, counts, speed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
