"""Issue 20 in the real window: 关于 shows the version, the archive formats and
where the log is; the log records the start, the new archive and the error the
user was shown — and no password."""

import time

from conftest import PASSWORD


def test_about_names_the_version_the_formats_and_the_log(launch, app_home, tmp_path):
    app = launch()
    # A mistake first: a folder that does not exist. The error shown is logged.
    app.type("new-archive-path", str(tmp_path / "没有的文件夹" / "档案.db"))
    app.type("new-archive-password", PASSWORD)
    app.type("new-archive-again", PASSWORD)
    app.click("create-archive")
    app.wait_text(".el-message--error", "不存在")
    archive = tmp_path / "关于测试.db"
    app.type("new-archive-path", str(archive))
    app.click("create-archive")
    app.click("recovery-key-kept")
    app.wait_text("[data-test='current-user']", "（admin）")

    app.click("about")
    app.wait_text("[data-test='about-version']", "0.1.0")
    schema = app.text_of("[data-test='about-schema']")
    assert schema.startswith("本程序写第 ") and "当前档案为第 " in schema, schema
    log = app_home / "logs" / "ganshi.log"
    app.wait_text("[data-test='about-log']", str(log))
    time.sleep(0.3)
    app.screenshot("about.png")

    text = log.read_text(encoding="utf-8")
    assert "启动 干事档案 0.1.0" in text, text
    assert "错误 [invalid] 目录" in text and "不存在" in text, text
    assert f"新建档案 {archive}" in text, text
    assert PASSWORD not in text, "no password in the log"
    assert oct(log.stat().st_mode & 0o777) == "0o600", "readable by its owner only"
