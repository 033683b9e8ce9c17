"""django-tenants settings for the peer benchmark: one shared app (the tenant registry)
and one tenant app (coopdata) whose migrations build coopnet's tenant schema."""

import os

SECRET_KEY = "peer-benchmark-only"
DEBUG = False
USE_TZ = True
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "peerproject.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": os.environ["PEER_DB_NAME"],
        "USER": os.environ.get("PEER_DB_USER", "postgres"),
        "HOST": os.environ["PEER_DB_HOST"],
    }
}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

SHARED_APPS = ["django_tenants", "django.contrib.contenttypes", "customers"]
TENANT_APPS = ["coopdata"]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
MIDDLEWARE = ["django_tenants.middleware.main.TenantMainMiddleware"]
TENANT_MODEL = "customers.Client"
TENANT_DOMAIN_MODEL = "customers.Domain"
# The same parallelism as `coopnet db upgrade --workers 2`.
TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
