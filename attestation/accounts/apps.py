from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _registrar_group_refresh(sender, **kwargs):
    # After the last app's permissions exist: models added later join the registrar's group.
    from django.apps import apps

    # post_migrate is sent only for apps with a models module (the last installed app,
    # `ninja`, has none): the last of those is the last signal.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        from attestation.accounts.roles import registrar_group_sync

        registrar_group_sync(apps=kwargs.get("apps") or apps)


class AccountsConfig(AppConfig):
    name = "attestation.accounts"
    verbose_name = _("People and sign-in")

    def ready(self):
        from django.contrib import admin
        from django.utils.translation import gettext_lazy as _

        # The admin carries the product's name in the page's language, not "Django".
        admin.site.site_header = _("Final attestation")
        admin.site.site_title = _("Final attestation")
        admin.site.index_title = _("Administration")
        post_migrate.connect(_registrar_group_refresh, dispatch_uid="registrar-group")
