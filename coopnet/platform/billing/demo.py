"""The platform's plans in the demo: Tech Underground, a federation just starting, is
comped on the Federation plan by the operator; then the daily sweep runs, so any demo
co-op with more people than the free plan covers shows the unpaid-plan banner and its
admins have the mail. No platform Stripe keys are set, so nothing is charged."""

from datetime import date

from coopnet.database import utcnow
from coopnet.platform.billing import services, standing
from coopnet.platform.tenants import get_tenant


def load(session):
    network = get_tenant(session, "tech-underground")
    if network is not None:
        services.comp(session, network, "federation", "A federation of co-ops in its first year.", None, utcnow())
        session.commit()
    standing.sweep(session, date.today())
    session.commit()
