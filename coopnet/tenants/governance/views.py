"""Governance pages: decisions, a proposal with one-click positions, the rulebook, meetings and minutes."""

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.i18n import from_local
from coopnet.platform.context import has_role, public_tenant_route, require_role, tenant_blueprint, tenant_role
from coopnet.tenants.governance import exports, minutes, presenting, proposals, rulebook, services
from coopnet.tenants.governance.forms import (
    AdoptForm,
    ApproveForm,
    MeetingForm,
    MinutesForm,
    PositionForm,
    ProposalForm,
)
from coopnet.tenants.governance.rules import STANCES, rule_from_dict
from coopnet.terms import term

blueprint = tenant_blueprint("governance", __name__, template_folder="templates")

FORM_FIELDS = {"rulebook_change.categories": "category"}


@blueprint.route("/decisions", methods=["GET", "POST"])
def decisions():
    current = rulebook.current(db.session)
    form = ProposalForm()
    form.category.choices = list(current.categories) if current else []
    if form.is_submitted():
        require_role("member")

    def open_it():
        proposal = services.open_proposal(
            db.session,
            g.tenant,
            current_user.id,
            form.category.data,
            form.title.data,
            form.body.data,
            from_local(form.closes_at.data),
        )
        db.session.commit()
        return proposal

    result = submit(form, open_it, FORM_FIELDS)
    if result.ok:
        flash(_("Your proposal is open; members have been told."), "success")
        return redirect(url_for("governance.proposal_page", proposal_id=result.value.id))
    shown = presenting.many(db.session, g.tenant, proposals.listing(db.session), current_user.id)
    actions = minutes.my_actions(db.session, current_user.id)
    page = render_template("governance/decisions.html", form=form, proposals=shown, rulebook=current, actions=actions)
    return page, result.status


@blueprint.route("/decisions/<id:proposal_id>", methods=["GET"])
def proposal_page(proposal_id):
    found = proposals.get(db.session, proposal_id)
    shown = presenting.proposal(db.session, g.tenant, found, current_user.id)
    rule = rule_from_dict(rulebook.version(db.session, found.rulebook_version).categories[found.category])
    stances = [s for s in STANCES if s != "block" or rule.blocks]
    history = presenting.changes(db.session, g.tenant, proposals.history(db.session, proposal_id))
    return render_template(
        "governance/proposal.html",
        proposal=shown,
        rule=rule,
        stances=stances,
        history=history,
        form=PositionForm(),
        action_form=EmptyForm(),
    )


@blueprint.post("/decisions/<id:proposal_id>/position")
def take_position(proposal_id):
    form = PositionForm()
    result = submit(
        form,
        committed(
            proposals.take_position,
            db.session,
            g.tenant,
            proposal_id,
            current_user.id,
            form.stance.data,
            form.reason.data,
        ),
    )
    if result.ok:
        flash(_("Your position is recorded: %(stance)s.", stance=term(form.stance.data)), "success")
    else:
        flash(problems(form), "error")
    return redirect(url_for("governance.proposal_page", proposal_id=proposal_id))


@blueprint.post("/decisions/<id:proposal_id>/close")
def close_early(proposal_id):
    form = EmptyForm()
    result = submit(
        form, committed(proposals.close_early, db.session, g.tenant, proposal_id, current_user.id, has_role("admin"))
    )
    flash(_("Closed.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("governance.proposal_page", proposal_id=proposal_id))


@blueprint.post("/decisions/<id:proposal_id>/withdraw")
def withdraw(proposal_id):
    form = EmptyForm()
    result = submit(form, committed(proposals.withdraw, db.session, proposal_id, current_user.id))
    flash(_("Withdrawn.") if result.ok else problems(form), "info" if result.ok else "error")
    return redirect(url_for("governance.proposal_page", proposal_id=proposal_id))


@blueprint.route("/rulebook", methods=["GET", "POST"])
def rulebook_page():
    form = AdoptForm()
    if form.is_submitted():
        require_role("admin")
    result = submit(form, committed(rulebook.adopt_preset, db.session, form.preset.data, current_user.id))
    if result.ok:
        flash(_("The rulebook is adopted. From now on it changes through rulebook proposals."), "success")
        return redirect(url_for("governance.rulebook_page"))
    versions = [presenting.rulebook(v) for v in rulebook.history(db.session)]
    return render_template("governance/rulebook.html", form=form, versions=versions), result.status


@blueprint.route("/meetings", methods=["GET", "POST"])
def meetings():
    form = MeetingForm()
    if form.is_submitted():
        require_role("member")
    result = submit(
        form,
        committed(
            minutes.create_meeting,
            db.session,
            current_user.id,
            form.title.data,
            from_local(form.starts_at.data),
            form.recurrence.data,
            form.every_weeks.data,
            location=form.location.data,
        ),
    )
    if result.ok:
        flash(_("Meeting scheduled."), "success")
        return redirect(url_for("governance.meetings"))
    page = render_template(
        "governance/meetings.html",
        form=form,
        meetings=minutes.meetings(db.session),
        minutes=minutes.listing(db.session),
        minutes_form=MinutesForm(),
    )
    return page, result.status


@blueprint.post("/minutes")
@tenant_role("member")
def draft_minutes():
    form = MinutesForm()

    def write():
        decisions = [{"text": line.strip()} for line in (form.decisions.data or "").splitlines() if line.strip()]
        values = {"held_on": form.held_on.data, "issues": form.issues.data, "decisions": decisions}
        drafted = minutes.draft(db.session, current_user.id, values)
        db.session.commit()
        return drafted

    result = submit(form, write)
    if result.ok:
        return redirect(url_for("governance.minutes_page", minutes_id=result.value.id))
    flash(problems(form), "error")
    return redirect(url_for("governance.meetings"))


@blueprint.route("/minutes/<id:minutes_id>", methods=["GET", "POST"])
def minutes_page(minutes_id):
    found = minutes.get_minutes(db.session, minutes_id)
    form = ApproveForm()
    if form.is_submitted():
        require_role("member")
    result = submit(
        form, committed(minutes.approve, db.session, g.tenant, minutes_id, proposal_id=form.proposal_id.data)
    )
    if result.ok:
        flash(_("The minutes are approved and now part of the co-op's legal record."), "success")
        return redirect(url_for("governance.minutes_page", minutes_id=minutes_id))
    names = minutes.people_named(db.session, g.tenant, found)
    page = render_template("governance/minutes.html", minutes=found, names=names, form=form)
    return page, result.status


@blueprint.get("/minutes/<id:minutes_id>.md")
def minutes_markdown(minutes_id):
    found = minutes.get_minutes(db.session, minutes_id)
    names = minutes.people_named(db.session, g.tenant, found)
    text = minutes.to_markdown(found, names, g.tenant.name)
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="minutes-{found.held_on.isoformat()}.md"'},
    )


@blueprint.get("/minutes/<id:minutes_id>.pdf")
def minutes_pdf(minutes_id):
    found = minutes.get_minutes(db.session, minutes_id)
    names = minutes.people_named(db.session, g.tenant, found)
    pdf = exports.minutes_pdf(minutes.to_markdown(found, names, g.tenant.name))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="minutes-{found.held_on.isoformat()}.pdf"'},
    )


@blueprint.post("/meetings/calendar-key")
def calendar_key():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("governance.meetings"))
    key = exports.issue_calendar_key(db.session, current_user.id)
    db.session.commit()
    flash(
        _(
            "Subscribe your calendar app to %(url)s (keep it secret; making a new one stops the old).",
            url=url_for("governance.calendar", key=key, _external=True),
        ),
        "success",
    )
    return redirect(url_for("governance.meetings"))


@blueprint.get("/meetings.ics")
@public_tenant_route
def calendar():
    """A calendar app cannot log in: the member's secret key in the URL stands for them."""
    account_id = exports.account_for_calendar_key(db.session, request.args.get("key"))
    if account_id is None or not exports.still_member(db.session, g.tenant, account_id):
        g.pop("tenant")
        abort(404)
    feed = exports.meetings_ics(db.session, g.tenant.name, g.tenant.slug, current_app.config["BASE_URL"])
    return Response(feed, mimetype="text/calendar")


@blueprint.get("/minutes/verify")
@tenant_role("admin")
def verify_page():
    return render_template("governance/verify.html", result=minutes.verify(db.session))
