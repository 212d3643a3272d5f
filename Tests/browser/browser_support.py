"""Headless Chromium for the console's browser tests and screenshots."""
import os

CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("VIGIL_CHROMEDRIVER", "/usr/bin/chromedriver")


def new_browser(width=1280, height=800):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    return browser


def replaced(element):
    """A wait condition: `element` left the page (the page was replaced). Like Selenium's
    `staleness_of`, but Chromium 156's chromedriver reports a detached node as a plain
    WebDriverException ("does not belong to the document") instead of a stale reference."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    return check
