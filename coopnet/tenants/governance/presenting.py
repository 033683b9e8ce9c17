"""What the pages and the API show of governance records: one place builds each shape."""

from sqlalchemy import select

from coopnet.tenants.governance import proposals
from coopnet.tenants.governance.models import Position
from coopnet.tenants.governance.rules import CATEGORIES, rule_from_dict, rule_to_dict


def _ordered(categories: dict) -> list[dict]:
    """Each rule with every field, defaults included (a rulebook stored before a field existed)."""
    keys = [k for k in CATEGORIES if k in categories] + sorted(set(categories) - set(CATEGORIES))
    return [{"key": key, **rule_to_dict(rule_from_dict(categories[key]))} for key in keys]


def preset(p) -> dict:
    categories = {key: rule_to_dict(rule) for key, rule in p.categories.items()}
    return {"key": p.key, "name": p.name, "story": p.story, "categories": _ordered(categories)}


def rulebook(version) -> dict:
    return {
        "version": version.version,
        "preset": version.preset,
        "adopted_at": version.adopted_at,
        "proposal_id": version.proposal_id,
        "categories": _ordered(version.categories),
    }


def proposal(session, tenant, found, account_id) -> dict:
    return many(session, tenant, [found], account_id)[0]


def many(session, tenant, found, account_id) -> list[dict]:
    """Each proposal with its tally: stored at closing, or counted live while open."""
    if not found:
        return []
    ids = [p.id for p in found]
    mine = dict(
        session.execute(
            select(Position.proposal_id, Position.stance).where(
                Position.proposal_id.in_(ids), Position.account_id == account_id
            )
        ).all()
    )
    shown = []
    for p in found:
        data = {
            column: getattr(p, column)
            for column in (
                "id",
                "category",
                "title",
                "body",
                "author_id",
                "status",
                "outcome",
                "rulebook_version",
                "opened_at",
                "closes_at",
                "closed_at",
                "closed_by",
                "rulebook_change",
            )
        }
        if p.status == "closed":
            tally, eligible = p.tally, p.eligible
        else:
            rule = proposals.rule_of(session, p)
            tally = proposals.tally_of(session, tenant, p, rule)
            eligible = proposals.eligible_count(session, tenant, rule)
        data.update(tally=tally, eligible=eligible, spoken=sum(tally.values()), my_stance=mine.get(p.id))
        shown.append(data)
    return shown


def changes(session, tenant, history) -> list[dict]:
    names = proposals.names(session, tenant, [c.account_id for c in history])
    return [
        {
            "account_id": c.account_id,
            "name": names.get(c.account_id, "former member"),
            "stance": c.stance,
            "reason": c.reason,
            "taken_at": c.taken_at,
        }
        for c in history
    ]
