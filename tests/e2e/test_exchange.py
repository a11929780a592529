"""Issue 19 in the real window: at a county, 数据交换 writes the package for the
city into a folder, and writes it again (as it was) for a stick that got lost;
at the city it is checked (who sent it, what it carries, the county's audit
trail it brings), imported, and the county's cadre appears — marked as kept by
the county, read-only — and the county's audit chain verifies at the city."""

import time
from pathlib import Path

from test_assessment import data, ganshi


def county(db: Path, card: Path) -> None:
    ganshi(db, "init")
    ganshi(db, "unit", "add", "--data", data({"parentId": None, "code": "130102", "name": "东城区", "kind": "县(市、区)"}))
    ganshi(db, "cadre", "add", "--since", "2020-01-01", "--data", data({
        "name": "东城干部", "gender": "男", "birth": "1978-05", "ethnicity": "汉族", "nativePlace": "河北",
        "partyDate": None, "workStart": "2000-08", "education": "大学", "post": "副区长", "rank": "副处级",
        "unitId": 1, "managementLevel": "市管", "status": "在职", "idNumber": None}))
    ganshi(db, "exchange", "identity", "--code", "130102", "--name", "东城区委组织部", "--out", str(card))


def city(db: Path, card: Path) -> int:
    ganshi(db, "init")
    ganshi(db, "unit", "add", "--data", data({"parentId": None, "code": "1301", "name": "燕州市", "kind": "市"}))
    ganshi(db, "exchange", "identity", "--code", "130100", "--name", "燕州市委组织部", "--out", str(card))
    return ganshi(db, "unit", "list", "--json")[0]["id"]


def test_a_county_package_reaches_the_city_with_its_owner_shown(launch, tmp_path):
    county_db, city_db = tmp_path / "东城区.db", tmp_path / "燕州市.db"
    county_card, city_card = tmp_path / "东城区.json", tmp_path / "燕州市.json"
    county(county_db, county_card)
    root = city(city_db, city_card)
    ganshi(county_db, "exchange", "trust", str(city_card))
    stick = tmp_path / "U盘"

    # At the county: the 数据交换 page writes the package for the city to the stick.
    app = launch("--archive", str(county_db))
    app.login("admin")
    app.click("nav-exchange")
    app.wait_text("[data-test='site-card']", "东城区委组织部")
    app.type("exchange-dir", str(stick))
    app.click("export-package-130100")
    app.wait_text("[data-test='exported']", "第 1 号交换包（完整）")
    app.wait_text("[data-test='exported']", "干部 1 条")
    app.screenshot("exchange-export.png")
    # The stick is lost: the package, not yet acknowledged by the city, is written again.
    second = tmp_path / "另一个U盘"
    app.type("exchange-dir", str(second))
    app.click("resend-130100")
    app.click("resend-130100-1")
    app.wait_text("[data-test='exported']", "第 1 号交换包")
    app.quit()
    packages = list(stick.glob("*.gsx"))
    assert [p.name for p in packages] == ["东城区委组织部至燕州市委组织部-第1号.gsx"]
    again = second / packages[0].name
    assert again.read_bytes() == packages[0].read_bytes(), "written again exactly as it was"

    # At the city: register the county's card in the window, under 燕州市.
    app = launch("--archive", str(city_db))
    app.login("admin")
    app.click("nav-exchange")
    app.wait_text("[data-test='site-card']", "燕州市委组织部")
    app.type("trust-path", str(county_card))
    app.choose_unit("trust-unit", "燕州市")
    app.click("trust-save")
    app.wait_text("[data-test='partners']", "东城区委组织部")
    # Check first: who sent it and what it carries; then import.
    app.type("import-package-path", str(packages[0]))
    app.click("import-package-check")
    app.wait_text("[data-test='import-package-preview']", "来自「东城区委组织部」的第 1 号交换包（完整）")
    app.wait_text("[data-test='import-package-preview']", "干部")
    app.wait_text("[data-test='import-package-audit']", "附对方审计日志第 1–")
    app.click("import-package-apply")
    app.wait_text("[data-test='import-package-report']", "已导入「东城区委组织部」的第 1 号交换包")
    time.sleep(0.4)
    app.screenshot("exchange-import.png")
    # The same package again: nothing to do.
    app.click("import-package-check")
    app.wait_text("[data-test='import-package-preview']", "已导入过")

    # The county's cadre is at the city, kept by the county.
    cadre = next(c for c in ganshi(city_db, "cadre", "list", "--json") if c["name"] == "东城干部")
    app.driver.execute_script(f"location.hash = '#/cadres/{cadre['id']}'")
    app.wait_text("[data-test='dossier-name']", "东城干部")
    app.wait_text("[data-test='kept-by']", "东城区委组织部维护 · 本站只读")
    assert app.test_hidden("cadre-edit"), "no 更正信息 for a record the county keeps"
    app.screenshot("exchange-dossier.png")

    # The county's audit chain is kept at the city and verifies there.
    app.click("nav-audit")
    app.click("audit-verify")
    app.wait_text("[data-test='audit-chain-130102']", "「东城区委组织部」的审计日志（随其交换包保存）：共")
    app.wait_text("[data-test='audit-chain-130102']", "哈希链校验通过")
    app.screenshot("exchange-audit.png")
    units = ganshi(city_db, "unit", "list", "--json")
    east = next(u for u in units if u["name"] == "东城区")
    assert east["parentId"] == root, "the county's tree hangs under 燕州市"
