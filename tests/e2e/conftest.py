"""End-to-end tests drive the real app window: the built ganshi-app binary in
WebKitGTK, through tauri-driver and WebKitWebDriver, under Xvfb.

Each test gets its own GANSHI_HOME (settings and demo archive) so runs never
share state. tauri-driver is started per test because the app's environment
comes from tauri-driver's environment.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
# Every test archive's administrator password; the CLI reads it from the environment.
PASSWORD = "e2e-测试-Pass1"
os.environ["GANSHI_PASSWORD"] = PASSWORD
APP = Path(os.environ.get("GANSHI_APP", ROOT / "target" / "debug" / "ganshi-app"))
OUTPUT = Path(__file__).resolve().parent / "output"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"tauri-driver did not listen on {port}")


def app_pids() -> list[int]:
    """The live processes of this build's ganshi-app."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{pid}/exe") == str(APP.resolve()):
                pids.append(int(pid))
        except OSError:
            continue
    return pids


class App:
    """One running tauri-driver and helpers to drive the app window like a user."""

    def __init__(self, home: Path, poll: float = 0.05):
        self.home = home
        # How often waits look again (Selenium's default, 0.5 s, let every step of a
        # test wait up to half a second longer than the window needed).
        self.poll = poll
        self.driver = None
        self.proc = None
        self.requested = 0.0

    def launch(self, *args: str) -> "App":
        assert APP.exists(), f"build the app first: {APP}"
        # Creating the WebDriver session starts the app. On a loaded 2-core CI machine that
        # occasionally fails at the HTTP level (tauri-driver drops the connection while
        # WebKitWebDriver is still starting, or a port picked as free is taken meanwhile).
        # That is the test harness, not the app: start a fresh tauri-driver and try again.
        for attempt in range(3):
            try:
                self._start_session(args)
                break
            except Exception:
                try:
                    self.quit()
                except Exception:
                    self.driver = None
                if attempt == 2:
                    raise
                time.sleep(2)
        self.driver.implicitly_wait(0)
        # The app runs on this machine: send file paths as keys, not through Selenium Grid's upload.
        self.driver.file_detector = UselessFileDetector()
        self.wait_for("#app > *")
        return self

    def _start_session(self, args) -> None:
        port, native = _free_port(), _free_port()
        env = dict(os.environ, GANSHI_HOME=str(self.home))
        self.proc = subprocess.Popen(
            ["tauri-driver", "--port", str(port), "--native-port", str(native)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_port(port)
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(APP), "args": list(args)})
        # When the app was asked for (wall clock, like the page's performance.timeOrigin):
        # the start of bench/app.py's cold start.
        self.requested = time.time()
        self.driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)

    def quit(self) -> None:
        if self.driver:
            try:
                self.driver.quit()
            finally:
                self.driver = None
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
        # The app finishes its close-time backup after the window is gone; a relaunch
        # on the same home waits for it, as a user would see the old window close first.
        deadline = time.time() + 15
        while time.time() < deadline and app_pids():
            time.sleep(0.2)

    # --- signing in ------------------------------------------------------------
    def login(self, user: str = "admin", password: str = PASSWORD) -> None:
        self.wait_for("[data-test='login-card']")
        self.type("login-user", user)
        self.type("login-password", password)
        self.click("login-submit")
        self.wait_text("[data-test='current-user']", f"（{user}）")

    def invoke(self, command: str, args: dict | None = None) -> dict:
        """Call a Tauri command directly over IPC, as any script in the window could."""
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])"
            ".then(r => done({ok: r === undefined ? null : r}), e => done({err: e}));",
            command, args or {},
        )

    # --- finding and waiting -------------------------------------------------
    def wait(self, predicate, timeout: float = 15.0, what: str = ""):
        return WebDriverWait(
            self.driver, timeout, poll_frequency=self.poll, ignored_exceptions=[StaleElementReferenceException]
        ).until(
            lambda d: predicate(d), message=what
        )

    def wait_for(self, css: str, timeout: float = 15.0):
        def visible(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if el.is_displayed():
                    return el
            return False
        return self.wait(visible, timeout, f"visible element {css}")

    def test(self, name: str):
        return self.wait_for(f"[data-test='{name}']")

    def test_hidden(self, name: str) -> bool:
        """Whether an element tagged data-test=name exists but is hidden (or is absent)."""
        return not any(e.is_displayed() for e in self.driver.find_elements(By.CSS_SELECTOR, f"[data-test='{name}']"))

    def field(self, name: str):
        """The native input/textarea behind an Element Plus component tagged data-test=name."""
        el = self.test(name)
        if el.tag_name.lower() in ("input", "textarea"):
            return el
        return el.find_element(By.CSS_SELECTOR, "input, textarea")

    def type(self, name: str, text: str, enter: bool = False) -> None:
        el = self.field(name)
        self.press(lambda: el)
        # Empty the field the way the UI sees a user do it (an input event), then type.
        self.driver.execute_script(
            "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", el
        )
        el.send_keys(text)
        if enter:
            el.send_keys(Keys.ENTER)

    def press(self, find) -> None:
        """Click what `find()` returns, retrying while an overlay (a closing dialog) covers it."""
        def attempt(_d):
            try:
                find().click()
                return True
            except ElementClickInterceptedException:
                return False
        self.wait(attempt, what="a clickable element")

    def click(self, name: str) -> None:
        self.press(lambda: self.test(name))

    def inner_text(self, el) -> str:
        """Rendered text. WebKitWebDriver's element text is empty inside tables, so ask the page."""
        return self.driver.execute_script("return arguments[0].innerText", el) or ""

    def click_text(self, css: str, text: str) -> None:
        def find(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if el.is_displayed() and self.inner_text(el).strip().split("\n")[0] == text:
                    return el
            return False
        self.press(lambda: self.wait(find, what=f"{css} with text {text}"))

    def choose_unit(self, name: str, unit: str) -> None:
        """Pick a unit in an el-tree-select."""
        self.press(lambda: self.test(name))
        try:
            self.click_text(".el-select-dropdown .el-tree-node__content", unit)
        except Exception:
            self.screenshot("choose-unit-failure.png")
            raise
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()

    def confirm_box(self) -> None:
        self.press(lambda: self.wait_for(".el-message-box .el-button--primary"))
        self.wait(lambda d: not any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, ".el-message-box")), what="box closed")

    def text_of(self, css: str) -> str:
        return self.inner_text(self.wait_for(css)).strip()

    def wait_text(self, css: str, text: str, timeout: float = 15.0) -> None:
        self.wait(
            lambda d: any(text in self.inner_text(e) for e in d.find_elements(By.CSS_SELECTOR, css)),
            timeout, f"{css} containing {text!r}",
        )

    def screenshot(self, name: str) -> Path:
        """The X display the window is on (imagemagick's `import`). WebKitWebDriver's
        screenshot waits for a composited frame, which never comes: the app draws
        without accelerated compositing (src-tauri/src/rendering.rs)."""
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / name
        subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
        return path


@pytest.fixture
def app_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def launch(app_home):
    apps = []

    def start(*args: str) -> App:
        app = App(app_home).launch(*args)
        apps.append(app)
        _RUNNING.append(app)
        return app

    yield start
    for app in apps:
        app.quit()
        _RUNNING.remove(app)


_RUNNING: list = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for n, app in enumerate(_RUNNING):
            if app.driver:
                try:
                    app.screenshot(f"failure-{item.name}-{n}.png")
                except Exception:  # the window may be gone; the report stands anyway
                    pass
