"""The guichet's own retention (its registration's PersonalData.purge): the name a visitor gave at the
reception is blanked after PORTAL_RETENTION["visit_name_days"]; the spine's nightly task runs it."""

import datetime

from django.utils import timezone

from accounts.models import SignInEvent
from guichet.models import Visit
from guichet.services.visits import visit_register
from requests_app.models import Espace, Site
from requests_app.tasks import retention_apply_task


def test_the_nightly_task_blanks_old_visitor_names_and_old_sign_ins(agent, time_machine):
    site, espace = Site.objects.get(code="hdv"), Espace.objects.get(code="tranquillite")
    time_machine.move_to(timezone.now() - datetime.timedelta(days=400), tick=False)
    old = visit_register(
        site=site, espace=espace, reason="Renseignement", visitor_name="Mme Ancienne", registered_by=agent
    )
    old_sign_in = SignInEvent.objects.create(email="ancienne@example.fr", ip="192.0.2.1", success=False)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=400), tick=False)
    recent = visit_register(
        site=site, espace=espace, reason="Renseignement", visitor_name="M. Récent", registered_by=agent
    )
    recent_sign_in = SignInEvent.objects.create(email="recent@example.fr", ip="192.0.2.2", success=True)

    counts = retention_apply_task()

    assert counts["purged_guichet"] == 1 and counts["purged_requests_app"] == 1
    assert Visit.objects.get(pk=old.pk).visitor_name == "" and Visit.objects.get(pk=old.pk).reason
    assert Visit.objects.get(pk=recent.pk).visitor_name == "M. Récent"
    assert not SignInEvent.objects.filter(pk=old_sign_in.pk).exists()
    assert SignInEvent.objects.filter(pk=recent_sign_in.pk).exists()
