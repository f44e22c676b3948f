"""The browser's address behind our own proxies, and never one the browser chose."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from caseaudit.accounts.access import client_ip
from caseaudit.accounts.models import AccessLog


def _ip(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("198.51.100.4", "203.0.113.9") == "198.51.100.4"
    assert _ip("10.0.0.5", "203.0.113.9") == "10.0.0.5"


def test_a_header_sent_straight_from_a_browser_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    # Not through our proxy: whatever the browser claims, the peer is the client.
    assert _ip("198.51.100.4", "203.0.113.9, 10.0.0.5") == "198.51.100.4"


def test_one_proxy_the_address_it_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert _ip("10.0.0.5", "203.0.113.9") == "203.0.113.9"
    # The browser wrote a header of its own: our proxy appended the real address after it.
    assert _ip("10.0.0.5", "1.1.1.1, 203.0.113.9") == "203.0.113.9"


def test_chained_proxies_are_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    assert _ip("10.0.0.5", "1.1.1.1, 203.0.113.9, 192.0.2.10, 10.1.2.3") == "203.0.113.9"
    # Every hop ours (a health check from inside): the furthest of them.
    assert _ip("10.0.0.5", "10.9.9.9, 10.1.2.3") == "10.9.9.9"
    assert _ip("10.0.0.5", "") == "10.0.0.5"
    assert _ip("10.0.0.5") == "10.0.0.5"


def test_ipv6_and_ports(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "fd00::/8"]
    assert _ip("fd00::1", "2001:db8::7") == "2001:db8::7"
    assert _ip("10.0.0.5", "203.0.113.9:51234") == "203.0.113.9"
    assert _ip("10.0.0.5", "[2001:db8::7]:443") == "2001:db8::7"


def test_malformed_values(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    # Garbage next to our proxy did not come from a proxy of ours: the attempt is counted
    # against the proxy that handed it on, never against an address the sender chose.
    assert _ip("10.0.0.5", "unknown") == "10.0.0.5"
    assert _ip("10.0.0.5", "203.0.113.9, not-an-address") == "10.0.0.5"
    assert _ip("10.0.0.5", ",,,") == "10.0.0.5"
    assert _ip("") is None
    assert _ip("not-an-address", "203.0.113.9") is None


def test_a_malformed_setting_fails_loudly(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ValueError):
        _ip("10.0.0.5", "203.0.113.9")


@pytest.mark.django_db
def test_the_access_log_records_the_browsers_address(client_for, council, people, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    client = client_for(people.qa_lead)
    page = reverse("organisation:team", args=[council.teams[0].pk])
    client.get(page, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.get(page, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="6.6.6.6")
    logged = list(AccessLog.objects.order_by("sequence").values_list("ip_address", flat=True))
    assert logged[-2:] == ["203.0.113.9", "198.51.100.4"]
