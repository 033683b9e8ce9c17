"""Members, invitations and the join page of a co-op."""
from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_user

from coopnet.errors import ServiceError
from coopnet.extensions import db
from coopnet.platform import accounts, tenants
from coopnet.platform.context import has_role, public_tenant_route, require_role, tenant_role
from coopnet.platform.forms import EmptyForm, apply_errors
from coopnet.tenants.membership import services
from coopnet.tenants.membership.forms import InviteForm, JoinForm
from coopnet.tenants.outbox.jobs import deliver_message
from coopnet.worker.queues import enqueue_for_tenant


def join_link(token):
    return url_for("tenant.join", slug=g.tenant.slug, token=token, _external=True)


def send_invitation(email, role):
    """Shared by the page and the API: record, commit, then hand the mail to the worker."""
    invitation, message = services.invite(
        db.session, g.tenant, current_user, email, role, current_app.config["INVITATION_TTL"], join_link
    )
    db.session.commit()
    enqueue_for_tenant(g.tenant.slug, deliver_message, message.id)
    return invitation


def register(blueprint):
    @blueprint.route("/members", methods=["GET", "POST"])
    def members():
        form = InviteForm()
        status = 200
        if form.is_submitted():
            require_role("admin")
            if form.validate():
                try:
                    send_invitation(form.email.data, form.role.data)
                except ServiceError as error:
                    apply_errors(form, error)
                    status = error.status
                else:
                    flash(f"Invitation sent to {form.email.data}.", "success")
                    return redirect(url_for("tenant.members"))
            else:
                status = 422
        rows = tenants.members_of(db.session, g.tenant)
        invitations = services.list_invitations(db.session) if has_role("admin") else []
        return render_template(
            "tenants/members.html", form=form, rows=rows, invitations=invitations, revoke_form=EmptyForm()
        ), status

    @blueprint.post("/invitations/<id:invitation_id>/revoke")
    @tenant_role("admin")
    def revoke_invitation(invitation_id):
        services.revoke(db.session, invitation_id)
        db.session.commit()
        flash("Invitation withdrawn.", "info")
        return redirect(url_for("tenant.members"))

    @blueprint.route("/join/<token>", methods=["GET", "POST"])
    @public_tenant_route
    def join(token):
        invitation = services.find_invitation(db.session, token)
        try:
            services.check_usable(invitation)
        except ServiceError as error:
            g.pop("tenant")  # a guessed or stale link learns nothing about the co-op
            return render_template("errors/error.html", status=error.status, message=error.message), error.status
        if current_user.is_authenticated and g.membership is not None:
            flash(f"You are already a member of {g.tenant.name}.", "info")
            return redirect(url_for("tenant.dashboard"))
        form = EmptyForm() if current_user.is_authenticated else JoinForm()
        status = 200
        if form.validate_on_submit():
            try:
                account = current_user._get_current_object() if current_user.is_authenticated else accounts.create_account(
                    db.session, current_app.extensions["coopnet.hasher"], form.name.data, invitation.email, form.password.data
                )
                services.accept(db.session, g.tenant, token, account)
                db.session.commit()
            except ServiceError as error:
                db.session.rollback()
                apply_errors(form, error)
                status = error.status
            else:
                login_user(account)
                flash(f"Welcome to {g.tenant.name}.", "success")
                return redirect(url_for("tenant.dashboard"))
        elif form.is_submitted():
            status = 422
        existing = accounts.find_account(db.session, invitation.email) if not current_user.is_authenticated else None
        return render_template(
            "tenants/join.html", form=form, invitation=invitation, existing_account=existing
        ), status
