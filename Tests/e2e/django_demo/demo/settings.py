"""A plain Django project; the only Vigil lines are INSTALLED_APPS' entry and the VIGIL_* settings."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "e2e-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "inventory",
    "vigil_client.django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "demo.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "demo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request", "django.contrib.auth.context_processors.auth"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DEMO_DB"]}}
USE_TZ = True
LOGIN_REDIRECT_URL = "/ping/"
LOGOUT_REDIRECT_URL = "/ping/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

VIGIL_URL = os.environ["VIGIL_URL"]
VIGIL_API_KEY = os.environ["VIGIL_API_KEY"]
# The suite's requests arrive through 127.0.0.1 with the address they stand for in X-Forwarded-For.
VIGIL_TRUSTED_PROXIES = ["127.0.0.1/32"]
VIGIL_MODELS = {"inventory.Item": {"secret": ["vault_code"]}, "auth.User": {"exclude": ["last_login"]}}
if os.environ.get("DEMO_TRACK_MODELS", "1") == "0":  # scripts/bench_clients.py: the untracked baseline
    VIGIL_MODELS = {}
# Short back-off, so the outage test sees delivery soon after Vigil returns.
VIGIL_CLIENT_OPTIONS = {"backoff_max": 1.0, "flush_interval": 0.2}
