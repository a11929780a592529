"""Issue 3 in the real window: a report found 不实 is shown as cleared and the
scores do not move; fault tolerance granted to a failed initiative shows in its
explanation."""

import json
import os
import subprocess
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import ROOT

CLI = Path(os.environ.get("GANSHI_CLI", ROOT / "target" / "debug" / "ganshi"))


def ganshi(db: Path, *args: str) -> dict | list | None:
    out = subprocess.run([str(CLI), "--db", str(db), *args], check=True, capture_output=True, text=True).stdout
    # `init` prints the recovery key (text); the --json commands print JSON.
    return json.loads(out) if out.strip().startswith(("[", "{")) else None


def data(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)


def build_archive(db: Path) -> None:
    """A cadre whose 2025 initiative went through all stages and fell short (未实现), via the CLI."""
    ganshi(db, "init")
    ganshi(db, "unit", "add", "--data", data({"parentId": None, "code": "1399", "name": "燕州市", "kind": "市"}))
    ganshi(db, "cadre", "add", "--since", "2020-01-01", "--data", data({
        "name": "李明", "gender": "男", "birth": "1978-05", "ethnicity": "汉族", "nativePlace": "河北", "partyDate": None,
        "workStart": "2000-08", "education": "大学", "post": "副县长", "rank": "副处级", "unitId": 1,
        "managementLevel": "市管", "status": "在职", "idNumber": None}))
    ganshi(db, "initiative", "add", "--data", data({
        "category": "引进项目", "title": "引进冷链物流集散中心项目", "summary": "冷链物流枢纽", "startDate": "2025-01-10",
        "participants": [{"cadreId": 1, "role": "牵头"}], "tags": []}))
    ganshi(db, "initiative", "plan", "1", "--data", data({
        "goal": "建成冷库", "measures": "专班推进", "responsibleUnitId": 1, "responsiblePerson": "李明", "deadline": "2025-12-31"}))
    ganshi(db, "initiative", "milestone", "1", "--data", data({"name": "主体完工", "dueDate": "2025-06-30", "doneDate": None}))
    for role in ["组织部门", "领导班子主要负责同志"]:
        ganshi(db, "initiative", "rate", "1", "--data", data({
            "raterRole": role, "raterName": "评价人", "innovation": 4, "challenge": 5, "difficulty": 4, "comment": "",
            "ratedOn": "2025-01-20"}))
    ganshi(db, "initiative", "advance", "1", "--date", "2025-02-01")
    ganshi(db, "initiative", "outcome", "1", "--data", data({
        "achievement": "未实现", "narrative": "投资方受市场影响撤回", "recordedOn": "2025-11-01", "metrics": []}))
    ganshi(db, "initiative", "advance", "1", "--date", "2025-11-02")
    ganshi(db, "record", "evaluation", "--data", data({
        "cadreId": 1, "year": 2025, "kind": "民主测评", "raterGroup": "同事",
        "votes": {"excellent": 12, "competent": 8, "basic": 0, "incompetent": 0}, "score": None,
        "heldOn": "2026-01-10", "note": ""}))


def test_cleared_report_and_tolerated_shortfall(launch, tmp_path):
    db = tmp_path / "assess.db"
    build_archive(db)
    cli_before = ganshi(db, "assess", "--year", "2025", "--cadre", "1", "--json")["cadres"][0]

    app = launch("--archive", str(db))
    app.login("admin")
    app.driver.execute_script("location.hash = '#/cadres/1'")
    app.wait_for("[data-test='composite-score']")
    score = app.text_of("[data-test='composite-score']")
    grade = app.text_of("[data-test='suggested-grade']")
    assert score == f"{cli_before['composite']['value']:.2f}", "the window shows the core's number"

    # A report: the grade becomes premature (不确定等次) while it is looked into.
    app.click("report-add")
    app.type("report-summary", "在项目招标中为亲属谋利")
    app.click("report-save")
    app.wait_text("[data-test='suggested-grade']", "不确定等次")

    # Found 不实: shown as cleared, and nothing moves.
    app.press(lambda: app.wait_for("[data-test^='finding-']"))
    app.type("finding-by", "市纪委监委")
    app.click("finding-save")
    app.wait_text("[data-test='report-table']", "已澄清正名")
    app.wait_text("[data-test='decisions']", "澄清正名")
    app.wait_text("[data-test='suggested-grade']", grade)
    assert app.text_of("[data-test='composite-score']") == score, "a cleared report changes no score"

    # Fault tolerance for the failed initiative; its 成事 explanation says so.
    app.press(lambda: app.wait_for("#tab-tolerance"))
    app.click("tolerance-add")
    for key, text in [("nature", "改革探索中的失误"), ("basis", "按市委部署先行先试"), ("motive", "为公"),
                      ("process", "集体决策"), ("orientation", "担当作为"), ("correction", "主动纠错")]:
        app.type(f"tolerance-{key}", text)
    app.type("tolerance-reason", "受外部市场因素影响未实现预期目标")
    app.type("tolerance-by", "市委容错纠错工作领导小组")
    app.click("tolerance-save")
    app.wait_text("[data-test='tolerance-table']", "予以容错")
    app.wait_text("[data-test='stage-scores']", "已容错")
    rows = app.driver.find_elements(By.CSS_SELECTOR, "[data-test='stage-scores'] .el-table__body tr")
    outcome_link = rows[0].find_elements(By.CSS_SELECTOR, ".el-link")[2]
    app.press(lambda: outcome_link)
    app.wait_for("[data-test='explanation-dialog'] .el-tree")
    app.wait_text("[data-test='explanation-dialog']", "予以容错")
    import time
    time.sleep(0.6)  # let the dialog finish fading in for the screenshot
    app.screenshot("assessment-explanation.png")

    cli_after = ganshi(db, "assess", "--year", "2025", "--cadre", "1", "--json")["cadres"][0]
    assert cli_after["initiatives"][0]["outcome"]["value"] is None, "the shortfall is no longer scored"
    assert cli_after["composite"]["value"] >= cli_before["composite"]["value"]

    # A leader's review of the dossier: stamped, and kept (never editable).
    app.press(lambda: app.wait_for("[data-test='explanation-dialog'] .el-dialog__headerbtn"))
    app.driver.execute_script("document.querySelector(\"[data-test='review-panel']\").scrollIntoView()")
    app.type("review-text", "实绩突出，容错认定依据充分，同意列入后备干部人选。")
    app.click("review-submit")
    app.confirm_box()  # a 批示 cannot be changed: the window asks first
    app.wait_text("[data-test='review-panel']", "同意列入后备干部人选")
    entries = ganshi(db, "audit", "list", "--action", "批示", "--json")
    assert len(entries) == 1 and entries[0]["object"].startswith("review#"), "the review is in the audit trail"
