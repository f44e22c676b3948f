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
