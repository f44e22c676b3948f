"""Uploads refused by their size before any of them is written.

Django writes an uploaded file to memory or a temporary file while it parses the request, and
it parses it for the CSRF check before any view runs: a limit checked in the view comes after
a 2 GB upload has filled the disk. This handler is asked first, with the request's declared
length, and stops the upload before a byte of any file is kept. The request carries on without
its files, and ``upload_refused`` says why, for the form to show (``refusal``).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# The form's other fields and the multipart boundaries come on top of the file itself.
ALLOWANCE = 1024 * 1024


def too_large_message() -> str:
    return f"The selected file must be smaller than {settings.IMPORT_UPLOAD_MAX_BYTES // 2**20} MB"


def refusal(request) -> str:
    """Why the request's upload was refused, or ''."""
    return getattr(request, "upload_refused", "")


class RefuseLargeUploads(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > settings.IMPORT_UPLOAD_MAX_BYTES + ALLOWANCE
        if self.too_large:
            self.request.upload_refused = too_large_message()

    def new_file(self, *args, **kwargs):
        if self.too_large:
            # Read past without keeping it, so the page can answer; nothing reaches the disk.
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
