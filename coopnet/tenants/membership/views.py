"""Members, invitations and the join page of a co-op."""

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.errors import ServiceError
from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, submit
from coopnet.platform import accounts, tenants
from coopnet.platform.context import has_role, public_tenant_route, require_role, tenant_blueprint, tenant_role
from coopnet.platform.sessions import start_session
from coopnet.platform.throttle import throttle_invitations
from coopnet.tenants.governance import exports
from coopnet.tenants.membership import people, rota, services
from coopnet.tenants.membership.forms import InviteForm, JoinForm, WelcomeForm
from coopnet.tenants.membership.links import join_link

blueprint = tenant_blueprint("membership", __name__, template_folder="templates")


@blueprint.route("/members", methods=["GET", "POST"])
@throttle_invitations
def members():
    form = InviteForm()
    if form.is_submitted():
        require_role("admin")

    def send():
        services.invite(
            db.session,
            g.tenant,
            current_user,
            form.email.data,
            form.role.data,
            current_app.config["INVITATION_TTL"],
            join_link,
            services.InvitationLimits.from_config(current_app.config),
        )
        db.session.commit()

    result = submit(form, send)
    if result.ok:
        flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("membership.members"))
    rows = tenants.members_of(db.session, g.tenant)
    invitations = services.list_invitations(db.session) if has_role("admin") else []
    page = render_template(
        "membership/members.html", form=form, rows=rows, invitations=invitations, revoke_form=EmptyForm()
    )
    return page, result.status


@blueprint.post("/invitations/<id:invitation_id>/revoke")
@tenant_role("admin")
def revoke_invitation(invitation_id):
    if EmptyForm().validate_on_submit():
        services.revoke(db.session, invitation_id)
        db.session.commit()
        flash(_("Invitation withdrawn."), "info")
    return redirect(url_for("membership.members"))


@blueprint.route("/join/<token>", methods=["GET", "POST"])
@public_tenant_route
def join(token):
    # No co-op (or a suspended one) at this address: the same answer as a bad link.
    invitation = services.find_invitation(db.session, token) if g.tenant is not None else None
    try:
        services.check_usable(invitation)
    except ServiceError as error:
        g.pop("tenant")  # a guessed or stale link learns nothing about the co-op
        return render_template("errors/error.html", status=error.status, message=error.message), error.status
    if current_user.is_authenticated and g.membership is not None:
        flash(_("You are already a member of %(name)s.", name=g.tenant.name), "info")
        return redirect(url_for("home.dashboard"))
    form = EmptyForm() if current_user.is_authenticated else JoinForm()
    refusal = None
    if current_user.is_authenticated:
        try:
            services.check_addressed_to(invitation, current_user)
        except ServiceError as error:
            refusal = error

    def accept():
        if current_user.is_authenticated:
            account = current_user._get_current_object()
        else:
            # The link was mailed to invitation.email: following it proves the address.
            account = accounts.create_account(
                db.session, accounts.hasher(), form.name.data, invitation.email, form.password.data, verified=True
            )
        services.accept(db.session, g.tenant, token, account)
        db.session.commit()
        return account

    if refusal is not None:
        page = render_template("membership/join.html", form=form, invitation=invitation, refusal=refusal.message)
        return page, refusal.status
    result = submit(form, accept)
    if result.ok:
        if not current_user.is_authenticated:
            start_session(result.value)
        flash(_("Welcome to %(name)s.", name=g.tenant.name), "success")
        return redirect(url_for("home.dashboard"))
    existing = accounts.find_account(db.session, invitation.email) if not current_user.is_authenticated else None
    page = render_template("membership/join.html", form=form, invitation=invitation, existing_account=existing)
    return page, result.status


@blueprint.route("/welcome/<token>", methods=["GET", "POST"])
@public_tenant_route
def welcome(token):
    """A person the co-op added to its register sets their first password here."""
    try:
        account = people.account_for_welcome(db.session, current_app.config["SECRET_KEY"], token, g.get("tenant"))
    except ServiceError as error:
        g.pop("tenant", None)
        return render_template("errors/error.html", status=error.status, message=error.message), error.status
    form = WelcomeForm()
    choose = committed(
        people.set_first_password,
        db.session,
        accounts.hasher(),
        current_app.config["SECRET_KEY"],
        token,
        form.password.data,
        g.tenant,
    )
    result = submit(form, choose)
    if result.ok:
        start_session(result.value)
        flash(_("Welcome to %(name)s.", name=g.tenant.name), "success")
        return redirect(url_for("home.dashboard"))
    return render_template("membership/welcome.html", form=form, account=account), result.status


@blueprint.get("/rota.ics")
@public_tenant_route
def rota_feed():
    """A member's own support shifts for their calendar app; the key is the same secret
    as the meetings feed (the meetings page makes one)."""
    account_id = exports.account_for_calendar_key(db.session, request.args.get("key"))
    if account_id is None or not exports.still_member(db.session, g.tenant, account_id):
        g.pop("tenant")
        abort(404)
    shifts = rota.rota(db.session, account_id=account_id)
    return Response(rota.rota_ics(shifts, g.tenant.name, g.tenant.slug), mimetype="text/calendar")


from coopnet.tenants.membership import register_views, roles_views  # noqa: E402, F401  (their routes join this blueprint)
