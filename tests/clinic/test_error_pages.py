"""The error pages with DEBUG off: the site's own, with both locations' phones and a way home."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import get_resolver, include, path

from clinic.views import errors
from tests.factories.clinic import LocationFactory


def _raises(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("boom/", _raises(RuntimeError("boom"))),
    path("forbidden/", _raises(PermissionDenied())),
    path("bad/", _raises(SuspiciousOperation("bad"))),
    path("", include("clinic.urls")),
]
handler404 = errors.page_not_found
handler500 = errors.server_error


@pytest.fixture
def locations(db):
    return [
        LocationFactory(slug="ne", name="NE Minneapolis", phone="+16125550142"),
        LocationFactory(slug="sp", name="St Paul", phone="+16515550177"),
    ]


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def assert_branded(html: str, locations) -> None:
    for location in locations:
        assert f'href="tel:{location.phone}"' in html
        assert location.phone.as_national in html
    assert 'href="/"' in html and "Go to the home page" in html
    assert "Stride" in html and "<footer" in html


def test_the_root_urlconf_names_the_sites_handlers():
    resolver = get_resolver("clinic.urls")
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error


@pytest.mark.django_db
def test_an_unknown_page_is_the_branded_404(client, debug_off, locations):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html and "<h1>Not Found</h1>" not in html
    assert_branded(html, locations)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/appointments/abc/cancel/extra/", "/intake/abc/pain/x/", "/book/confirmed/a/b/"],
)
def test_a_mangled_link_gets_the_closed_link_page(client, debug_off, locations, path):
    response = client.get(path)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()


@pytest.mark.django_db
def test_a_staff_page_that_does_not_exist_is_a_404_not_a_link(client, debug_off, locations):
    response = client.get("/intake/review/999/nothing/")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.urls("tests.clinic.test_error_pages")
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/forbidden/", 403, "This page isn’t open to you"),
        ("/bad/", 400, "We couldn’t read that request"),
        ("/boom/", 500, "Something went wrong on our side"),
    ],
)
def test_403_400_and_500_are_branded(debug_off, locations, path, status, heading):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert_branded(html, locations)


@pytest.mark.django_db
def test_the_500_page_still_shows_when_the_database_fails(monkeypatch, settings):
    def broken():
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "location_list_active", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert f'href="tel:{settings.CLINIC_PHONE}"' in html


@pytest.mark.parametrize("path", ["/no-such-page/", "/book/nowhere/"])
def test_in_development_a_missing_page_is_the_sites_own_not_a_list_of_urls(
    client, settings, locations, path
):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "(612) 555-0142" in html and "URL patterns" not in html and "DEBUG = True" not in html

    settings.DEBUG_TECHNICAL_404 = True  # a developer who wants Django's page asks for it
    assert "URL patterns" in client.get("/no-such-page/").content.decode()
