from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account: resident, agent, manager or association member. Email is the login."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def has_role(self, role: str) -> bool:
        # Group names are cached on the instance: templates and permission checks ask several times.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role in self._role_names

    @property
    def is_agent(self) -> bool:
        """Works in the back office: agents, supervisors, managers, administrators."""
        return self.is_active and (
            self.is_superuser or any(self.has_role(role) for role in roles.STAFF_ROLES)
        )

    @property
    def sees_every_espace(self) -> bool:
        return self.is_superuser or any(
            self.has_role(role) for role in (roles.SUPERVISOR, roles.MANAGER, roles.ADMINISTRATOR)
        )


class SignInEvent(models.Model):
    """One sign-in, or one failed attempt, for the administrators (read-only in the admin).

    Written by the receivers of Django's `user_logged_in` and `user_login_failed` signals
    (accounts/signin_log.py), whatever the door: allauth's login page, its MFA stage, or a test's
    force_login. Admin changes are not here: Django's own `LogEntry` keeps them (also read-only in
    the admin)."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("utilisateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The address typed in the form (a failed attempt may name no account at all).
    email = models.CharField(_("identifiant saisi"), max_length=254, blank=True)
    ip = models.CharField(_("adresse IP"), max_length=64, blank=True)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    success = models.BooleanField(_("réussie"))

    class Meta:
        verbose_name = _("connexion")
        verbose_name_plural = _("connexions")
        ordering = ["-at"]
        indexes = [
            # The admin's list, newest first, and its date hierarchy.
            models.Index(fields=["-at"], name="signin_event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.user_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.success else 'échec'}"
