"""How production stores static files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed files, with ES module imports rewritten too.

    ``caseaudit/init.js`` imports GOV.UK Frontend as a module. Without the rewrite it would
    import the unhashed copy: a second instance of the library beside the one the page loads,
    and a file whose name does not change when its content does, so browsers may keep a stale
    copy after an upgrade.
    """

    support_js_module_import_aggregation = True
