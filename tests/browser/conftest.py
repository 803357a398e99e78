"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Never ``playwright install``: it downloads a browser from a host these
machines cannot reach. scripts/bootstrap --test installs /usr/bin/chromium.
"""

import os
from pathlib import Path

import pytest

from catalog.models import Column, Table
from catalog.services import mlmodels
from tests.conftest import make

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/bootstrap --test (or apt-get install -y chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


#: Run in every document before its own scripts (Playwright's init scripts
#: are not subject to the page's policy): report each violation to the console.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                + ` in ${event.sourceFile || document.URL}:${event.lineNumber}`);
});
"""


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations reported by the pages of the test's context."""
    return []


@pytest.fixture
def context(context, csp_violations):
    """Fail any browser test during which a page broke the Content-Security-Policy."""
    context.add_init_script(WATCH_CSP)
    context.on("console", lambda message: "CSP violation" in message.text and csp_violations.append(message.text))
    yield context
    assert not csp_violations, csp_violations


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files by their own names.

    With DEBUG off the settings use WhiteNoise's manifest storage, whose hashed
    names the live server's static handler (which looks files up by their
    source names) cannot serve; without htmx and the stylesheet the pages
    would not be the ones users get.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def orders(warehouse):
    """A second table whose customer_gender column a source can be re-pointed to."""

    def columns(table):
        for position, name in enumerate(["order_id", "amount", "customer_gender"]):
            Column.objects.create(table=table, name=name, position=position)

    return make(Table(schema=warehouse["schema"], name="orders"), related=columns)


@pytest.fixture
def fraud_model(ml_service, editor, pii):
    return mlmodels.create_mlmodel(
        ml_service, "fraud", editor, algorithm="IsolationForest", owners=[editor], tags=[pii["non_sensitive"]]
    ).entity


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
