"""Ranking the members who could take a client request, in one SQL statement: most skills
matched first, then those taking work, then whoever has waited longest since last being
offered work, so equally matched members take turns instead of first come, first served."""

from datetime import datetime

from sqlalchemy import text

from coopnet.database import utcnow

RANKING = text(
    """
    SELECT m.id, coalesce(c.name, a.name) AS name, c.slug, m.account_id, m.last_offered_at,
           ranked.matched_skills, ranked.available,
           cardinality(ranked.matched_skills) * 100 + CASE WHEN ranked.available THEN 50 ELSE 0 END
             + CASE WHEN m.last_offered_at IS NULL THEN 30
                    ELSE LEAST(30, floor(extract(epoch FROM (:now - m.last_offered_at)) / 86400))::int END AS score
    FROM network_members m
    CROSS JOIN LATERAL (
        SELECT ARRAY(SELECT s FROM unnest(m.skills) s WHERE s = ANY(CAST(:wanted AS varchar[])) ORDER BY s)
                 AS matched_skills,
               (m.taking_work AND (m.full_until IS NULL OR m.full_until <= CAST(:today AS date))) AS available
    ) ranked
    LEFT JOIN tenants c ON c.id = m.coop_id
    LEFT JOIN accounts a ON a.id = m.account_id
    WHERE m.network_id = :network AND m.left_at IS NULL
      AND (cardinality(CAST(:wanted AS varchar[])) = 0 OR m.skills && CAST(:wanted AS varchar[]))
      AND (c.id IS NULL OR c.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = :request AND o.member_id = m.id
                      AND o.status IN ('open', 'declined', 'accepted'))
    ORDER BY cardinality(ranked.matched_skills) DESC, ranked.available DESC,
             m.last_offered_at ASC NULLS FIRST, m.id
    LIMIT :limit
    """
)


def rank(session, network_id: int, request_id: int, skills, limit: int = 20, now: datetime | None = None):
    """Members who could take the work, best first: most skills matched, then taking
    work, then longest since last offered work (so equally matched members take turns)."""
    now = now or utcnow()
    found = session.execute(
        RANKING,
        {
            "network": network_id,
            "request": request_id,
            "wanted": list(skills or []),
            "today": now.date(),
            "now": now,
            "limit": limit,
        },
    ).all()
    results = []
    for row in found:
        reasons = []
        if row.matched_skills:
            reasons.append(f"matches {', '.join(row.matched_skills)}")
        reasons.append("taking work" if row.available else "not taking work now")
        if row.last_offered_at is None:
            reasons.append("never offered work through the network")
        else:
            days = (now - row.last_offered_at).days
            reasons.append(f"last offered work {days} day{'s' if days != 1 else ''} ago")
        member = {
            "id": row.id,
            "name": row.name,
            "kind": "coop" if row.slug else "consultant",
            "party": row.slug or row.account_id,
        }
        results.append({"member": member, "score": row.score, "reasons": reasons})
    return results
