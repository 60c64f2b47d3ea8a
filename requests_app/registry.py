"""The one registry through which an app plugs into the spine (docs/architecture.md, "The registry").

An app declares itself once, in its `AppConfig.ready()`, with one `AppRegistration`: the service kinds it
owns and the pages that manage one of its requests, its emails, its event kinds and their labels, its
periodic tasks, its menu entries, its demo data and the figures it offers the dashboards. The spine, the
menu, the timelines, the outbox, beat and `seed_demo` read everything from here, so nothing below an app
names it (not even as a URL name or a string).

A small typed registry after Open Formulieren's plugins: frozen dataclasses, and every name registered
twice raises, since a silent overwrite hides a wiring mistake until production.

Ownership is a capability, not a flag: `register()` returns the app's `Owner`, which only the app holds;
the spine accepts a change of an owned request only when that very object is passed (`owner=`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives

# The models import this module (an event's label comes from here): it imports none of them, and names
# the spine's types in annotations only.
Request = RequestEvent = Notification = Any

# Who sees a menu entry: everyone, signed-in people, agents (and their supervisors), managers.
Audience = Literal["all", "authenticated", "agent", "manager"]
Label = Any  # a str or a lazy translation
EventLabel = Label | Callable[[RequestEvent], Label]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class EventKind:
    """A kind of timeline row an app adds, namespaced "<app>.<name>" (at most 50 characters); the label
    is a text or a function of the event (for wording that depends on its payload)."""

    code: str
    resident_label: EventLabel
    agent_label: EventLabel | None = None  # the resident's wording when None


@dataclass(frozen=True)
class MenuEntry:
    label: Label
    url_name: str
    audience: Audience = "all"
    order: int = 50  # the spine's own entries are 10 and 20; the back office 80 and up


@dataclass(frozen=True)
class PeriodicTask:
    """A beat entry: `name` is the schedule's key, `task` the Celery task name, `schedule` seconds or a
    celery.schedules.crontab."""

    name: str
    task: str
    schedule: Any


@dataclass(frozen=True)
class Figure:
    """A figure an app offers the dashboards: `compute(**filters)` returns rows; `definition` is the text
    shown next to it and in its exports (what is counted, from which date, which statuses)."""

    code: str
    label: Label
    definition: Label
    compute: Callable[..., Any]


@dataclass(frozen=True)
class Ownership:
    """The service kinds an app owns: their requests change only through that app, never move to or from
    another kind, and the generic pages send people to the app's own pages."""

    kinds: Mapping[str, Label]  # kind code → its label in the catalogue's admin
    noun: Label  # what the pages call one of them ("rendez-vous")
    resident_path: Callable[[Request], str | None]  # where the requester manages it
    agent_path: Callable[[Request], str | None]  # where agents manage it
    start_url_name: str | None = None  # where a resident starts one (the catalogue links there)


@dataclass(frozen=True)
class PrivacyNotice:
    """One section of the privacy page: what an app keeps, why, and how long (a function, so that the page
    shows the duration the code applies, read from the settings at each display)."""

    title: Label
    data: Label
    why: Label
    how_long: Callable[[], Label]


@dataclass(frozen=True)
class PersonalData:
    """What an app does for the RGPD duties the spine runs (requests_app/services/retention.py and
    requests_app/personal_data.py): blank its own personal fields when one of its requests is anonymised
    (called under the request's row lock), add the person's data it holds to their download, and apply
    its own retention to data outside requests (nightly; returns how many rows it changed)."""

    anonymise: Callable[[Request], None] | None = None
    export: Callable[[Any], Any] | None = None  # the account → JSON-ready data
    purge: Callable[[Any], int] | None = None  # now (an aware datetime) → rows changed
    notices: tuple[PrivacyNotice, ...] = ()


EmailBuilder = Callable[[Notification], EmailMultiAlternatives]


@dataclass(frozen=True)
class AppRegistration:
    name: str  # the app's label; prefix of its email templates ("<name>/…") and event kinds ("<name>.…")
    kinds: Mapping[str, Label] = field(default_factory=dict)  # service kinds it defines without owning them
    ownership: Ownership | None = None
    emails: Mapping[str, EmailBuilder] = field(default_factory=dict)
    event_kinds: tuple[EventKind, ...] = ()
    periodic_tasks: tuple[PeriodicTask, ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    demo_data: Callable[[], str] | None = None  # idempotent; returns one line for seed_demo to print
    demo_order: int = 50  # the spine's catalogue first (10), then the apps that build on it
    figures: tuple[Figure, ...] = ()
    personal_data: PersonalData | None = None


class Owner:
    """The capability an owning app receives from `register()`. Compared by identity: a caller that does
    not hold the object cannot act as the owner."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"<Owner {self._name}>"


class Registry:
    def __init__(self) -> None:
        self._apps: dict[str, AppRegistration] = {}
        self._owners: dict[str, Owner] = {}  # app name → its capability
        self._kinds: dict[str, Label] = {}  # every service kind → its label
        self._kind_owner: dict[str, str] = {}  # owned service kind → app name
        self._emails: dict[str, EmailBuilder] = {}
        self._event_kinds: dict[str, EventKind] = {}
        self._beat: dict[str, PeriodicTask] = {}
        self._menu: dict[str, MenuEntry] = {}
        self._figures: dict[str, Figure] = {}

    # --- writing (AppConfig.ready) -------------------------------------------------------------------------
    def register(self, registration: AppRegistration) -> Owner:
        name = registration.name
        if not _NAME.match(name):
            raise ImproperlyConfigured(f"Registry: {name!r} is not an app label.")
        if name in self._apps:
            raise ImproperlyConfigured(f"Registry: the app {name!r} is registered twice.")
        self._check(registration)
        self._apps[name] = registration
        owner = Owner(name)
        self._owners[name] = owner
        self._kinds.update(registration.kinds)
        if registration.ownership is not None:
            self._kinds.update(registration.ownership.kinds)
            for kind in registration.ownership.kinds:
                self._kind_owner[kind] = name
        self._emails.update(registration.emails)
        self._event_kinds.update({kind.code: kind for kind in registration.event_kinds})
        self._beat.update({task.name: task for task in registration.periodic_tasks})
        self._menu.update({entry.url_name: entry for entry in registration.menu})
        self._figures.update({figure.code: figure for figure in registration.figures})
        return owner

    def _check(self, registration: AppRegistration) -> None:
        """Refuse the whole registration before writing any of it: a clash leaves the registry unchanged."""
        name = registration.name

        def clash(what: str, key: str, taken: Iterable[str]) -> None:
            if key in taken:
                raise ImproperlyConfigured(f"Registry: {what} {key!r} of {name!r} is already registered.")

        def unique(what: str, keys: list[str]) -> None:
            if len(keys) != len(set(keys)):
                raise ImproperlyConfigured(f"Registry: {name!r} declares a {what} twice: {sorted(keys)}.")

        kinds = [*registration.kinds, *(registration.ownership.kinds if registration.ownership else ())]
        unique("service kind", kinds)
        for kind in kinds:
            clash("the service kind", kind, self._kinds)
        for template in registration.emails:
            if not template.startswith(f"{name}/"):
                raise ImproperlyConfigured(f"Registry: the email {template!r} must be named '{name}/…'.")
            clash("the email", template, self._emails)
        codes = [kind.code for kind in registration.event_kinds]
        unique("event kind", codes)
        for code in codes:
            if not code.startswith(f"{name}.") or len(code) > 50:
                raise ImproperlyConfigured(
                    f"Registry: the event kind {code!r} must be named '{name}.…' (50 characters at most)."
                )
            clash("the event kind", code, self._event_kinds)
        names = [task.name for task in registration.periodic_tasks]
        unique("periodic task", names)
        for task_name in names:
            clash("the periodic task", task_name, self._beat)
        url_names = [entry.url_name for entry in registration.menu]
        unique("menu entry", url_names)
        for url_name in url_names:
            clash("the menu entry", url_name, self._menu)
        figure_codes = [figure.code for figure in registration.figures]
        unique("figure", figure_codes)
        for code in figure_codes:
            clash("the figure", code, self._figures)

    def unregister(self, name: str) -> None:
        """For tests that register a throw-away app: removes everything it declared."""
        registration = self._apps.pop(name)
        self._owners.pop(name)
        for kind in registration.kinds:
            self._kinds.pop(kind, None)
        if registration.ownership is not None:
            for kind in registration.ownership.kinds:
                self._kinds.pop(kind, None)
                self._kind_owner.pop(kind, None)
        for template in registration.emails:
            self._emails.pop(template, None)
        for kind in registration.event_kinds:
            self._event_kinds.pop(kind.code, None)
        for task in registration.periodic_tasks:
            self._beat.pop(task.name, None)
        for entry in registration.menu:
            self._menu.pop(entry.url_name, None)
        for figure in registration.figures:
            self._figures.pop(figure.code, None)

    # --- reading -------------------------------------------------------------------------------------------
    def apps(self) -> Mapping[str, AppRegistration]:
        return MappingProxyType(self._apps)

    def ownership_of_kind(self, kind: str) -> tuple[Ownership, Owner] | None:
        name = self._kind_owner.get(kind)
        if name is None:
            return None
        return self._apps[name].ownership, self._owners[name]  # type: ignore[return-value]

    def service_kinds(self) -> dict[str, Label]:
        """Every service kind an app declared, the spine's own included: the choices of Service.kind."""
        return dict(self._kinds)

    def owned_kinds(self) -> dict[str, Label]:
        kinds: dict[str, Label] = {}
        for registration in self._apps.values():
            if registration.ownership is not None:
                kinds.update(registration.ownership.kinds)
        return kinds

    def email_builder(self, template: str) -> EmailBuilder | None:
        return self._emails.get(template)

    def event_kind(self, code: str) -> EventKind | None:
        return self._event_kinds.get(code)

    def periodic_tasks(self) -> list[PeriodicTask]:
        return list(self._beat.values())

    def menu(self) -> list[MenuEntry]:
        return sorted(self._menu.values(), key=lambda entry: entry.order)

    def demo_loaders(self) -> list[tuple[str, Callable[[], str]]]:
        ordered = sorted(self._apps.values(), key=lambda registration: registration.demo_order)
        return [(r.name, r.demo_data) for r in ordered if r.demo_data is not None]

    def figures(self) -> list[Figure]:
        return list(self._figures.values())

    def personal_data(self) -> list[tuple[str, PersonalData]]:
        return [(r.name, r.personal_data) for r in self._apps.values() if r.personal_data is not None]

    def personal_data_of_kind(self, kind: str) -> PersonalData | None:
        """The hooks of the app that owns `kind`: it extends those requests with its own records."""
        name = self._kind_owner.get(kind)
        return self._apps[name].personal_data if name else None


registry = Registry()
