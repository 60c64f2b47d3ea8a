"""The association ("tiers"): its identifiers (RNA, SIRET, IBAN checked with python-stdnum), its members
and the president's signed invitations."""

import re
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from accounts import roles
from accounts.models import User
from associations.models import (
    Association,
    Invitation,
    MemberRole,
    Membership,
)
from associations.services.rules import INVITATION_MAX_AGE, INVITATION_SALT, RNA_PATTERN
from requests_app.errors import ServiceError


def rna_normalise(value: str) -> str:
    cleaned = re.sub(r"\s", "", value or "").upper()
    if not RNA_PATTERN.match(cleaned):
        raise ServiceError(
            "Le numéro RNA commence par W suivi de 9 chiffres (par exemple W623001234) : il figure sur le "
            "récépissé de déclaration en préfecture.",
            field="rna",
            code="rna",
        )
    return cleaned


def siret_normalise(value: str) -> str:
    cleaned = re.sub(r"[\s.]", "", value or "")
    if not cleaned:
        return ""
    try:
        return stdnum_siret.validate(cleaned)
    except StdnumError:
        raise ServiceError(
            "Ce numéro SIRET n'est pas valide : il compte 14 chiffres (SIREN + 5 chiffres) et sa clé de "
            "contrôle doit être juste. Vérifiez-le sur l'avis de situation de l'INSEE.",
            field="siret",
            code="siret",
        ) from None


def iban_normalise(value: str) -> str:
    cleaned = re.sub(r"\s", "", value or "").upper()
    if not cleaned:
        return ""
    try:
        return stdnum_iban.validate(cleaned)
    except StdnumError:
        raise ServiceError(
            "Cet IBAN n'est pas valide (longueur ou clé de contrôle) : recopiez-le depuis le RIB de "
            "l'association, par exemple FR76 3000 6000 0112 3456 7890 189.",
            field="iban",
            code="iban",
        ) from None


@dataclass
class AssociationData:
    name: str
    rna: str
    address: str
    purpose: str
    email: str
    siret: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    federation: str = ""
    agrements: str = ""
    conventionnee: bool = False


def _association_apply(association: Association, data: AssociationData) -> None:
    for name in ("name", "address", "purpose", "email"):
        if not str(getattr(data, name) or "").strip():
            raise ServiceError("Ce champ est obligatoire.", field=name, code="required")
    association.rna = rna_normalise(data.rna)
    association.siret = siret_normalise(data.siret)
    association.iban = iban_normalise(data.iban)
    association.name = data.name.strip()
    association.address = data.address.strip()
    association.purpose = data.purpose.strip()
    association.email = data.email.strip().lower()
    association.phone = data.phone.strip()
    association.bic = data.bic.strip().upper()
    association.federation = data.federation.strip()
    association.agrements = data.agrements.strip()
    association.conventionnee = data.conventionnee


def _rna_taken() -> ServiceError:
    return ServiceError(
        "Une association avec ce numéro RNA existe déjà sur le portail : demandez à sa présidence de vous "
        "inviter.",
        field="rna",
        code="rna_taken",
    )


def association_create(*, user: User, data: AssociationData) -> Association:
    """The person who creates the association becomes its president and gets the association member role."""
    association = Association()
    _association_apply(association, data)
    try:
        with transaction.atomic():
            association.save()
            Membership.objects.create(association=association, user=user, role=MemberRole.PRESIDENT)
            user.groups.add(Group.objects.get(name=roles.ASSOCIATION_MEMBER))
    except IntegrityError:
        raise _rna_taken() from None
    return association


def association_update(*, association: Association, user: User, data: AssociationData) -> Association:
    membership_get(association=association, user=user)
    _association_apply(association, data)
    try:
        with transaction.atomic():
            association.save()
    except IntegrityError:
        raise _rna_taken() from None
    return association


def membership_get(*, association: Association, user: User) -> Membership:
    membership = Membership.objects.filter(association=association, user=user).first()
    if membership is None:
        raise ServiceError("Vous n'êtes pas membre de cette association.", code="not_member")
    return membership


def _president_only(association: Association, user: User) -> None:
    if membership_get(association=association, user=user).role != MemberRole.PRESIDENT:
        raise ServiceError(
            "Seule la présidence de l'association invite ou retire des membres.", code="not_president"
        )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "a": invitation.association_id}, salt=INVITATION_SALT)


def invitation_create(*, association: Association, by: User, email: str, role: str) -> Invitation:
    """The president invites someone by email; the link is signed (a tampered link is refused) and works
    once, for 14 days. Sent by a task after commit (the invitation concerns no spine request)."""
    from associations.tasks import invitation_send_task

    _president_only(association, by)
    email = (email or "").strip().lower()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ServiceError("Indiquez une adresse électronique valide.", field="email", code="email")
    if role not in MemberRole.values or role == MemberRole.PRESIDENT:
        raise ServiceError("Choisissez un rôle de la liste.", field="role", code="role")
    if Membership.objects.filter(association=association, user__email__iexact=email).exists():
        raise ServiceError("Cette personne est déjà membre de l'association.", field="email", code="member")
    with transaction.atomic():
        invitation = Invitation.objects.create(association=association, email=email, role=role, invited_by=by)
        transaction.on_commit(lambda: invitation_send_task.delay(invitation.pk))
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        return Invitation.objects.select_related("association").get(
            pk=int(data["i"]), association_id=int(data["a"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Invitation.DoesNotExist):
        return None


def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_from_token(token)
    if invitation is None:
        raise ServiceError("Ce lien d'invitation n'est pas valide ou a expiré.", code="bad_link")
    if invitation.email.lower() != user.email.lower():
        raise ServiceError(
            f"Cette invitation a été envoyée à {invitation.email} : connectez-vous avec ce compte.",
            code="other_email",
        )
    with transaction.atomic():
        # One use: the conditional UPDATE decides (a second click finds it accepted).
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        existing = Membership.objects.filter(association=invitation.association, user=user).first()
        if existing is not None:
            return existing
        if not claimed:
            raise ServiceError("Cette invitation a déjà été utilisée.", code="used")
        membership = Membership.objects.create(
            association=invitation.association, user=user, role=invitation.role
        )
        user.groups.add(Group.objects.get(name=roles.ASSOCIATION_MEMBER))
    return membership


def member_remove(*, association: Association, by: User, membership: Membership) -> None:
    _president_only(association, by)
    if membership.association_id != association.pk:
        raise ServiceError("Ce membre n'appartient pas à l'association.", code="not_member")
    if membership.role == MemberRole.PRESIDENT:
        raise ServiceError("La présidence ne peut pas se retirer elle-même.", code="president")
    membership.delete()
