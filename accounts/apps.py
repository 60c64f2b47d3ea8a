from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts import mfa_required, signin_log

        user_logged_in.connect(signin_log.on_user_logged_in, dispatch_uid="accounts.signin_log.logged_in")
        user_login_failed.connect(signin_log.on_user_login_failed, dispatch_uid="accounts.signin_log.failed")
        user_logged_in.connect(mfa_required.on_user_logged_in, dispatch_uid="accounts.mfa_required.logged_in")
