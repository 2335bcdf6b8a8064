"""The page's colours meet WCAG 2 AA: 4.5:1 for text, 3:1 for the marks drawn under text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import app.pages

CSS = (Path(app.pages.__file__).parent / "static" / "article.css").read_text(encoding="utf-8")
VARIABLES = dict(re.findall(r"--([a-z0-9]+):\s*(#[0-9a-f]{6});", CSS))
TINTS = [VARIABLES[f"q{i}"] for i in range(6)]
STATUSES = re.findall(r"\{ color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6}); \}", CSS)
TOOLTIP = "#111827"
HEADER = "#f5f5f4"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


TEXT_PAIRS = [
    *[(VARIABLES["ink"], tint) for tint in TINTS],
    (VARIABLES["ink"], VARIABLES["paper"]),
    (VARIABLES["link"], VARIABLES["paper"]),
    (VARIABLES["link"], HEADER),
    (VARIABLES["muted"], VARIABLES["paper"]),
    (VARIABLES["muted"], HEADER),
    *STATUSES,
    *[(colour, TOOLTIP) for colour in ("#ffffff", "#d1d5db", "#e5e7eb", VARIABLES["q0"])],
]
MARK_PAIRS = [
    (VARIABLES[kind], background)
    for kind in ("event", "participant", "issue", "focus")
    for background in (VARIABLES["paper"], *TINTS)
]


def test_the_stylesheet_has_the_colours_checked_here() -> None:
    assert len(STATUSES) == 4
    for colour in (TOOLTIP, HEADER, "#d1d5db", "#e5e7eb"):
        assert colour in CSS


@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_text_contrast_is_at_least_4_5(foreground: str, background: str) -> None:
    assert contrast(foreground, background) >= 4.5


@pytest.mark.parametrize(("foreground", "background"), MARK_PAIRS)
def test_marks_and_focus_contrast_is_at_least_3(foreground: str, background: str) -> None:
    assert contrast(foreground, background) >= 3
