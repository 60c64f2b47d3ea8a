import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles as role_names
from accounts.models import User

PASSWORD = "mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.groups.set(Group.objects.filter(name__in=extracted or [role_names.RESIDENT]))
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def resident(**kwargs) -> User:
    return UserFactory(roles=[role_names.RESIDENT], **kwargs)


def agent_of(*espace_codes: str, **kwargs) -> User:
    from requests_app.models import Espace

    user = UserFactory(roles=[role_names.AGENT], **kwargs)
    user.espaces.set(Espace.objects.filter(code__in=espace_codes))
    return user


def supervisor(**kwargs) -> User:
    return UserFactory(roles=[role_names.SUPERVISOR], **kwargs)


def manager(**kwargs) -> User:
    return UserFactory(roles=[role_names.MANAGER], **kwargs)
