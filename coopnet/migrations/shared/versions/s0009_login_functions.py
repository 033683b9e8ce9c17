"""accounts: the login query of every request as two functions, whose plan PostgreSQL keeps

Revision ID: s0009
Revises: t0001
Create Date: 2026-11-26

Each request's first query reads the account behind its token or session cookie and, on
a co-op's pages, the co-op, its plan standing and the account's role there: five tables
and thirteen indexes to plan. Sent as a statement, PostgreSQL planned it afresh on every
request (about 0.2 ms, BENCHMARKS.md issue #13); inside a PL/pgSQL function the plan is
made once per connection and kept, with any connection pooler. The account comes back
whole (``account public.accounts``), so a column added to accounts needs no change here;
the co-op's columns are listed, in the order of coopnet.platform.tenants.TENANT_COLUMNS.
"""

from alembic import op

revision = "s0009"
down_revision = "t0001"
branch_labels = None
depends_on = None

TENANT_RESULT = """
    tenant_id bigint, tenant_slug varchar, tenant_name varchar, tenant_kind varchar, tenant_status varchar,
    tenant_locale varchar, tenant_require_two_factor boolean, tenant_time_zone varchar,
    plan_standing varchar, member_role varchar"""

# Cast to the declared types: RETURN QUERY refuses a type that differs even slightly, and
# a later migration changing one of these columns must not stop every log-in.
TENANT_SELECT = """
    t.id::bigint, t.slug::varchar, t.name::varchar, t.kind::varchar, t.status::varchar, t.locale::varchar,
    t.require_two_factor::boolean, t.time_zone::varchar, s.standing::varchar, m.role::varchar"""

TENANT_JOINS = """
    LEFT JOIN public.tenants t ON t.slug = p_tenant_slug
    LEFT JOIN public.memberships m ON m.tenant_id = t.id AND m.account_id = a.id
    LEFT JOIN public.platform_subscriptions s ON s.tenant_id = t.id"""


def upgrade():
    op.execute(f"""
CREATE FUNCTION public.login_by_token(p_token_hash varchar, p_tenant_slug varchar)
RETURNS TABLE (account public.accounts, token_id bigint, token_last_used_at timestamptz,
               token_read_only boolean, token_tenant_id bigint, {TENANT_RESULT})
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT a, k.id::bigint, k.last_used_at::timestamptz, k.read_only::boolean, k.tenant_id::bigint, {TENANT_SELECT}
    FROM public.accounts a
    JOIN public.api_tokens k ON k.account_id = a.id {TENANT_JOINS}
   WHERE k.token_hash = p_token_hash AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now());
END $$""")
    op.execute(f"""
CREATE FUNCTION public.login_by_session(p_account_id bigint, p_generation integer, p_session_id varchar,
                                        p_tenant_slug varchar)
RETURNS TABLE (account public.accounts, {TENANT_RESULT})
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT a, {TENANT_SELECT}
    FROM public.accounts a {TENANT_JOINS}
   WHERE a.id = p_account_id AND a.session_generation = p_generation
     AND EXISTS (SELECT 1 FROM public.account_sessions x
                  WHERE x.session_id = p_session_id AND x.account_id = a.id AND x.ended_at IS NULL);
END $$""")


def downgrade():
    op.execute("DROP FUNCTION public.login_by_session(bigint, integer, varchar, varchar)")
    op.execute("DROP FUNCTION public.login_by_token(varchar, varchar)")
