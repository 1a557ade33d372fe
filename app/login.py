"""An optional shared-password login, for an app served beyond this machine (``make app-lan``).

Off unless ``.streamlit/secrets.toml`` (or a file given with ``--secrets.files``)
has a ``[login]`` section::

    [login]
    password = "a long shared phrase"          # or, to keep no plain text on disk:
    # password_sha256 = "<hex of sha256(password)>"

With it, every page asks for the password once per browser session before it
shows or computes anything: the URL's settings are applied only after the
visitor is signed in, and a wrong password waits a second before answering.
The secrets file stays out of git (``.gitignore``). The bureau's own identity
provider could replace this through Streamlit's ``st.login``; the shared
password is the small, dependency-free step.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import time

import streamlit as st

from growthsim.i18n import text as catalogue_text
from growthsim.settings import DEFAULT_LANG

K_OK = "gs_login_ok"
W_PASSWORD = "w_login_password"
FAIL_DELAY = 1.0  # seconds a wrong password waits: guessing stays slow


def _t(key: str, lang: str) -> str:
    """The sign-in's text ``key`` in ``lang``: the catalogue's ``login.<key>``."""
    return catalogue_text(f"login.{key}", lang)


def configured() -> dict | None:
    """The ``[login]`` section of the secrets, or None when no login is set up."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("login")
    except Exception:  # noqa: BLE001 - an unreadable secrets file: Streamlit logs it; treat as no login
        return None
    return dict(section) if section is not None else None


# The digests of passwords that are no password: empty, or only spaces and tabs (up to 8 of them).
_EMPTY_DIGESTS = frozenset(hashlib.sha256(("".join(p)).encode()).digest()
                           for n in range(9) for p in itertools.product(" \t", repeat=n))


def _expected_digest(section: dict) -> bytes | None:
    """The SHA-256 of the configured password; None when there is none, or it is empty in any stored form.

    An empty ``password`` (or only spaces), a ``password_sha256`` of the empty string (any letter case,
    with spaces around) or of spaces only: each is a misconfiguration, and the server refuses every visitor.
    """
    plain = section.get("password")
    if isinstance(plain, str) and plain:
        return None if not plain.strip() else hashlib.sha256(plain.encode("utf-8")).digest()
    hexdigest = section.get("password_sha256")
    if isinstance(hexdigest, str):
        try:
            raw = bytes.fromhex(hexdigest.strip())
        except ValueError:
            return None
        return raw if len(raw) == 32 and raw not in _EMPTY_DIGESTS else None
    return None


def check_password(given: str, section: dict) -> bool:
    """Whether ``given`` is the configured password (constant-time comparison of SHA-256 digests).

    An empty form (or one of spaces only) never signs in, whatever is configured.
    """
    expected = _expected_digest(section)
    if expected is None or not isinstance(given, str) or not given.strip():
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(), expected)


def gate(lang: str = DEFAULT_LANG) -> bool:
    """Whether the page may be shown: no login configured, or signed in; otherwise draw the sign-in form."""
    section = configured()
    if section is None or st.session_state.get(K_OK):
        return True
    st.title(_t("title", lang))
    if _expected_digest(section) is None:
        st.error(_t("misconfigured", lang))
        return False
    st.caption(_t("help", lang))
    with st.form("login_form"):
        given = st.text_input(_t("password", lang), type="password", key=W_PASSWORD)
        submitted = st.form_submit_button(_t("sign_in", lang))
    if submitted:
        if check_password(given or "", section):
            st.session_state[K_OK] = True
            st.rerun()
        time.sleep(FAIL_DELAY)
        st.error(_t("wrong", lang))
    return False
