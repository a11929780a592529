"""Issue 20: the program as installed from the .deb (`make package-test` installs
it first). The installed window starts from /usr/bin, creates an archive in the
user's data directory (never under /usr), signs in and shows the list; then it
opens an archive written by an older version (schema 15), which it upgrades after
keeping a checked copy, and says so."""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

import shutil  # noqa: E402

import conftest  # noqa: E402
from conftest import PASSWORD, App  # noqa: E402

INSTALLED = Path("/usr/bin/ganshi-app")


class Installed(App):
    """The installed app, run as a user whose home is `home`: no GANSHI_HOME, so
    the program chooses its own data directory."""

    def _start_session(self, args) -> None:
        port, native = conftest._free_port(), conftest._free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("GANSHI_HOME", "XDG_DATA_HOME")}
        env["HOME"] = str(self.home)
        self.proc = subprocess.Popen(
            ["tauri-driver", "--port", str(port), "--native-port", str(native)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        conftest._wait_port(port)
        opts = conftest.ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(INSTALLED), "args": list(args)})
        self.driver = conftest.webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)


def test_the_installed_window_keeps_its_archive_in_the_users_data_directory(tmp_path):
    assert INSTALLED.exists(), "install the .deb first (make package-test)"
    home = tmp_path / "用户"
    home.mkdir()
    app = Installed(home)
    conftest.APP = INSTALLED
    app.launch()
    try:
        data = home / ".local/share/ganshi"
        archive = data / "干事档案.db"
        # A fresh installation proposes the new archive in the user's data directory
        # (made at the first start, for the log), where 新建 puts it.
        app.wait(lambda _d: app.field("new-archive-path").get_attribute("value") == str(archive),
                 what="the new archive proposed in the data directory")
        assert not archive.exists() and (data / "logs" / "ganshi.log").is_file()
        app.type("new-archive-password", PASSWORD)
        app.type("new-archive-again", PASSWORD)
        app.click("create-archive")
        app.click("recovery-key-kept")
        app.wait_text("[data-test='current-user']", "（admin）")
        app.click("nav-cadres")
        app.wait_text("[data-test='cadre-total']", "共 0 人")
        # Exports are still proposed where the user finds them (the documents folder,
        # here the home without one), not in the hidden data directory.
        app.click("nav-exchange")
        app.wait(lambda _d: app.field("exchange-dir").get_attribute("value") == str(home / "干事档案导出" / "数据交换"),
                 what="exports proposed in the documents folder")
        app.screenshot("installed-window.png")
    except Exception:
        app.screenshot("installed-window-failure.png")
        print(app.driver.find_element(conftest.By.TAG_NAME, "body").text)
        raise
    finally:
        app.quit()
    assert archive.exists() and Path(str(archive) + ".keys").exists()
    # The last archive used is remembered in the user's settings directory.
    settings = home / ".config/ganshi"
    assert any(settings.iterdir()), "settings written under ~/.config/ganshi"
    out = subprocess.run(["ganshi", "--help"], capture_output=True, text=True, check=True).stdout
    assert "exchange" in out


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archives" / "第15版.db"
FIXTURE_PASSWORD = "测试密码-2026"  # tests/core/support.rs, which wrote the fixture


def test_the_installed_window_upgrades_an_older_archive_after_copying_it(tmp_path):
    assert INSTALLED.exists(), "install the .deb first (make package-test)"
    home = tmp_path / "用户"
    data = home / ".local/share/ganshi"
    data.mkdir(parents=True)
    archive = data / "去年的档案.db"
    shutil.copy(FIXTURE, archive)
    shutil.copy(str(FIXTURE) + ".keys", str(archive) + ".keys")
    app = Installed(home)
    app.launch("--archive", str(archive))
    try:
        app.login("admin", FIXTURE_PASSWORD)
        app.wait_text(".el-message-box", "档案已升级")
        app.wait_text(".el-message-box", "升级前的档案已备份并核验")
        app.screenshot("installed-upgrade.png")
    except Exception:
        app.screenshot("installed-upgrade-failure.png")
        raise
    finally:
        app.quit()
    copy = data / "去年的档案.升级前-第15版.db"
    assert copy.is_file() and Path(str(copy) + ".keys").is_file(), "the copy and its key file"
    assert copy.stat().st_size == FIXTURE.stat().st_size, "the copy is the archive as it was, page for page"
