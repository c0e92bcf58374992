"""The plan quality check: what serious case reviews found wrong with plans, looked for while one is written.

"The recording of the detail of child protection plans is clear and specific, and is focused on desired
outcomes… timescales precisely set out"; "be clear with parents about what needs to change and by when".
So: every action has an owner and a date; every outcome says what will be different for the child and
how anyone will know (a measure, not "improve" or "engage"); and what the family reads is in plain
English (no professional shorthand, short sentences). The check reads plain values, so that it runs the
same on a saved plan (the audit report) and on a form being typed (htmx), before anything is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import textstat

# Professional shorthand a family is unlikely to know, and what to say instead.
JARGON: dict[str, str] = {
    "s47": "an investigation by children's social care into whether a child is being harmed",
    "section 47": "an investigation by children's social care into whether a child is being harmed",
    "s17": "help from children's social care for a child who needs extra support",
    "section 17": "help from children's social care for a child who needs extra support",
    "ICPC": "the first child protection meeting",
    "RCPC": "the child protection review meeting",
    "core group": "the group of workers and family who meet to check the plan is working",
    "CIN": "child in need",
    "CP": "child protection",
    "CPP": "child protection plan",
    "LAC": "a child in care",
    "CLA": "a child in care",
    "TAF": "the meeting of family and workers who help you (team around the family)",
    "TAC": "the meeting of workers who help your child (team around the child)",
    "DNA": "did not come to the appointment (for a child: was not brought)",
    "WNB": "was not brought to the appointment",
    "MASH": "the team that first looks at concerns about a child",
    "LADO": "the person who looks into concerns about adults who work with children",
    "EHA": "early help assessment",
    "IRO": "the independent reviewing officer who checks a child in care's plan",
    "PLO": "the legal process before the council may go to court",
    "HV": "health visitor",
    "SW": "social worker",
    "SDQ": "the questionnaire about your child's feelings and behaviour",
    "GCP2": "the Graded Care Profile, a way of looking at how a child's needs are met",
    "disguised compliance": "saying you will make changes without making them",
    "parenting capacity": "how well you are able to look after your child",
    "safeguarding": "keeping your child safe",
    "statutory": "required by law",
    "multi-agency": "workers from different services",
    "threshold": "the level of need or risk that decides what help is offered",
    "contact": "family time (time your child spends with family they do not live with)",
}

# Words that sound like an outcome but say neither what will be different nor how anyone will know.
VAGUE = [
    "improve",
    "improved",
    "improvement",
    "engage",
    "engagement",
    "continue to monitor",
    "monitor",
    "support",
    "work with",
    "address",
    "appropriate",
    "adequate",
    "better",
    "ensure",
    "sufficient",
]

# A measure: a number, how often, or by when (a date or a time of day).
MEASURABLE = re.compile(
    r"\d|\b(every|each|daily|weekly|fortnightly|monthly|once|twice|times|always|never|by|within|"
    r"before|after|until|per|no more than|at least)\b",
    re.IGNORECASE,
)

# Flesch reading ease: 60 and above is plain English (most adults read it easily).
PLAIN_READING_EASE = 60
LONG_SENTENCE_WORDS = 25
# Readability formulas mean little on a sentence fragment.
FEWEST_WORDS_TO_SCORE = 20


@dataclass(frozen=True)
class Finding:
    """One problem the check found: where, what is wrong, and how to put it right."""

    where: str  # "Action 2", "Outcome 1", "Written agreement 3"
    problem: str
    suggestion: str
    kind: str  # owner | date | vague | jargon | readability


@dataclass(frozen=True)
class OutcomeText:
    description: str
    measure: str = ""


@dataclass(frozen=True)
class ActionText:
    description: str
    has_owner: bool
    has_due_date: bool


@dataclass
class QualityReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_good(self) -> bool:
        return not self.findings

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def _pattern(term: str) -> re.Pattern[str]:
    # Abbreviations are matched in capitals only ("DNA", "CIN", not "dna" or "cin"), other terms ("s47",
    # "core group") in any case; always as whole words.
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)


_JARGON_PATTERNS = [(term, _pattern(term), plain) for term, plain in JARGON.items()]
_VAGUE_PATTERNS = [(word, re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)) for word in VAGUE]


def jargon_found(text: str) -> list[tuple[str, str]]:
    """The jargon in ``text`` with its plain-English suggestion, in the order of the list."""
    return [(term, plain) for term, pattern, plain in _JARGON_PATTERNS if pattern.search(text)]


def vague_words(text: str) -> list[str]:
    return [word for word, pattern in _VAGUE_PATTERNS if pattern.search(text)]


def is_measurable(text: str) -> bool:
    return bool(MEASURABLE.search(text))


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of ``text``, or None when it is too short to score."""
    if textstat.lexicon_count(text) < FEWEST_WORDS_TO_SCORE:
        return None
    return float(textstat.flesch_reading_ease(text))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def plain_english_findings(where: str, text: str) -> list[Finding]:
    """Jargon and hard reading in text the family will read."""
    findings = [
        Finding(
            where,
            f"“{term}” is professional jargon the family may not know",
            f"Say “{plain}” instead",
            "jargon",
        )
        for term, plain in jargon_found(text)
    ]
    ease = reading_ease(text)
    if ease is not None and ease < PLAIN_READING_EASE:
        long = [s for s in _sentences(text) if textstat.lexicon_count(s) > LONG_SENTENCE_WORDS]
        advice = "Use shorter sentences and everyday words"
        if long:
            advice += f"; split the sentence starting “{' '.join(long[0].split()[:6])}…”"
        findings.append(
            Finding(
                where,
                f"Hard to read: reading ease {ease:.0f} out of 100 (aim for {PLAIN_READING_EASE} or more)",
                advice,
                "readability",
            )
        )
    return findings


def outcome_findings(where: str, outcome: OutcomeText) -> list[Finding]:
    text = f"{outcome.description}\n{outcome.measure}".strip()
    findings: list[Finding] = []
    vague = vague_words(text)
    if not is_measurable(outcome.measure):
        if vague:
            problem = (
                f"“{vague[0]}” does not say what will be different for the child, and there is no measure"
            )
        else:
            problem = "There is no measure: how will everyone know the outcome has been reached?"
        findings.append(
            Finding(
                where,
                problem,
                "Say what the child will experience each day, with a measure: how "
                "often, how many or by when (for example, “Mia has breakfast before school every "
                "day, checked at 3 unannounced visits by 30 June”)",
                "vague",
            )
        )
    return findings + plain_english_findings(where, text)


def action_findings(where: str, action: ActionText) -> list[Finding]:
    findings: list[Finding] = []
    if not action.has_owner:
        findings.append(Finding(where, "The action has no owner", "Name the person who will do it", "owner"))
    if not action.has_due_date:
        findings.append(Finding(where, "The action has no date", "Give the date it will be done by", "date"))
    return findings + plain_english_findings(where, action.description)


def plan_quality(
    *, outcomes: Iterable[OutcomeText], actions: Iterable[ActionText], agreements: Iterable[str]
) -> QualityReport:
    """Every finding on a plan, outcome by outcome, then its actions, then its written agreements."""
    report = QualityReport()
    outcomes, actions, agreements = list(outcomes), list(actions), list(agreements)
    if not outcomes:
        report.findings.append(
            Finding(
                "The plan",
                "The plan has no outcomes",
                "Add what will be different in the child's daily life",
                "vague",
            )
        )
    if not actions:
        report.findings.append(
            Finding("The plan", "The plan has no actions", "Add who will do what, by when", "owner")
        )
    for n, outcome in enumerate(outcomes, 1):
        report.findings += outcome_findings(f"Outcome {n}", outcome)
    for n, action in enumerate(actions, 1):
        report.findings += action_findings(f"Action {n}", action)
    for n, agreement in enumerate(agreements, 1):
        report.findings += plain_english_findings(f"Written agreement {n}", agreement)
    return report
