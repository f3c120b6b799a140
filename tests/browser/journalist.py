"""What the browser tests do as a journalist: sign in, fill a claim of the log form, attach
a photo."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

# The password tests.factories.UserFactory gives every user.
PASSWORD = "correct horse battery staple"


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/incidents/$"))


def fill_claim(page, index, **fields):
    """Fill the log form's claim number ``index`` (from 0); ``new_source_name`` opens the
    new source's fields first."""
    prefix = f"#id_claims-{index}-"
    if "new_source_name" in fields:
        # "The source is not in the list", in whichever language the page speaks.
        page.locator(".claim-form").nth(index).locator("details.new-source > summary").click()
    for name, value in fields.items():
        locator = page.locator(prefix + name)
        if locator.evaluate("element => element.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def jpeg_photo(name, colour=(180, 40, 40)):
    """A small real JPEG, as Playwright's set_input_files takes a file."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, format="JPEG", quality=85)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}
