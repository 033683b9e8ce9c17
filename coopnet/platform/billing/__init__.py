"""The platform's own billing: tenants on a plan paid through the platform's Stripe account."""
