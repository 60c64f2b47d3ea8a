"""Locust: the portal under a realistic mix of visitors (issue 20, point 9).

- residents (weight 5) file a request through the real form (GET, then POST with its CSRF token and
  submission key) and follow their requests: "Mes demandes", then one request's page;
- agents (weight 3) triage: the guichet's queue, a request's page, then claim it or write to the resident;
- anonymous visitors (weight 2) read the home page and the catalogue, search it and open a démarche.

`make bench BENCH_ARGS=load` (benchmarks/load.py) prepares the accounts, signs each one in once through the
allauth form and hands the sessions over in LOAD_ACCOUNTS (a JSON file), then runs this file headless against
gunicorn. By hand against `make run` (the demo accounts of seed_demo, password DEMO_PASSWORD), users sign in
themselves:

    .venv/bin/locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000

Production sets its cookies `Secure` (TLS ends at the reverse proxy): over plain http the client sends them
anyway, as the browser would over https. Each simulated user has its own address in X-Forwarded-For, which
the server reads when TRUSTED_PROXIES=1 (as behind the production proxy), so rate limits count per person.
LOCUST_SAMPLES (a file path): every request's name, time and outcome are written there when Locust stops,
for exact percentiles."""

import http.cookiejar
import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY_RE = re.compile(r'name="submission_key" value="([^"]*)"')
MY_REFERENCE_RE = re.compile(r'href="/mes-demandes/([A-Z]{3}-\d{4}-\d+)/"')
QUEUE_REFERENCE_RE = re.compile(r'demandes/([A-Z]{3}-\d{4}-\d+)/"')
SERVICE_RE = re.compile(r'href="/demarches/([a-z0-9-]+)/"')

# Démarches whose form asks only for an address and a description (requests_app.catalogue_seed).
SIMPLE_SERVICES = ["nid-de-poule", "poubelles-hors-horaires", "dejections-canines"]
STREETS = ["rue Hoche", "rue Verlaine", "rue de Courtrai", "boulevard Salengro", "rue de l'Yser"]
DESCRIPTIONS = [
    "Un trou profond s'est formé dans la chaussée, dangereux pour les vélos.",
    "Les bacs restent sur le trottoir toute la semaine, le passage est bloqué.",
    "Le trottoir devant l'école est souillé tous les matins.",
]
SEARCHES = ["poubelle", "carte d'identité", "lampadaire", "mariage", "tag", "encombrants"]


def _accounts() -> dict:
    path = os.environ.get("LOAD_ACCOUNTS")
    if path:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    # `make run`'s demo accounts (seed_demo), signing in through the form.
    password = os.environ.get("DEMO_PASSWORD", "demo-bethune")
    return {
        "residents": [
            {"email": email, "password": password}
            for email in ("habitant@demo.bethune.fr", "habitante@demo.bethune.fr")
        ],
        "agents": [
            {"email": f"agent.{code}@demo.bethune.fr", "password": password}
            for code in ("tranquillite", "citoyen", "famille", "vielocale", "solidarite", "numerique")
        ],
    }


ACCOUNTS = _accounts()
_next_account = {kind: itertools.count() for kind in ("residents", "agents")}
_next_address = itertools.count(1)
SAMPLES: list[tuple[str, str, float, int]] = []


# Production cookies are `Secure`: this process plays the browsers and the TLS-terminating proxy, so its
# clients send them over plain http. Process-wide, since requests copies each session's jar into a new one
# with the default policy for every request.
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs):
    SAMPLES.append((request_type, name, response_time, 0 if exception is None else 1))


@events.quitting.add_listener
def _write_samples(environment, **_kwargs):
    path = os.environ.get("LOCUST_SAMPLES")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            for request_type, name, response_time, failed in SAMPLES:
                handle.write(f"{request_type}\t{name}\t{response_time:.3f}\t{failed}\n")


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    account_kind = ""

    def on_start(self):
        number = next(_next_address)
        self.client.headers["X-Forwarded-For"] = (
            f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        )
        if self.account_kind:
            pool = ACCOUNTS[self.account_kind]
            self.account = pool[next(_next_account[self.account_kind]) % len(pool)]
            self._sign_in()

    def _sign_in(self):
        cookies = self.account.get("cookies")
        if cookies:  # signed in beforehand by the bench (benchmarks/load.py): a returning visitor
            for name, value in cookies.items():
                self.client.cookies.set(name, value)
            return
        page = self.client.get("/comptes/login/", name="connexion (formulaire)")
        with self.client.post(
            "/comptes/login/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "login": self.account["email"],
                "password": self.account["password"],
            },
            name="connexion",
            catch_response=True,
        ) as response:
            if "/comptes/login/" in response.url:
                response.failure(f"connexion refusée pour {self.account['email']}")

    def _post(self, path: str, data: dict, *, name: str, expect: str):
        """A form POST that must end (after its redirect) on a page whose URL contains `expect`."""
        with self.client.post(path, data, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            elif expect not in response.url:
                response.failure(f"arrivé sur {response.url}, attendu {expect}")


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""


class Resident(PortalUser):
    weight = 5
    account_kind = "residents"

    def on_start(self):
        super().on_start()
        self.references: list[str] = []

    @task(1)
    def file_request(self):
        code = random.choice(SIMPLE_SERVICES)
        page = self.client.get(f"/demarches/{code}/", name="/demarches/[code]/ (formulaire)")
        key = SUBMISSION_KEY_RE.search(page.text)
        data = {
            "csrfmiddlewaretoken": _csrf(page.text),
            "submission_key": key.group(1) if key and key.group(1) else str(uuid.uuid4()),
            "street": random.choice(STREETS),
            "street_number": str(random.randint(1, 120)),
            "address_details": "",
            "description": random.choice(DESCRIPTIONS),
            "action": "envoyer",
        }
        self._post(f"/demarches/{code}/", data, name="/demarches/[code]/ (dépôt)", expect="/confirmation/")

    @task(3)
    def my_requests(self):
        page = self.client.get("/mes-demandes/", name="/mes-demandes/")
        found = MY_REFERENCE_RE.findall(page.text)
        if found:
            self.references = found[:10]

    @task(3)
    def request_page(self):
        if self.references:
            reference = random.choice(self.references)
            self.client.get(f"/mes-demandes/{reference}/", name="/mes-demandes/[référence]/")
        else:
            self.my_requests()


class Agent(PortalUser):
    weight = 3
    account_kind = "agents"

    def on_start(self):
        super().on_start()
        self.references: list[str] = []

    @task(4)
    def queue(self):
        page = self.client.get("/guichet/", name="/guichet/ (file)")
        found = QUEUE_REFERENCE_RE.findall(page.text)
        if found:
            self.references = found

    @task(3)
    def request_page(self):
        self._open_request()

    @task(1)
    def claim(self):
        reference, html = self._open_request()
        if reference:
            self._post(
                f"/guichet/demandes/{reference}/prendre/",
                {"csrfmiddlewaretoken": _csrf(html)},
                name="/guichet/demandes/[référence]/prendre/",
                expect=f"/guichet/demandes/{reference}/",
            )
            self.references.remove(reference)

    @task(1)
    def message(self):
        reference, html = self._open_request()
        if reference:
            self._post(
                f"/guichet/demandes/{reference}/message/",
                {
                    "csrfmiddlewaretoken": _csrf(html),
                    "body": "Bonjour, nos services passeront dans la semaine. Merci de votre signalement.",
                },
                name="/guichet/demandes/[référence]/message/",
                expect=f"/guichet/demandes/{reference}/",
            )

    def _open_request(self) -> tuple[str, str]:
        if not self.references:
            self.queue()
        if not self.references:
            return "", ""
        reference = random.choice(self.references)
        page = self.client.get(f"/guichet/demandes/{reference}/", name="/guichet/demandes/[référence]/")
        return reference, page.text


class Visitor(PortalUser):
    weight = 2

    @task(1)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def catalogue(self):
        page = self.client.get("/demarches/", name="/demarches/")
        codes = SERVICE_RE.findall(page.text)
        if codes:
            self.client.get(f"/demarches/{random.choice(codes)}/", name="/demarches/[code]/ (anonyme)")

    @task(2)
    def search(self):
        self.client.get("/demarches/", params={"q": random.choice(SEARCHES)}, name="/demarches/?q=")
