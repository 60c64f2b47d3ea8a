"""The back office's one access rule (accounts.access): agents, supervisors, managers and administrators get
through; anonymous visitors, residents and deactivated staff get 404, never the login page or a 403, so a
back-office URL is not even confirmed to exist. agent_espace_ids scopes what an agent sees."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts import roles
from accounts.access import agent_espace_ids, agent_required
from requests_app.models import Espace
from tests.accounts.factories import UserFactory, agent_of, manager, resident, supervisor

pytestmark = pytest.mark.django_db


@agent_required
def back_office_page(request, number):
    return HttpResponse(f"page {number}")


def _get(user):
    request = RequestFactory().get("/back-office/")
    request.user = user
    return back_office_page(request, number=7)


def test_an_anonymous_visitor_gets_a_404_not_the_login_page():
    with pytest.raises(Http404):
        _get(AnonymousUser())


def test_a_resident_gets_a_404():
    with pytest.raises(Http404):
        _get(resident())


def test_an_association_member_gets_a_404():
    with pytest.raises(Http404):
        _get(UserFactory(roles=[roles.ASSOCIATION_MEMBER]))


def test_a_deactivated_agent_gets_a_404():
    with pytest.raises(Http404):
        _get(agent_of("tranquillite", is_active=False))


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: agent_of("tranquillite"),
        supervisor,
        manager,
        lambda: UserFactory(roles=[roles.ADMINISTRATOR]),
        lambda: UserFactory(roles=[], is_superuser=True),
    ],
    ids=["agent", "supervisor", "manager", "administrator", "superuser"],
)
def test_back_office_staff_get_the_page_with_its_arguments(make_user):
    response = _get(make_user())

    assert response.status_code == 200
    assert response.content == b"page 7"


def test_the_decorated_view_keeps_its_name():
    assert back_office_page.__name__ == "back_office_page"


def test_an_agent_sees_the_espaces_they_belong_to():
    user = agent_of("tranquillite", "famille")

    expected = set(Espace.objects.filter(code__in=["tranquillite", "famille"]).values_list("pk", flat=True))
    assert set(agent_espace_ids(user)) == expected


def test_an_agent_of_no_espace_sees_none():
    assert agent_espace_ids(agent_of()) == []


@pytest.mark.parametrize("make_user", [supervisor, manager], ids=["supervisor", "manager"])
def test_supervisors_and_managers_see_every_espace(make_user):
    assert agent_espace_ids(make_user()) is None


def test_the_espaces_are_read_once_per_user_object(django_assert_num_queries):
    user = agent_of("tranquillite")
    user.sees_every_espace  # noqa: B018 (loads the roles, cached on the user, before counting)

    with django_assert_num_queries(1):
        first = agent_espace_ids(user)
        second = agent_espace_ids(user)

    assert first == second == [Espace.objects.get(code="tranquillite").pk]
