"""Issue 6 in the real window: the global search (Ctrl+K) finds cadres by
pinyin initials and name, initiatives by text, moves with the keyboard, opens
what is chosen, and a scoped clerk finds nothing outside the scope."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_security import cli


def cadre(name: str, unit_id: int, post: str) -> dict:
    return {
        "input": {
            "name": name, "gender": "男", "birth": "1980-03", "ethnicity": "汉族", "nativePlace": "河北丰河",
            "partyDate": None, "workStart": "2002-07", "education": "大学", "post": post, "rank": "正科级",
            "unitId": unit_id, "managementLevel": "市管", "status": "在职", "idNumber": None,
        },
        "postSince": "2022-01-01",
    }


def open_search(app):
    ActionChains(app.driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
    # Issue 18: Ctrl+K puts the cursor in the search box.
    app.wait(lambda d: d.execute_script("return document.activeElement && document.activeElement.dataset.test")
             == "search-input", what="the cursor in the search box")
    return app.test("search-input")


def hits(app, kind: str) -> list[tuple[int, str, str]]:
    out = []
    for el in app.driver.find_elements(By.CSS_SELECTOR, f"[data-test='search-hit'][data-kind='{kind}']"):
        title = app.inner_text(el.find_element(By.CSS_SELECTOR, "strong")).strip()
        matched = app.inner_text(el.find_element(By.CSS_SELECTOR, ".el-tag")).strip()
        out.append((int(el.get_attribute("data-id")), title, matched))
    return out


def search(app, text: str, expect: str) -> None:
    box = app.test("search-input")
    app.driver.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", box)
    box.send_keys(text)
    app.wait(lambda d: app.driver.execute_script(
        "const r = document.querySelector(\"[data-test='search-results']\");"
        "return r && r.dataset.query === arguments[0] ? r.innerText : ''", text
    ).find(expect) >= 0, what=f"results for {text!r} containing {expect!r}")


def test_global_search_by_pinyin_text_and_keyboard_within_scope(launch, tmp_path):
    db = tmp_path / "search.db"
    cli(db, "demo", "--cadres", "30", "--seed", "3")
    app = launch("--archive", str(db))
    app.login("admin")

    units = app.invoke("list_units")["ok"]
    district = next(u for u in units if u["name"] == "东城区")
    def inside(u):
        while u is not None:
            if u["id"] == district["id"]:
                return True
            u = next((p for p in units if p["id"] == u["parentId"]), None)
        return False
    outside_unit = next(u for u in units if not inside(u) and u["parentId"] is not None)
    ours = app.invoke("create_cadre", cadre("欧阳明远", district["id"], "乡村振兴办主任"))["ok"]
    theirs = app.invoke("create_cadre", cadre("司马明远", outside_unit["id"], "招商局副局长"))["ok"]
    title = app.invoke("list_initiatives", {"filter": {}})["ok"][0]["title"]

    # Ctrl+K anywhere; pinyin initials find the name.
    app.click("nav-cadres")
    open_search(app)
    search(app, "oymy", "欧阳明远")
    assert hits(app, "cadre") == [(ours["id"], "欧阳明远", "拼音")], hits(app, "cadre")
    app.screenshot("search-pinyin.png")

    # Two hits for 明远; ↓ moves to the second and Enter opens that dossier.
    search(app, "明远", "司马明远")
    found = hits(app, "cadre")
    assert {h[0] for h in found} == {ours["id"], theirs["id"]}, found
    box = app.test("search-input")
    box.send_keys(Keys.ARROW_DOWN)
    active = app.driver.find_element(By.CSS_SELECTOR, "[data-test='search-hit'].active")
    chosen = int(active.get_attribute("data-id"))
    assert chosen == found[1][0], "↓ selects the second hit"
    box.send_keys(Keys.ENTER)
    app.wait(lambda d: d.execute_script("return location.hash") == f"#/cadres/{chosen}", what="dossier opened")
    app.wait_text("[data-test='dossier']", "明远")

    # Initiatives by their text; Enter on a fresh query opens the best hit.
    open_search(app)
    search(app, title, title)
    assert any(h[1] == title for h in hits(app, "initiative")), hits(app, "initiative")
    app.screenshot("search-initiative.png")
    box = app.test("search-input")
    box.send_keys(Keys.ENTER)
    app.wait(lambda d: d.execute_script("return location.hash").startswith("#/initiatives/"), what="initiative opened")

    # The clerk of 东城区 finds their own cadre and nothing of the other.
    app.click("logout")
    app.login("clerk")
    open_search(app)
    search(app, "明远", "欧阳明远")
    assert hits(app, "cadre") == [(ours["id"], "欧阳明远", "姓名")], hits(app, "cadre")
    search(app, "smmy", "无匹配")
    assert hits(app, "cadre") == [], "a cadre outside the scope is never found"
    app.screenshot("search-clerk.png")
