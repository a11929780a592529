"""Issue 4 in the real window: two users of one encrypted archive. A clerk
bound to one district sees only that district's cadres and cannot write 批示;
a leader sees everyone, writes 批示 and cannot edit. Direct IPC calls outside
a user's scope or role are refused by the core, not just hidden. Locking
shows nothing of the archive; idle time locks the app by itself."""

import json
import subprocess
import time

from selenium.webdriver.common.by import By

from conftest import PASSWORD
from test_assessment import CLI


def cli(db, *args, user="admin"):
    out = subprocess.run([str(CLI), "--db", str(db), "--user", user, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout) if out.stdout.strip().startswith(("[", "{")) else out.stdout


def rows(app) -> list[str]:
    return [app.inner_text(e).strip() for e in app.driver.find_elements(By.CSS_SELECTOR, "[data-test='cadre-table'] tbody tr")]


def test_two_users_see_their_scope_and_their_roles(launch, app_home, tmp_path):
    db = tmp_path / "two-users.db"
    printed = cli(db, "demo", "--cadres", "40", "--seed", "5")
    assert "恢复密钥" in printed
    everyone = cli(db, "cadre", "list", "--json")
    mine = cli(db, "cadre", "list", "--json", user="clerk")
    mine_ids = {c["id"] for c in mine}
    assert 0 < len(mine) < len(everyone)
    outside = next(c for c in everyone if c["id"] not in mine_ids)
    inside = mine[0]
    # A shared initiative: led inside the clerk's scope, with a member outside it (issue 16).
    shared = cli(db, "initiative", "add", "--data", json.dumps({
        "category": "引进项目", "title": "跨区合作项目", "summary": "两区共建", "startDate": "2025-03-01",
        "participants": [{"cadreId": inside["id"], "role": "牵头"}, {"cadreId": outside["id"], "role": "参与"}],
        "tags": []}, ensure_ascii=False))
    # Led outside the scope, with the clerk's cadre taking part: the clerk reads it, the lead by name only.
    led_outside = cli(db, "initiative", "add", "--data", json.dumps({
        "category": "引进项目", "title": "外区牵头协作项目", "summary": "两区共建", "startDate": "2025-03-01",
        "participants": [{"cadreId": outside["id"], "role": "牵头"}, {"cadreId": inside["id"], "role": "参与"}],
        "tags": []}, ensure_ascii=False))
    # Idle lock after one minute, to be seen at the end.
    (app_home / "settings.json").write_text(json.dumps({"idleMinutes": 1}), encoding="utf-8")

    app = launch("--archive", str(db))
    app.wait_for("[data-test='login-card']")
    app.screenshot("login.png")
    # A wrong password is refused, and nothing opens.
    app.type("login-user", "clerk")
    app.type("login-password", "not-the-password-1")
    app.click("login-submit")
    app.wait_text(".el-message", "用户名或密码不正确")
    assert not app.driver.find_elements(By.CSS_SELECTOR, "[data-test='nav-cadres']")

    # The clerk: only the district; records can be edited; no 批示, no user management.
    app.login("clerk")
    app.wait_text("[data-test='current-user']", "档案管理员")
    app.click("nav-cadres")
    app.wait_text("[data-test='cadre-table']", inside["name"])
    time.sleep(0.5)
    shown = rows(app)
    assert not any(outside["name"] in r for r in shown), "a cadre outside the scope is listed"
    assert app.test("cadre-add").is_displayed(), "a clerk may add cadres"
    assert not app.driver.find_elements(By.CSS_SELECTOR, "[data-test='nav-users']")
    app.screenshot("clerk-scope.png")
    app.driver.execute_script(f"location.hash = '#/cadres/{inside['id']}'")
    app.wait_for("[data-test='review-readonly']")
    # The window hides what the core refuses anyway: direct IPC calls.
    denied = app.invoke("get_dossier", {"cadreId": outside["id"]})
    assert denied.get("err", {}).get("code") == "forbidden", denied
    denied = app.invoke("list_cadres", {"unitId": outside["unitId"], "name": None})
    assert denied.get("err", {}).get("code") == "forbidden", denied
    found = app.invoke("list_cadres", {"unitId": None, "name": outside["name"]})
    assert found.get("ok") == [], f"a search never finds a cadre outside the scope: {found}"
    named = app.invoke("cadres_by_id", {"ids": [outside["id"], inside["id"]]})
    assert [c["id"] for c in named.get("ok", [])] == [inside["id"]], f"naming by id stays in scope: {named}"
    denied = app.invoke("add_review", {"input": {"targetKind": "cadre", "cadreIds": [inside["id"]], "parentId": None, "text": "越权批示", "signedOff": False}})
    assert denied.get("err", {}).get("code") == "forbidden", denied
    # A write to an item shared with a cadre outside the scope moves that cadre's assessment: refused over IPC too.
    rating = {"raterRole": "组织部门", "raterName": "评价人", "innovation": 5, "challenge": 5, "difficulty": 5,
              "comment": "", "ratedOn": "2025-03-10"}
    denied = app.invoke("rate_plan", {"initiativeId": shared["id"], "input": rating, "reason": ""})
    assert denied.get("err", {}).get("code") == "forbidden", denied
    denied = app.invoke("list_users")
    assert denied.get("err", {}).get("code") == "forbidden", denied
    # A shared item led outside: the same in the initiative view, the dossier, the list and search.
    view = app.invoke("get_initiative", {"id": led_outside["id"]}).get("ok")
    assert view, "the clerk reads an item the cadre in scope takes part in"
    names = {p["name"]: p["cadreId"] for p in view["participantNames"]}
    assert names == {outside["name"]: None, inside["name"]: inside["id"]}, names
    assert [p["cadreId"] for p in view["participants"]] == [inside["id"]], view["participants"]
    dossier = app.invoke("get_dossier", {"cadreId": inside["id"]}).get("ok")
    in_dossier = next(i for i in dossier["initiatives"] if i["id"] == led_outside["id"])
    assert in_dossier["participantNames"] == view["participantNames"]
    page = app.invoke("initiatives_page", {"filter": {"unitId": None, "stage": None, "category": None, "text": "外区牵头"},
                                           "page": {"offset": 0, "limit": 10}}).get("ok")
    assert [(r["id"], r["leadCadreId"], r["unitName"]) for r in page["rows"]] == [(led_outside["id"], None, None)], page
    hits = app.invoke("search", {"query": "外区牵头协作", "limit": 10}).get("ok")
    assert [h["id"] for h in hits["initiatives"]] == [led_outside["id"]], hits
    app.driver.execute_script(f"location.hash = '#/initiatives/{led_outside['id']}'")
    app.wait_text("[data-test='participant-outside-scope']", outside["name"])
    app.wait_text("[data-test='shared-read-only']", "不在您的管理范围内")
    assert not app.test("advance").is_enabled(), "the window offers no change the core would refuse"
    app.screenshot("shared-item-led-outside.png")

    # Lock on demand: the archive is gone from the window until someone signs in.
    app.click("lock")
    app.wait_text("[data-test='login-notice']", "已锁定")
    # Issue 18: the lock screen is the same user's, password only — no 新建档案, no user reset to admin.
    app.wait_text("[data-test='locked-user']", "（clerk）")
    assert app.test_hidden("create-archive") and app.test_hidden("login-user"), "a lock screen, not the sign-in page"
    app.screenshot("lock-screen.png")
    assert not app.driver.find_elements(By.CSS_SELECTOR, "[data-test='cadre-table']")
    assert app.invoke("list_cadres", {"unitId": None, "name": None}).get("err", {}).get("code") == "no_archive"

    # Calls run off the window's main thread and take turns on the archive: a
    # sign-in (its key derivation is slow on purpose) does not hold up a quick
    # call made after it, and calls made all at once are all answered, none busy.
    order = app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const invoke = window.__TAURI_INTERNALS__.invoke; const order = [];"
        "const slow = invoke('login', {user: 'leader', password: arguments[0]})"
        "  .then(() => order.push('login'), e => order.push('login: ' + JSON.stringify(e)));"
        "const quick = invoke('app_status', {}).then(() => order.push('app_status'));"
        "Promise.all([slow, quick]).then(() => done(order));",
        PASSWORD,
    )
    assert order == ["app_status", "login"], order
    answers = app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const invoke = window.__TAURI_INTERNALS__.invoke; const calls = [];"
        "for (let i = 0; i < 6; i++) calls.push(invoke('list_units', {}),"
        "  invoke('cadres_page', {unitId: null, name: null, page: {offset: i, limit: 5}}));"
        "Promise.allSettled(calls).then(rs => done(rs.map(r => r.status === 'fulfilled' ? 'ok' : JSON.stringify(r.reason))));"
    )
    assert answers == ["ok"] * 12, answers
    assert app.invoke("lock_archive", {"logout": False}).get("err") is None

    # The leader: everyone, reads dossiers, writes 批示, edits nothing (another user: leave the lock screen).
    app.click("other-user")
    app.login("leader")
    app.click("nav-cadres")
    app.wait_text("[data-test='cadre-table']", outside["name"])
    assert app.test_hidden("cadre-add"), "a leader gets no edit buttons"
    app.driver.execute_script(f"location.hash = '#/cadres/{outside['id']}'")
    app.type("review-text", "请组织部门跟进该同志的项目进展。")
    app.click("review-submit")
    app.confirm_box()  # a 批示 cannot be changed: the window asks first
    app.wait_text("[data-test='review-panel']", "请组织部门跟进该同志的项目进展")
    app.screenshot("leader-review.png")
    denied = app.invoke("update_cadre", {"id": outside["id"], "input": {**outside, "post": "改任"}, "reason": "越权修改"})
    assert denied.get("err", {}).get("code") == "forbidden", denied
    audit = cli(db, "audit", "list", "--actor", "leader", "--json")
    actions = {e["action"] for e in audit}
    assert "登录" in actions and any("批示" in a for a in actions), actions
    failed = cli(db, "audit", "list", "--action", "登录失败", "--json")
    assert any(e["actor"] == "clerk" for e in failed), "the wrong password was logged"

    # Idle: after a minute without input the app locks by itself.
    app.wait_text("[data-test='login-notice']", "自动锁定", timeout=100)
    assert not app.driver.find_elements(By.CSS_SELECTOR, "[data-test='review-panel']")
