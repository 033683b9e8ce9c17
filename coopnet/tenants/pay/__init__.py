"""Pay and surplus: time, clients and invoices, each co-op's pay rules, pay runs, the year-end split
and capital accounts."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.pay import policy_decisions  # noqa: F401  (it answers governance's hooks)

capability = Capability(
    name="pay",
    package=__name__,
    kinds=("coop", "network"),
    nav=(
        NavEntry(_l("Time"), "pay.timesheet"),
        NavEntry(_l("Capital"), "pay.capital"),
        NavEntry(_l("Pay runs"), "pay.pay_run_list"),
        NavEntry(_l("Pay policy"), "pay.pay_policy"),
        NavEntry(_l("Surplus"), "pay.surplus_page"),
        NavEntry(_l("Expenses"), "pay.expense_list"),  # the books are open; officers change them
        # Officers who are not admins reach these too; the menu shows them to admins only.
        NavEntry(_l("Clients"), "pay.client_list", role="admin"),
        NavEntry(_l("Invoices"), "pay.invoice_list", role="admin"),
        NavEntry(_l("Pay adjustments"), "pay.adjustment_list", role="admin"),
    ),
)
