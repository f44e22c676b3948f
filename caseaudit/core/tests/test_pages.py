def test_unknown_pages_get_the_govuk_not_found_page(client, people):
    client.force_login(people.qa_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="govuk-header"' in response.content.decode()


def test_when_the_database_goes_away_the_page_says_so_and_asks_to_try_again(
    client, people, monkeypatch
):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client.force_login(people.qa_lead)
    client.raise_request_exception = False

    def gone(self):
        raise OperationalError("server closed the connection unexpectedly")

    # The first thing a request asks the database for is the person's session.
    monkeypatch.setattr(SessionStore, "load", gone)
    for url in ("/", "/audits/1/autosave/"):
        response = client.get(url) if url == "/" else client.post(url, HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert "Sorry, the service is unavailable" in page
        assert "kept in this browser" in page
        assert "Traceback" not in page and "OperationalError" not in page
        # Not an autosave refusal: autosave.js keeps its copy and says it is not saved yet.
        assert "X-Autosave-Status" not in response


def test_the_favicon_is_found_signed_in_or_not(client, people):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/caseaudit/favicon.ico"
    assert finders.find("caseaudit/favicon.ico") and finders.find("caseaudit/favicon.svg")
    client.force_login(people.qa_lead)
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/caseaudit/favicon.ico"' in page


def test_the_demo_serves_through_gunicorn():
    from caseaudit.site.management.commands.demo import gunicorn_command

    command = gunicorn_command("127.0.0.1:8000")
    assert command[1:4] == ["-m", "gunicorn", "caseaudit.wsgi"]
    assert "--bind=127.0.0.1:8000" in command
