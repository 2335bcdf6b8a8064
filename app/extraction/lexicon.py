"""Word lists: speech cues, pronouns, titles and the words that bound a speaker's mention."""

from __future__ import annotations

import re


def _forms(*lemmas: str) -> list[str]:
    """Regular inflections of verbs given as `base` or `base/past/participle/3rd/ing`."""
    out: list[str] = []
    for lemma in lemmas:
        if "/" in lemma:
            out.extend(f for f in lemma.split("/") if f)
            continue
        base = lemma
        if base.endswith("e"):
            out += [base, base + "d", base + "s", base[:-1] + "ing"]
        elif base.endswith("y") and base[-2] not in "aeiou":
            out += [base, base[:-1] + "ied", base[:-1] + "ies", base + "ing"]
        elif base.endswith(("sh", "ch", "ss", "x")):
            out += [base, base + "ed", base + "es", base + "ing"]
        else:
            out += [base, base + "ed", base + "s", base + "ing"]
    return out


# Verbs that introduce what someone said or wrote: the cues of direct and partial quotations.
SPEECH_VERBS = _forms(
    "say/said/says/saying",
    "tell/told/tells/telling",
    "write/wrote/writes/writing/written",
    "add",
    "ask",
    "tweet",
    "reply",
    "respond",
    "declare",
    "continue",
    "explain",
    "note",
    "state",
    "argue",
    "insist",
    "claim",
    "warn",
    "recall",
    "acknowledge",
    "admit/admitted/admits/admitting",
    "regret/regretted/regrets/regretting",
    "plead/pleaded/pleads/pleading",
    "blame",
    "dismiss",
    "seek/sought/seeks/seeking",
    "offer",
    "propose",
    "express",
    "tout",
    "defend",
    "vow",
    "lash",
    "attack",
    "mock",
    "wonder",
    "highlight",
    "summarize",
    "summarise",
    "characterize",
    "characterise",
    "insist",
    "conclude",
    "suggest",
    "announce",
    "report",
    "remark",
    "observe",
    "shout",
    "yell",
    "chant",
    "joke",
    "quip",
    "answer",
    "complain",
    "emphasize",
    "emphasise",
    "stress",
    "assert",
    "predict",
    "promise",
    "pledge",
    "vow",
    "boast",
    "concede",
    "confirm",
    "contend",
    "counter",
    "caution",
    "lament",
    "muse",
    "mutter",
    "posit",
    "proclaim",
    "read/read/reads/reading",
    "recount",
    "reiterate",
    "retort",
    "scoff",
    "snap/snapped/snaps/snapping",
    "urge",
    "whisper",
    "exclaim",
    "point",  # "pointed out"
    "mention",
    "describe",
    "call/called/calls/calling",
    "accuse",
    "charge",
    "blast",
    "slam/slammed/slams/slamming",
    "criticize",
    "criticise",
    "praise",
    "dub/dubbed/dubs/dubbing",
    "label/labeled/labels/labeling/labelled/labelling",
    "brand",
    "term",
    "deride",
    "denounce",
    "refer/referred/refers/referring",
    "post",
    "testify/testified/testifies/testifying",
    "speak/spoke/speaks/speaking/spoken",
    "put/put/puts/putting",  # "as he put it"
    "assure",
    "boom",
    "ponder",
    "vent",
    "hail",
    "herald",
    "gloat",
    "pressed/pressed",
    "surmise",
    "identify/identified/identifies/identifying",
    "cast/cast/casts/casting",
    "deny/denied/denies/denying",
    "demand",
    "opine",
    "recommend",
)

# Verbs of thought, belief and report that PolNeAR attributes without quotation marks.
REPORT_VERBS = _forms(
    "think/thought/thinks/thinking",
    "believe",
    "feel/felt/feels/feeling",
    "know/knew/knows/knowing/known",
    "hope",
    "fear",
    "worry/worried/worries/worrying",
    "expect",
    "find/found/finds/finding",
    "show/showed/shows/showing/shown",
    "indicate",
    "estimate",
    "allege",
    "agree",
    "contend",
    "doubt",
    "reveal",
    "disclose",
    "signal",
    "imply/implied/implies/implying",
    "hint",
    "learn",
    "realize",
    "realise",
    "understand/understood/understands/understanding",
    "guess",
    "wonder",
    "reckon",
    "assume",
    "figure",
    "maintain",
    "acknowledge",
    "question",
    "predict",
    "speculate",
    "inform",
    "remind",
    "assure",
    "convince",
)

# Verbs of stance and action on a proposition or a party, attributed by PolNeAR too.
STANCE_VERBS = _forms(
    "want",
    "support",
    "oppose",
    "endorse",
    "favor",
    "favour",
    "back",
    "reject",
    "refuse",
    "decline",
    "plan/planned/plans/planning",
    "intend",
    "seek/sought/seeks/seeking",
    "consider",
    "regard",
    "view",
    "see/saw/sees/seeing/seen",
    "prefer/preferred/prefers/preferring",
    "welcome",
    "condemn",
    "applaud",
    "embrace",
    "dispute",
    "challenge",
    "blame",
    "credit",
    "recognize",
    "recognise",
)

SPEECH_SET = frozenset(SPEECH_VERBS)
REPORT_SET = frozenset(REPORT_VERBS)

# Phrases that make a cue longer than its verb: "said in a statement", "told reporters".
CUE_TAILS = (
    r"(?:\s+(?:in|on|at|during|via|through)\s+(?:a|an|the|his|her|their|its)\s+"
    r"(?:statement|interview|speech|tweet|post|email|e-mail|letter|note|release|news conference|"
    r"press conference|press release|conference call|call|op-ed|memo|report|blog post|"
    r"Facebook post|radio interview|television interview|TV interview|rally|hearing|debate)"
    r"|\s+on\s+(?:Twitter|Facebook|Instagram|CNN|Fox News|MSNBC|NBC|CBS|ABC)"
    r"|\s+(?:reporters|journalists|the crowd|supporters|the audience|the press)"
    r"|\s+out)?"
)

SUBJECT_PRONOUNS = frozenset("he she they i we it you who".split())
PERSON_PRONOUNS = frozenset("he she i we you".split())
PRONOUNS = frozenset(
    "i me my we us our you your he him his she her it its they them their who whom which that "
    "this these those one".split()
)

# Titles written before a name; a mention "Mr. Hyers" resolves to "Jim Hyers" through them.
TITLES = frozenset(
    "mr mrs ms miss dr sen sens rep reps gov govs gen lt col capt sgt adm rev prof pres "
    "president senator representative congressman congresswoman governor secretary speaker "
    "chairman chairwoman judge justice mayor ambassador minister chancellor "
    "premier king queen prince princess pope sheriff attorney general leader".split()
)

# Words that end a speaker's mention when met walking away from the cue.
MENTION_STOPS = frozenset(
    "that and but or which because when while if as so than then after before since where "
    "though although whether said says say told also is was are were has have had be been "
    "being not to for in on at by from with of into about over under against this these "
    "there here what how why yet nor".split()
)

# Words that may stand between a speaker and the cue: "Smith also said", "he later told".
CUE_ADVERBS = frozenset(
    "also later then has have had would will could might may once again further recently "
    "previously repeatedly reportedly simply just even publicly privately earlier often "
    "frequently still initially eventually quickly angrily flatly bluntly tersely "
    "told".split()
)

# Honorifics and short forms after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen sens rep reps gov gen lt col capt sgt adm rev prof st jr sr inc co corp "
    "ltd no vs etc u.s u.k u.n d.c a.m p.m jan feb mar apr aug sept sep oct nov dec ft mt "
    "calif fla ill mass mich minn penn pa va wash wis ariz colo conn del ga ky la md mo nev "
    "okla ore tenn tex vt".split()
)

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Organisation-like heads: a speaker named with one of these is guessed an organisation.
ORGANISATION_WORDS = frozenset(
    "service office ministry department agency committee council campaign party union "
    "association commission administration government house court bureau institute "
    "foundation center centre group company corporation network times post news journal "
    "press board organization organisation federation league university police army "
    "senate congress parliament white".split()
)


def alternation(words: list[str] | frozenset[str]) -> str:
    """A regex alternation of the words, longest first so that none shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
