"""Django integration: add "vigil_client.django" to INSTALLED_APPS and set VIGIL_URL and
VIGIL_API_KEY. Logins, failed logins, logouts, denied requests (403) and changes to the models
named in VIGIL_MODELS are then sent to Vigil with Vigil's own event names, from a background
sender: a Vigil that is down or slow never fails or slows the app's requests.

`client()` returns the app's `Vigil` (or None when not configured), to send events of your own.
"""
from .conf import client

__all__ = ["client"]
