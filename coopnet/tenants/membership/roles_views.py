"""Officer, rota and accountability pages: current holders and every term (admins appoint
and end terms), the support rota (admins deal shifts; members ask each other to swap and
the other accepts or declines), and accountability statements with their one response.

Its routes join the membership pages blueprint (imported at the end of views.py)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.i18n import from_local, moment
from coopnet.links import external_url
from coopnet.platform.context import has_role, require_role, tenant_role
from coopnet.tenants.membership import lifecycle, people, roles, rota
from coopnet.tenants.membership.register_forms import (
    AppointForm,
    EndTermForm,
    ResponseForm,
    RotaForm,
    StatementForm,
    SwapForm,
)
from coopnet.tenants.membership.views import blueprint

# People who take part in the co-op's work (officers, rota, statements): not those who left.
ACTIVE = ("applicant", "candidate", "member", "leave")


def _people():
    """(account id, name) of everyone in the register who has not left, by name."""
    return [
        SelectChoice(account.id, account.name)
        for entry, account in lifecycle.register(db.session)
        if entry.status in ACTIVE
    ]


# --- officers ----------------------------------------------------------------------------


@blueprint.route("/officers", methods=["GET", "POST"])
def officers_page():
    form = AppointForm()
    form.account_id.choices = _people()
    if form.is_submitted():
        require_role("admin")
    action = committed(
        roles.appoint, db.session, form.role.data, form.account_id.data, form.starts_on.data, form.ends_on.data
    )
    result = submit(form, action)
    if result.ok:
        flash(_("The %(role)s term is recorded.", role=result.value.role), "success")
        return redirect(url_for("membership.officers_page"))
    terms = roles.terms(db.session)
    names = people.names(db.session, g.tenant, [t.account_id for t in terms])
    page = render_template(
        "membership/officers.html",
        form=form,
        current=roles.officers(db.session),
        terms=terms,
        names=names,
        end_form=EndTermForm(formdata=None),
    )
    return page, result.status


@blueprint.post("/officers/<id:term_id>/end")
@tenant_role("admin")
def end_term(term_id):
    form = EndTermForm()
    result = submit(form, committed(roles.end_term, db.session, term_id, form.ends_on.data))
    flash(_("The term is ended.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("membership.officers_page"))


# --- the rota ------------------------------------------------------------------------------


@blueprint.get("/rota")
def rota_page():
    shifts = rota.rota(db.session)
    requests = rota.swap_requests(db.session, current_user.id)
    by_id = rota.shifts_by_id(db.session, [r.shift_id for r in requests] + [r.with_shift_id for r in requests])
    everyone = {s.account_id for s in shifts} | {r.asked_by for r in requests} | {r.asked_of for r in requests}
    names = people.names(db.session, g.tenant, everyone)
    mine = [s for s in shifts if s.account_id == current_user.id]
    others = [s for s in shifts if s.account_id != current_user.id]
    swap_form = SwapForm(formdata=None)
    swap_form.with_shift_id.choices = [SelectChoice(s.id, _shift_label(s, names)) for s in others]
    rota_form = RotaForm(formdata=None)
    rota_form.participants.choices = _people()
    return render_template(
        "membership/rota.html",
        shifts=shifts,
        mine=mine,
        requests=requests,
        by_id=by_id,
        names=names,
        swap_form=swap_form,
        rota_form=rota_form,
        action_form=EmptyForm(),
    )


def _shift_label(shift, names):
    return f"{moment(shift.starts_at)} · {names.get(shift.account_id, '?')}"


@blueprint.post("/rota/generate")
@tenant_role("admin")
def generate_rota():
    form = RotaForm()
    form.participants.choices = _people()
    starts = from_local(form.starts_at.data)
    action = committed(
        rota.generate_rota, db.session, form.participants.data or [], starts, form.days.data, form.shift_hours.data
    )
    result = submit(form, action)
    flash(
        _("%(count)s shifts are on the rota.", count=len(result.value)) if result.ok else problems(form),
        "success" if result.ok else "error",
    )
    return redirect(url_for("membership.rota_page"))


@blueprint.post("/rota/<id:shift_id>/swap-requests")
def ask_swap(shift_id):
    form = SwapForm()
    action = committed(
        rota.ask_swap,
        db.session,
        g.tenant,
        shift_id,
        form.with_shift_id.data,
        current_user.id,
        external_url("membership.rota_page"),
    )
    result = submit(form, action)
    flash(
        _("Asked; the shifts change hands when they accept.") if result.ok else problems(form),
        "success" if result.ok else "error",
    )
    return redirect(url_for("membership.rota_page"))


@blueprint.post("/rota/swap-requests/<id:swap_id>/accept")
def accept_swap(swap_id):
    action = committed(rota.answer_swap, db.session, swap_id, current_user.id, True)
    return _answered(action, _("Swapped: the shifts have changed hands."))


@blueprint.post("/rota/swap-requests/<id:swap_id>/decline")
def decline_swap(swap_id):
    action = committed(rota.answer_swap, db.session, swap_id, current_user.id, False)
    return _answered(action, _("Declined; your shift stays yours."))


@blueprint.post("/rota/swap-requests/<id:swap_id>/withdraw")
def withdraw_swap(swap_id):
    return _answered(
        committed(rota.withdraw_swap, db.session, swap_id, current_user.id), _("Your request is withdrawn.")
    )


def _answered(action, done):
    form = EmptyForm()
    result = submit(form, action)
    flash(done if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("membership.rota_page"))


# --- accountability ------------------------------------------------------------------------


@blueprint.route("/accountability", methods=["GET", "POST"])
def accountability_page():
    form = StatementForm()
    form.subject_id.choices = _people()
    action = committed(
        roles.file_statement, db.session, current_user.id, form.subject_id.data, form.kind.data, form.body.data
    )
    result = submit(form, action)
    if result.ok:
        flash(_("The statement is filed; it can never be edited."), "success")
        return redirect(url_for("membership.accountability_page"))
    statements = roles.statements(db.session)
    names = people.names(db.session, g.tenant, [s.subject_id for s in statements] + [s.author_id for s in statements])
    page = render_template(
        "membership/accountability.html",
        form=form,
        statements=statements,
        names=names,
        response_form=ResponseForm(formdata=None),
        can_file=has_role("candidate"),
    )
    return page, result.status


@blueprint.post("/accountability/<id:statement_id>/response")
def respond(statement_id):
    form = ResponseForm()
    result = submit(form, committed(roles.respond, db.session, statement_id, current_user.id, form.response.data))
    flash(_("Your response is added.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("membership.accountability_page"))
