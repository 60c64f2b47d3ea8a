"""Following a request: "Mes demandes" (filters, pagination, constant query count), the request page
(timeline, thread, answers), replying, cancelling, reopening, the receipt and attachments; each seen only
by whoever may see the request (404 for anyone else, never 403)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_app import services
from requests_app.models import Request, Status
from tests.requests_app.conftest import file_for, jpeg_bytes, jpeg_upload

pytestmark = pytest.mark.django_db


def detail_url(filed, name="request_detail", *args):
    return reverse(f"requests_app:{name}", args=[filed.reference, *args])


# --- "Mes demandes" ---------------------------------------------------------------------------------------


def test_my_requests_lists_drafts_and_submitted_requests(client, resident_user, other_resident, pothole):
    mine = file_for(resident_user, pothole)
    theirs = file_for(other_resident, pothole, description="Pas à moi")
    services.request_draft_save(
        service=pothole, requester=resident_user, data=services.FilingData(description="Brouillon en cours")
    )
    client.force_login(resident_user)

    body = client.get(reverse("requests_app:my_requests")).content.decode()

    assert mine.reference in body
    assert "Nouvelle" in body and 'class="badge badge--new"' in body
    assert "Nid-de-poule ou chaussée abîmée" in body
    assert mine.due_date.strftime("%Y") in body
    assert "Brouillons" in body and "Reprendre" in body and "conservé jusqu" in body
    assert theirs.reference not in body


def test_my_requests_requires_login(client, db):
    response = client.get(reverse("requests_app:my_requests"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_my_requests_filters_by_status_service_and_text(client, resident_user, pothole, catalogue):
    from requests_app.models import Service

    tag = Service.objects.get(code="tag")
    open_one = file_for(resident_user, pothole, description="Trou rue Hoche")
    cancelled = file_for(resident_user, pothole, description="Autre trou")
    services.request_cancel(request=cancelled, actor=resident_user)
    tagged = file_for(resident_user, tag, description="Tag sur le mur", answers={"support": "Panneau"})
    client.force_login(resident_user)
    url = reverse("requests_app:my_requests")

    def refs(**params):
        body = client.get(url, params).content.decode()
        return {r.reference for r in (open_one, cancelled, tagged) if r.reference in body}

    assert refs(statut="open") == {open_one.reference, tagged.reference}
    assert refs(statut="closed") == {cancelled.reference}
    assert refs(statut="cancelled") == {cancelled.reference}
    assert refs(service="tag") == {tagged.reference}
    assert refs(q="mur") == {tagged.reference}
    assert refs(q=open_one.reference) == {open_one.reference}
    # An unknown filter value is ignored (the page lists everything) rather than failing.
    assert refs(statut="n-importe-quoi") == {open_one.reference, cancelled.reference, tagged.reference}


def test_my_requests_pages_by_20_with_a_constant_query_count(
    client, resident_user, pothole, django_assert_max_num_queries
):
    client.force_login(resident_user)
    url = reverse("requests_app:my_requests")
    file_for(resident_user, pothole)
    client.get(url)  # warm the session and the content types
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for _ in range(44):
        file_for(resident_user, pothole)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        last = client.get(url, {"page": 3})

    assert first.content.decode().count('class="request-card"') == 20
    assert last.content.decode().count('class="request-card"') == 5
    assert "Page 3 sur 3" in last.content.decode()


# --- The request page ------------------------------------------------------------------------------------


def test_request_page_shows_status_address_answers_timeline_and_thread(
    client, resident_user, agent, catalogue
):
    from requests_app.models import Service

    tag = Service.objects.get(code="tag")
    filed = file_for(
        resident_user,
        tag,
        answers={"support": "Panneau", "proprietaire": False},
        files=[jpeg_upload("tag.jpg")],
    )
    services.request_transition(request=filed, to_status=Status.IN_PROGRESS, actor=agent)
    services.request_message_post(request=filed, author=agent, body="Une équipe passe jeudi.")
    services.request_message_post(request=filed, author=agent, body="Note interne secrète", internal=True)
    client.force_login(resident_user)

    body = client.get(detail_url(filed)).content.decode()

    assert filed.reference in body
    assert "En cours de traitement" in body
    assert "12 rue Hoche, 62400 Béthune" in body
    assert "Support" in body and "Panneau" in body
    assert "Êtes-vous propriétaire du support ?" in body and "Non" in body
    assert "Demande déposée" in body and "Prise en charge par les services de la Ville" in body
    assert "Une équipe passe jeudi." in body and "Ville de Béthune" in body
    assert "Note interne secrète" not in body
    assert "tag.jpg" in body
    assert detail_url(filed, "request_receipt") in body
    assert "Annuler ma demande" not in body  # in progress: too late to cancel


def test_resident_cannot_open_another_residents_request(client, resident_user, other_resident, pothole):
    filed = file_for(other_resident, pothole)
    client.force_login(resident_user)

    for name in ("request_detail", "request_receipt"):
        assert client.get(detail_url(filed, name)).status_code == 404
    for name in ("request_reply", "request_cancel", "request_reopen"):
        assert client.post(detail_url(filed, name), {"body": "coucou"}).status_code == 404
    filed.refresh_from_db()
    assert filed.status == Status.NEW and not filed.messages.exists()


def test_unknown_reference_is_404(client, resident_user, db):
    client.force_login(resident_user)
    assert client.get(reverse("requests_app:request_detail", args=["BET-2026-999999"])).status_code == 404


def test_agent_of_the_espace_reads_the_page_but_an_agent_of_another_espace_gets_404(
    client, resident_user, agent, other_agent, pothole
):
    filed = file_for(resident_user, pothole)

    client.force_login(agent)
    page = client.get(detail_url(filed))
    assert page.status_code == 200
    assert "Annuler ma demande" not in page.content.decode()  # agents act from the guichet
    assert client.post(detail_url(filed, "request_cancel")).status_code == 404

    client.force_login(other_agent)
    assert client.get(detail_url(filed)).status_code == 404


def test_awaiting_citizen_emphasises_the_reply_and_a_reply_with_a_document_puts_it_back_in_progress(
    client, resident_user, agent, pothole
):
    filed = file_for(resident_user, pothole)
    services.request_transition(
        request=filed,
        to_status=Status.AWAITING_CITIZEN,
        actor=agent,
        message="Pouvez-vous préciser l'emplacement ?",
    )
    client.force_login(resident_user)

    body = client.get(detail_url(filed)).content.decode()
    assert "La Ville attend votre réponse" in body and "reply-form--awaiting" in body

    response = client.post(
        detail_url(filed, "request_reply"),
        {"body": "Devant le numéro 12.", "files": [jpeg_upload("plan.jpg")]},
    )
    filed.refresh_from_db()
    assert response.status_code == 302
    assert filed.status == Status.IN_PROGRESS
    message = filed.messages.get(from_staff=False)
    assert message.body == "Devant le numéro 12." and message.attachments.get().original_name == "plan.jpg"


def test_empty_reply_or_bad_file_is_refused_and_nothing_is_saved(client, resident_user, pothole):
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)

    empty = client.post(detail_url(filed, "request_reply"), {"body": "  "})
    svg = client.post(
        detail_url(filed, "request_reply"),
        {
            "body": "Voici",
            "files": [
                SimpleUploadedFile(
                    "x.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/jpeg"
                )
            ],
        },
    )

    assert empty.status_code == 400 and "Écrivez votre message." in empty.content.decode()
    assert svg.status_code == 400 and "n&#x27;est pas accepté" in svg.content.decode()
    assert not filed.messages.exists()


def test_resident_cancels_a_new_request(client, resident_user, pothole):
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)

    page = client.get(detail_url(filed)).content.decode()
    assert "Annuler ma demande" in page and "data-confirm=" in page
    response = client.post(detail_url(filed, "request_cancel"), follow=True)

    filed.refresh_from_db()
    assert filed.status == Status.CANCELLED
    assert "Votre demande a été annulée." in response.content.decode()


def test_cancelling_a_resolved_request_is_refused_and_changes_nothing(client, resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message="Rebouché.")
    events = filed.events.count()
    client.force_login(resident_user)

    response = client.post(detail_url(filed, "request_cancel"))

    filed.refresh_from_db()
    assert response.status_code == 400
    assert "Impossible de passer une demande « Traitée » à « Annulée »." in response.content.decode()
    assert filed.status == Status.RESOLVED and filed.events.count() == events


def test_resident_reopens_within_15_days_but_not_after(client, resident_user, agent, pothole):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        filed = file_for(resident_user, pothole)
        services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message="Fait.")
    late = file_for(resident_user, pothole)
    client.force_login(resident_user)

    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC), tick=False):
        assert "Rouvrir" in client.get(detail_url(filed)).content.decode()
        response = client.post(detail_url(filed, "request_reopen"), {"message": "Le trou est revenu."})
    filed.refresh_from_db()
    assert response.status_code == 302 and filed.status == Status.IN_PROGRESS
    assert filed.messages.get(from_staff=False).body == "Le trou est revenu."

    services.request_transition(request=late, to_status=Status.RESOLVED, actor=agent, message="Fait.")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=16), tick=False):
        client.force_login(resident_user)  # the session of 16 days ago has expired
        assert ">Rouvrir<" not in client.get(detail_url(late)).content.decode()
        refused = client.post(detail_url(late, "request_reopen"), {"message": ""})
    late.refresh_from_db()
    assert refused.status_code == 400
    assert "ne peut être rouverte que dans les 15 jours" in refused.content.decode()
    assert late.status == Status.RESOLVED


def test_duplicate_request_says_so_and_links_to_the_original(client, resident_user, agent, pothole):
    original = file_for(resident_user, pothole)
    copy = file_for(resident_user, pothole)
    services.request_mark_duplicate(request=copy, actor=agent, original=original)
    client.force_login(resident_user)

    body = client.get(detail_url(copy)).content.decode()

    assert "déjà été signalé" in body
    assert f'href="{detail_url(original)}"' in body


# --- Receipt and attachments ----------------------------------------------------------------------------


def test_receipt_is_a_pdf_attachment_for_the_requester_only(client, resident_user, other_resident, pothole):
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)

    response = client.get(detail_url(filed, "request_receipt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(other_resident)
    assert client.get(detail_url(filed, "request_receipt")).status_code == 404


def test_attachment_is_served_as_a_download_to_who_may_see_it(
    client, resident_user, other_resident, agent, other_agent, pothole
):
    filed = file_for(resident_user, pothole, files=[jpeg_upload("trou.jpg")])
    attachment = filed.attachments.get()
    url = detail_url(filed, "request_attachment", attachment.pk)

    for allowed in (resident_user, agent):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == 'attachment; filename="trou.jpg"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == jpeg_bytes()

    for refused in (other_resident, other_agent):
        client.force_login(refused)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_attachment_of_another_request_is_404(client, resident_user, other_resident, pothole):
    mine = file_for(resident_user, pothole)
    theirs = file_for(other_resident, pothole, files=[jpeg_upload()])
    client.force_login(resident_user)

    assert client.get(detail_url(mine, "request_attachment", theirs.attachments.get().pk)).status_code == 404


def test_internal_attachment_is_not_served_to_the_requester(client, resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    services.request_message_post(
        request=filed,
        author=agent,
        body="Photo de l'équipe",
        internal=True,
        files=[jpeg_upload("interne.jpg")],
    )
    internal = filed.attachments.get()
    client.force_login(resident_user)

    assert client.get(detail_url(filed, "request_attachment", internal.pk)).status_code == 404
    client.force_login(agent)
    assert client.get(detail_url(filed, "request_attachment", internal.pk)).status_code == 200


def test_request_count_stays_the_same_when_a_page_is_refused(client, resident_user, other_resident, pothole):
    filed = file_for(other_resident, pothole)
    client.force_login(resident_user)
    before = Request.objects.count()
    client.post(detail_url(filed, "request_cancel"))
    assert Request.objects.count() == before


# --- A booking's request: owned by the appointments app -----------------------------------------------------


def _booked(resident_user, time_machine):
    """A CNI appointment at the Hôtel de Ville on Tuesday 24 March 2026, booked a week before."""
    from appointments.models import Agenda, Motif
    from requests_app.models import Service, Site
    from tests.appointments.helpers import book

    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC), tick=False)
    agenda = Agenda.objects.create(
        motif=Motif.CNI,
        site=Site.objects.get(code="hdv"),
        service=Service.objects.get(code="rdv-cni-passeport"),
        slot_minutes=20,
        seats=2,
        ants_required=True,
    )
    starts_at = datetime.datetime(2026, 3, 24, 9, tzinfo=ZoneInfo("Europe/Paris"))
    return book(agenda, resident_user, starts_at)


def test_a_booking_request_sends_the_requester_to_the_booking_page_instead_of_cancel(
    client, resident_user, catalogue, time_machine
):
    booking = _booked(resident_user, time_machine)
    client.force_login(resident_user)

    page = client.get(detail_url(booking.request)).content.decode()

    assert "Annuler ma demande" not in page and "Rouvrir" not in page
    assert "Gérer mon rendez-vous" in page
    manage = page.split("Gérer mon rendez-vous")[0].rsplit('href="', 1)[1].split('"')[0]
    assert manage.startswith("/rendez-vous/gerer/")
    assert "Annuler mon rendez-vous" in client.get(manage).content.decode()
    assert 'id="repondre"' in page  # the thread stays


def test_cancelling_a_booking_request_from_the_request_page_is_refused_and_changes_nothing(
    client, resident_user, catalogue, time_machine
):
    from appointments.models import BookingStatus, Slot

    booking = _booked(resident_user, time_machine)
    events = booking.request.events.count()
    client.force_login(resident_user)

    response = client.post(detail_url(booking.request, "request_cancel"))

    body = response.content.decode()
    assert response.status_code == 400
    assert "se gère depuis sa propre page" in body and "Gérer mon rendez-vous" in body
    booking.refresh_from_db()
    booking.request.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and Slot.objects.get().booked == 1
    assert booking.request.status == Status.NEW and booking.request.events.count() == events


def test_the_booking_link_still_cancels_the_request_and_frees_the_seat(
    client, resident_user, catalogue, time_machine
):
    from appointments.links import manage_token
    from appointments.models import BookingStatus, Slot
    from requests_app.models import Notification

    booking = _booked(resident_user, time_machine)

    response = client.post(reverse("appointments:manage_cancel", args=[manage_token(booking)]))

    assert response.status_code == 200
    booking.refresh_from_db()
    request = Request.objects.get(pk=booking.request_id)
    assert booking.status == BookingStatus.CANCELLED_BY_USER and Slot.objects.get().booked == 0
    # The requester's own cancellation: no staff response, no generic "status changed" email.
    assert request.status == Status.CANCELLED and request.first_response_at is None
    assert not Notification.objects.filter(request=request, template="status_changed").exists()
    client.force_login(resident_user)
    page = client.get(detail_url(request)).content.decode()
    assert "Gérer mon rendez-vous" not in page and "Annuler ma demande" not in page
