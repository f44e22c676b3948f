"""Small form helpers shared by every app's views."""


def form_data(request):
    """The submitted data on a POST, else None.

    Not ``request.POST or None``: an empty POST is falsy, so a form submitted blank would be
    unbound and shown again without its error messages.
    """
    return request.POST if request.method == "POST" else None
