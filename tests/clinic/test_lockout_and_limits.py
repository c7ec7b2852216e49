"""Finding 6: one trusted-proxy rule for every per-address limit and the sign-in lockout;
lockout per address and per username; limits on the intake's autosave and signed links."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from clinic import links
from clinic.client_ip import client_ip
from tests.factories.clinic import PASSWORD, StaffUserFactory

pytestmark = pytest.mark.django_db
LB = "10.0.0.2"  # the load balancer every request comes through


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


def set_rates(settings, **rates):
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = config


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one.
    assert client_ip(request_from(LB, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from(LB)) == LB


def test_behind_a_load_balancer_each_client_has_its_own_api_bucket(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    set_rates(settings, anon="1/min")
    url = reverse("api:locations")
    assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 200
    assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 429
    assert client.get(url, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="198.51.100.78").status_code == 200


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    return settings


def sign_in(client, email, password, address):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=LB,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_one_username_guessed_from_many_addresses_is_locked(client, axes_on):
    user = StaffUserFactory()
    for n in range(3):
        sign_in(client, user.email, "wrong-guess", f"203.0.113.{n}")
    response = sign_in(client, user.email, PASSWORD, "198.51.100.50")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_usernames_is_locked(client, axes_on):
    user = StaffUserFactory()
    for n in range(3):
        sign_in(client, f"someone{n}@example.com", "wrong-guess", "203.0.113.66")
    assert sign_in(client, user.email, PASSWORD, "203.0.113.66").status_code == 429
    # Another client behind the same load balancer is not locked out by it.
    assert sign_in(client, user.email, PASSWORD, "198.51.100.50").status_code == 302


def test_opening_signed_links_is_limited_per_address(client, settings, intake_appointment):
    set_rates(settings, signed_link="3/min")
    appointment, _ = intake_appointment
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    # An address of its own: parallel tests on a shared Redis count 127.0.0.1 too.
    me = {"REMOTE_ADDR": "192.0.2.10"}
    statuses = [
        client.get(reverse("appointment_manage", args=[t]), **me).status_code
        for t in ["bad-token-1", "bad-token-2", token, token]
    ]
    assert statuses == [410, 410, 200, 429]  # a bad link gets the closed-link page
    # Every kind of signed link shares the count.
    assert client.get(reverse("intake:start", args=["bad"]), **me).status_code == 429
    assert client.get(reverse("intake:reassess", args=["bad"]), **me).status_code == 429
    assert client.get(reverse("account:login_link", args=["bad"]), **me).status_code == 429


def test_intake_autosave_is_limited_per_address(client, settings, intake_appointment):
    set_rates(settings, intake_autosave="2/min", signed_link="1000/min")
    _, token = intake_appointment
    url = reverse("intake:autosave", args=[token, "pain"])
    me = {"REMOTE_ADDR": "192.0.2.11"}
    statuses = [client.post(url, {"pain_now": "3"}, **me).status_code for _ in range(3)]
    assert statuses == [204, 204, 429]


def test_without_a_proxy_guessing_from_many_addresses_still_locks_the_username(client, axes_on):
    axes_on.TRUSTED_PROXY_COUNT = 0
    user = StaffUserFactory()
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": user.email, "password": "wrong-guess"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.50",
    )
    assert response.status_code == 429
