"""The Django app: connects the hooks when the project starts."""
from __future__ import annotations

import logging

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("vigil_client")

MIDDLEWARE_PATH = "vigil_client.django.middleware.VigilMiddleware"
_AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


class VigilConfig(AppConfig):
    name = "vigil_client.django"
    label = "vigil_client"
    verbose_name = "Vigil"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals
        from django.db.models import signals as model_signals

        from . import auth_hooks, conf, model_changes

        settings_now = conf.current()
        if not settings_now.enabled:
            logger.warning("vigil_client: VIGIL_URL or VIGIL_API_KEY is not set; nothing is sent to Vigil")
            return
        conf.client()  # fails at start, not at the first event, on a malformed VIGIL_URL
        for label in settings_now.models:
            try:
                self.apps.get_model(label)
            except (LookupError, ValueError) as error:
                raise ImproperlyConfigured(f"VIGIL_MODELS names {label!r}: {error}") from error
        auth_signals.user_logged_in.connect(auth_hooks.logged_in, dispatch_uid="vigil_logged_in")
        auth_signals.user_login_failed.connect(auth_hooks.login_failed, dispatch_uid="vigil_login_failed")
        auth_signals.user_logged_out.connect(auth_hooks.logged_out, dispatch_uid="vigil_logged_out")
        if settings_now.models:
            model_signals.pre_save.connect(model_changes.before_save, dispatch_uid="vigil_pre_save")
            model_signals.post_save.connect(model_changes.after_save, dispatch_uid="vigil_post_save")
            model_signals.post_delete.connect(model_changes.after_delete, dispatch_uid="vigil_post_delete")
        if settings_now.auto_middleware:
            self._install_middleware()

    @staticmethod
    def _install_middleware() -> None:
        # Runs before Django builds its middleware chain (after setup), so the inserted entry
        # is used; placed after authentication, so `request.user` is known.
        current = list(getattr(settings, "MIDDLEWARE", None) or [])
        if MIDDLEWARE_PATH in current:
            return
        index = current.index(_AUTH_MIDDLEWARE) + 1 if _AUTH_MIDDLEWARE in current else len(current)
        current.insert(index, MIDDLEWARE_PATH)
        settings.MIDDLEWARE = current
