from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Utilities every app uses (text, forms, permissions, rate limits), health checks and
    the development account: the ground floor, which imports no other app of the project."""

    name = "portal.core"
    label = "core"
    verbose_name = "Anxin core"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import csp, health, lookups, signin, site  # noqa: F401 (lookups: `__any`)

        # Registered first, so `/healthz` lists the database before the apps' services.
        health.register_check("database", health.check_database)
        health.register_check("broker", health.check_broker)
        checks.register(site.check_portal_base_url)
        # Every deployment migrates: the site's address follows PORTAL_BASE_URL from then on.
        post_migrate.connect(site.sync_after_migrate, sender=self)
        user_login_failed.connect(signin.record_failure, dispatch_uid="signin.failure")
        user_locked_out.connect(signin.record_lockout, dispatch_uid="signin.lockout")
        csp.give_wagtail_chooser_scripts_the_nonce()
