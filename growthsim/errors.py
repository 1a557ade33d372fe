"""User-facing errors: one clear message, a non-zero exit, nothing written."""


class UserInputError(Exception):
    """Bad input from a file, option or URL. ``str(err)`` is the whole message."""
