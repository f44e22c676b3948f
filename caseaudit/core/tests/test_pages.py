def test_unknown_pages_get_the_govuk_not_found_page(client, people):
    client.force_login(people.qa_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="govuk-header"' in response.content.decode()
