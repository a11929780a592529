"""The demo archive generated from the welcome screen (issue 16): it is filled
beside its place and moved there when complete, its files are readable by their
owner only, and the app is signed in to it as the administrator."""

import stat
from pathlib import Path

from conftest import PASSWORD


def test_the_demo_is_generated_in_one_piece_and_private(launch, app_home):
    app = launch()
    app.wait_for("[data-test='create-demo']")
    app.type("demo-password", PASSWORD)
    app.type("demo-again", PASSWORD)
    app.click("create-demo")
    app.wait_for("[data-test='recovery-key']", timeout=120)
    app.click("recovery-key-kept")
    app.wait_text("[data-test='current-user']", "admin")
    files = [p for p in Path(app_home).rglob("*") if p.is_file()]
    names = [p.name for p in files]
    assert not any(".filling" in n or ".creating" in n for n in names), names
    archives = [p for p in files if p.suffix == ".db" and p.parent == Path(app_home)]
    assert len(archives) == 1, names
    # The archive, its key file, and the automatic backup made at sign-in (with its key file).
    private = [p for p in files if p.name.endswith((".db", ".keys"))]
    assert len(private) >= 2, names
    for p in private:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, f"{p.name} is its owner's only"
    for d in {p.parent for p in files if p.name.endswith(".bak.db")}:
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, f"{d} is its owner's only"
    settings = [p for p in files if p.name == "settings.json"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in settings), settings
