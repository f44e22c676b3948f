"""The pages' stylesheets and scripts can be found by Django's static file finders."""

from .conftest import OWN_STATIC_FILES, static_files_found


def test_the_static_file_finders_find_the_pages_stylesheets_and_scripts():
    assert static_files_found(), f"not found: {', '.join(OWN_STATIC_FILES)}"
