"""The Porter stemmer (M. F. Porter, 1980), as SQLite FTS5's `porter` tokenizer applies it.

The search index stems English text with FTS5's porter tokenizer on SQLite and a Snowball
`porter` dictionary on PostgreSQL. This module gives the same stems in Python, for the one-word
search that reads a term's statistics from FTS5's vocabulary (app/quotations/search.py);
tests/core/test_porter.py holds it to FTS5's own stems.
"""

from __future__ import annotations

_SHORTEST = 3  # FTS5 leaves tokens of fewer bytes, or of more than 64, as they are
_LONGEST = 64
_VOWELS = frozenset("aeiou")

_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
)


def _consonant(word: str, index: int) -> bool:
    letter = word[index]
    if letter in _VOWELS:
        return False
    if letter == "y":
        return index == 0 or not _consonant(word, index - 1)
    return True


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]: how many vowel-consonant sequences the stem has."""
    count = 0
    previous_vowel = False
    for index in range(len(stem)):
        vowel = not _consonant(stem, index)
        if previous_vowel and not vowel:
            count += 1
        previous_vowel = vowel
    return count


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, index) for index in range(len(stem)))


def _double_consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1] == stem[-2] and _consonant(stem, len(stem) - 1)


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last consonant not w, x or y."""
    if len(stem) < 3:
        return False
    return (
        _consonant(stem, len(stem) - 3)
        and not _consonant(stem, len(stem) - 2)
        and _consonant(stem, len(stem) - 1)
        and stem[-1] not in "wxy"
    )


def _replace_longest(word: str, rules: tuple[tuple[str, str], ...], least: int) -> str:
    """The longest suffix of the rules that ends the word is replaced when the stem before it
    has a measure above `least`; only that suffix is tried."""
    best = max(
        (rule for rule in rules if word.endswith(rule[0])), key=lambda r: len(r[0]), default=None
    )
    if best is None:
        return word
    suffix, replacement = best
    stem = word[: len(word) - len(suffix)]
    return stem + replacement if _measure(stem) > least else word


def _step1(word: str) -> str:
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _step4(word: str) -> str:
    best = max((s for s in _STEP4 if word.endswith(s)), key=len, default=None)
    if best is None:
        return word
    stem = word[: len(word) - len(best)]
    if best == "ion" and not stem.endswith(("s", "t")):
        return word
    return stem if _measure(stem) > 1 else word


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        measure = _measure(stem)
        if measure > 1 or (measure == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def porter_stem(token: str) -> str:
    """The stem FTS5's porter tokenizer indexes a lower-case token under."""
    if not _SHORTEST <= len(token.encode()) <= _LONGEST:
        return token
    word = _step1(token)
    word = _replace_longest(word, _STEP2, 0)
    word = _replace_longest(word, _STEP3, 0)
    word = _step4(word)
    return _step5(word)
