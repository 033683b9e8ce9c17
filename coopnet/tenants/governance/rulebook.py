"""The co-op's rulebook: adopting a preset (the founding act), reading the rule in force.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coopnet.database import hold
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.tenants.governance.models import RulebookVersion
from coopnet.tenants.governance.rules import CATEGORIES, PRESETS, Rule, RuleProblem, rule_from_dict, rule_to_dict


class NoRulebook(NotFound):
    code = "no_rulebook"


def current(session) -> RulebookVersion | None:
    return session.scalar(select(RulebookVersion).order_by(RulebookVersion.version.desc()).limit(1))


def require_current(session) -> RulebookVersion:
    rulebook = current(session)
    if rulebook is None:
        raise NoRulebook(_("This co-op has not adopted a rulebook yet. An admin adopts one from the presets."))
    return rulebook


def version(session, number: int) -> RulebookVersion:
    found = session.scalar(select(RulebookVersion).where(RulebookVersion.version == number))
    if found is None:
        raise NotFound(_("There is no rulebook version %(number)s.", number=number))
    return found


def history(session) -> list[RulebookVersion]:
    return session.scalars(select(RulebookVersion).order_by(RulebookVersion.version.desc())).all()


def rule_for(rulebook: RulebookVersion, category: str) -> Rule:
    return rule_from_dict(rulebook.categories[category])


def adopt_preset(session, preset_key: str, account_id: int) -> RulebookVersion:
    """The founding act: a co-op with no rulebook adopts one preset as version 1.
    From then on the rulebook changes only through a passed ``rulebook`` proposal."""
    preset = PRESETS.get(preset_key) if isinstance(preset_key, str) else None
    if preset is None:
        raise ValidationFailed(
            _("Choose one of the presets."),
            {"preset": _("Choose one of: %(values)s.", values=", ".join(sorted(PRESETS)))},
        )
    if current(session) is not None:
        raise Conflict(
            _("This co-op already has a rulebook; change it through a proposal in the rulebook category."),
            code="rulebook_exists",
        )
    categories = {key: rule_to_dict(rule) for key, rule in preset.categories.items()}
    rulebook = RulebookVersion(version=1, preset=preset.key, categories=categories, adopted_by=account_id)
    session.add(rulebook)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:  # adopted a moment ago by someone else
        raise Conflict(_("This co-op already has a rulebook."), code="rulebook_exists") from exc
    return rulebook


def checked_categories(raw) -> dict:
    """A proposed rulebook's categories, every rule checked; field errors name the category."""
    if not isinstance(raw, dict) or not raw:
        raise ValidationFailed(_("Give the rule of every category."), {"rulebook_change.categories": "Required."})
    problems, checked = {}, {}
    missing = [key for key in CATEGORIES if key not in raw]
    if len(raw) > len(CATEGORIES) + 20:
        raise ValidationFailed(
            _("Too many categories."), {"rulebook_change.categories": _("At most 20 categories of your own.")}
        )
    if missing:
        problems["rulebook_change.categories"] = _(
            "Every category needs a rule; missing: %(values)s.", values=", ".join(missing)
        )
    for key, value in raw.items():
        if not isinstance(key, str) or len(key) > 40 or not key:
            problems["rulebook_change.categories"] = _("Category keys are short names such as day-to-day.")
            continue
        try:
            checked[key] = rule_to_dict(rule_from_dict(value))
        except RuleProblem as problem:
            problems[f"rulebook_change.categories.{key}.{problem.field}"] = str(problem)
    if problems:
        raise ValidationFailed(_("The proposed rulebook has problems."), problems)
    return checked


def adopt_change(
    session, categories: dict, account_id: int, proposal_id: int, base_version: int
) -> RulebookVersion | None:
    """A passed rulebook proposal's categories become the next version, unless another
    change was adopted since it was opened (it was voted on a rulebook no longer in
    force: it must be proposed again). Returns the new version or None."""
    hold(session, "rulebook")
    number = (session.scalar(select(func.max(RulebookVersion.version))) or 0) + 1
    if number != base_version + 1:
        return None
    rulebook = RulebookVersion(
        version=number, preset=None, categories=categories, adopted_by=account_id, proposal_id=proposal_id
    )
    session.add(rulebook)
    session.flush()
    return rulebook
