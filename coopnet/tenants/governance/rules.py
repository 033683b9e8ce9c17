"""How a decision is counted: each category's rule, and the outcome a tally gives under it.

Pure functions over plain values (no session): thresholds and quorums are exact
fractions, so two-thirds is 2/3 and 4 agrees out of 6 meets it.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from fractions import Fraction

from flask_babel import gettext as _

STANCES = ("agree", "abstain", "stand_aside", "disagree", "block")
METHODS = ("consensus", "formal_consensus", "majority", "supermajority")
COUNTED_AGAINST = ("cast", "eligible")
CATEGORIES = ("day-to-day", "spending", "admission", "hiring", "pay", "rulebook")
OUTCOMES = ("passed", "failed", "blocked", "no_quorum")

MAX_WINDOW_DAYS = 366
# "2/3", "0.75", "75%", "1": short, plain digits only.
FRACTION_TEXT = re.compile(r"\d{1,6}(\.\d{1,6})?%?|\d{1,6}/\d{1,6}")


class RuleProblem(ValueError):
    """A rule that cannot be applied; ``field`` names what is wrong."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Rule:
    """How one category of decision is made."""

    method: str
    threshold: Fraction | None = None  # majority and supermajority only
    quorum: Fraction = Fraction(0)  # share of eligible voters who must take a position
    counted_against: str = "cast"  # "cast": agree + disagree; "eligible": everyone who may vote
    window_days: int = 7
    blocks: bool = False  # may a member block?
    block_needs_reason: bool = False
    stand_aside_limit: int | None = None  # consensus: more stand-asides than this fail it
    candidates_vote: bool = False
    leave_votes: bool = True  # members on leave keep their vote unless the rulebook says not

    def check(self):
        """Raise RuleProblem for a rule no tally could be counted under."""
        if self.method not in METHODS:
            raise RuleProblem("method", _("The method is one of: %(values)s.", values=", ".join(METHODS)))
        if self.method in ("majority", "supermajority"):
            if self.threshold is None or not 0 < self.threshold <= 1:
                raise RuleProblem("threshold", _("A threshold is a fraction above 0 and at most 1, such as 2/3."))
            if self.blocks:
                raise RuleProblem("blocks", _("Only consensus methods allow blocks."))
        elif self.threshold is not None:
            raise RuleProblem("threshold", _("Consensus has no threshold."))
        if not 0 <= self.quorum <= 1:
            raise RuleProblem("quorum", _("A quorum is a share of eligible voters from 0 to 1 (100%)."))
        if self.counted_against not in COUNTED_AGAINST:
            raise RuleProblem("counted_against", _("Count against 'cast' votes or all 'eligible' voters."))
        if not 1 <= self.window_days <= MAX_WINDOW_DAYS:
            raise RuleProblem(
                "window_days", _("A voting window is 1 to %(max_window_days)s days.", max_window_days=MAX_WINDOW_DAYS)
            )
        if self.stand_aside_limit is not None and self.stand_aside_limit < 0:
            raise RuleProblem("stand_aside_limit", _("The stand-aside limit cannot be negative."))
        if self.block_needs_reason and not self.blocks:
            raise RuleProblem("block_needs_reason", _("Blocks must be allowed before they can need a reason."))
        return self


def decide(rule: Rule, tally: Mapping[str, int], eligible: int) -> str:
    """The outcome of a closed proposal: passed, failed, blocked or no_quorum."""
    count = {stance: int(tally.get(stance, 0)) for stance in STANCES}
    spoken = sum(count.values())
    if eligible <= 0 or spoken * rule.quorum.denominator < rule.quorum.numerator * eligible or spoken == 0:
        return "no_quorum"
    if rule.method in ("consensus", "formal_consensus"):
        if rule.blocks and count["block"]:
            return "blocked"
        if count["disagree"] or count["block"]:
            return "failed"
        if rule.stand_aside_limit is not None and count["stand_aside"] > rule.stand_aside_limit:
            return "failed"
        return "passed" if count["agree"] else "failed"
    base = count["agree"] + count["disagree"] if rule.counted_against == "cast" else eligible
    if base == 0:
        return "failed"
    share = Fraction(count["agree"], base)
    if rule.method == "majority":
        return "passed" if share > rule.threshold else "failed"  # more than half
    return "passed" if share >= rule.threshold else "failed"  # at least two-thirds


def stance_problem(rule: Rule, stance: str, reason: str | None) -> tuple[str, str] | None:
    """(field, message) when ``stance`` is not allowed under ``rule``."""
    if stance not in STANCES:
        return "stance", _("Take one of: %(values)s.", values=", ".join(STANCES))
    if stance == "block" and not rule.blocks:
        return "stance", _("This kind of decision allows no blocks; disagree instead.")
    if stance == "block" and rule.block_needs_reason and not (reason or "").strip():
        return "reason", _("A block needs a stated reason.")
    return None


# --- fractions as people write them -------------------------------------------


def parse_fraction(value, field) -> Fraction:
    """'2/3', '0.75', '75%', 1 or 0.5 to an exact Fraction."""
    if isinstance(value, bool) or value is None:
        raise RuleProblem(field, _("Write a fraction such as 2/3, 0.75 or 75%."))
    text = str(value).strip()
    if not FRACTION_TEXT.fullmatch(text):  # before Fraction(), which would expand "1e-3000000"
        raise RuleProblem(field, _("Write a fraction such as 2/3, 0.75 or 75%."))
    try:
        if text.endswith("%"):
            result = Fraction(text[:-1].strip()) / 100
        else:
            result = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise RuleProblem(field, _("Write a fraction such as 2/3, 0.75 or 75%.")) from exc
    if result.denominator > 10_000:
        raise RuleProblem(field, _("Write a simpler fraction, such as 2/3."))
    return result


def show_fraction(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def rule_from_dict(data: Mapping) -> Rule:
    """A checked Rule from JSON-like values (fractions as strings)."""
    if not isinstance(data, Mapping):
        raise RuleProblem("_schema", _("A rule is an object."))
    try:
        rule = Rule(
            method=data.get("method"),
            threshold=parse_fraction(data["threshold"], "threshold") if data.get("threshold") is not None else None,
            quorum=parse_fraction(data.get("quorum", 0), "quorum"),
            counted_against=data.get("counted_against", "cast"),
            window_days=_whole(data.get("window_days", 7), "window_days"),
            blocks=_flag(data.get("blocks", False), "blocks"),
            block_needs_reason=_flag(data.get("block_needs_reason", False), "block_needs_reason"),
            stand_aside_limit=(
                _whole(data["stand_aside_limit"], "stand_aside_limit")
                if data.get("stand_aside_limit") is not None
                else None
            ),
            candidates_vote=_flag(data.get("candidates_vote", False), "candidates_vote"),
            leave_votes=_flag(data.get("leave_votes", True), "leave_votes"),
        )
    except (TypeError, KeyError) as exc:
        raise RuleProblem("_schema", _("A rule has a method and well-formed values.")) from exc
    return rule.check()


def rule_to_dict(rule: Rule) -> dict:
    data = asdict(rule)
    data["threshold"] = show_fraction(rule.threshold)
    data["quorum"] = show_fraction(rule.quorum)
    return data


def _whole(value, field):
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleProblem(field, _("Write a whole number."))
    return value


def _flag(value, field):
    if not isinstance(value, bool):
        raise RuleProblem(field, _("Write true or false."))
    return value


# --- presets from the guide's stories ------------------------------------------

CONSENSUS = Rule(method="consensus", quorum=Fraction(1, 2))
TWO_THIRDS = Rule(method="supermajority", threshold=Fraction(2, 3), quorum=Fraction(1, 2))


def _every(rule, **overrides):
    return {key: overrides.get(key, rule) for key in CATEGORIES}


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    story: str
    categories: dict  # category key -> Rule


PRESETS = {
    preset.key: preset
    for preset in (
        Preset(
            "design-action",
            "Design Action Collective",
            "Most day-to-day decisions by a two-thirds majority; hiring and firing by consensus.",
            _every(
                TWO_THIRDS,
                hiring=replace(CONSENSUS, quorum=Fraction(1), window_days=14),
                admission=replace(CONSENSUS, quorum=Fraction(1), window_days=14),
            ),
        ),
        Preset(
            "quilted",
            "Quilted",
            "Informal consensus: a member may stand aside when not fully satisfied; no vetoes.",
            _every(replace(CONSENSUS, stand_aside_limit=2)),
        ),
        Preset(
            "web-collective",
            "Web Collective",
            "Formal consensus: any member may block, with a stated reason.",
            _every(Rule(method="formal_consensus", quorum=Fraction(2, 3), blocks=True, block_needs_reason=True)),
        ),
        Preset(
            "electric-embers",
            "Electric Embers",
            "All decisions by consensus among all members, brought to the weekly call.",
            _every(replace(CONSENSUS, quorum=Fraction(1))),
        ),
        Preset(
            "brattleboro",
            "Brattleboro Tech Collective",
            "The most important decisions by consensus at a day-long monthly general meeting.",
            _every(replace(CONSENSUS, window_days=31)),
        ),
        Preset(
            "gaia-host",
            "GAIA Host Collective",
            "Consensus as the decision-making model, with accountability statements among members.",
            _every(replace(CONSENSUS, quorum=Fraction(1))),
        ),
        Preset(
            "majority",
            "Simple majority",
            "More than half of the votes cast decide, with half the members taking part.",
            _every(Rule(method="majority", threshold=Fraction(1, 2), quorum=Fraction(1, 2))),
        ),
    )
}
