"""Issue 15 in the real window: a grade moved by the quota or by a 诫勉 says why in
its 年度考核 row; the dossier says which window each figure covers; the negative
record form offers the subtype's 影响期 with the regulation behind it."""

import time
from pathlib import Path

from test_assessment import data, ganshi


def build_unit(db: Path) -> None:
    """Five cadres of one unit, each with a finished 2025 item and a strong 测评; one under 诫勉."""
    ganshi(db, "init")
    ganshi(db, "unit", "add", "--data", data({"parentId": None, "code": "1399", "name": "燕州市", "kind": "市"}))
    for n in range(5):
        cadre = n + 1
        ganshi(db, "cadre", "add", "--since", "2020-01-01", "--data", data({
            "name": f"干部{n}", "gender": "男", "birth": "1978-05", "ethnicity": "汉族", "nativePlace": "河北",
            "partyDate": None, "workStart": "2000-08", "education": "大学", "post": "副县长", "rank": "副处级",
            "unitId": 1, "managementLevel": "市管", "status": "在职", "idNumber": None}))
        ganshi(db, "initiative", "add", "--data", data({
            "category": "引进项目", "title": f"重点项目{n}", "summary": "项目", "startDate": "2025-01-10",
            "participants": [{"cadreId": cadre, "role": "牵头"}], "tags": []}))
        ganshi(db, "initiative", "plan", str(cadre), "--data", data({
            "goal": "建成", "measures": "专班推进", "responsibleUnitId": 1, "responsiblePerson": "负责人",
            "deadline": "2025-12-31"}))
        ganshi(db, "initiative", "milestone", str(cadre), "--data", data({
            "name": "主体完工", "dueDate": "2025-06-30", "doneDate": "2025-06-01"}))
        for role in ["组织部门", "领导班子主要负责同志"]:
            ganshi(db, "initiative", "rate", str(cadre), "--data", data({
                "raterRole": role, "raterName": "评价人", "innovation": 5, "challenge": 5, "difficulty": 4,
                "comment": "", "ratedOn": "2025-01-20"}))
        ganshi(db, "initiative", "advance", str(cadre), "--date", "2025-02-01")
        ganshi(db, "initiative", "outcome", str(cadre), "--data", data({
            "achievement": "完全实现", "narrative": "如期建成", "recordedOn": "2025-11-01", "metrics": []}))
        ganshi(db, "record", "evaluation", "--data", data({
            "cadreId": cadre, "year": 2025, "kind": "民主测评", "raterGroup": "同事",
            "votes": {"excellent": 20 - n, "competent": n, "basic": 0, "incompetent": 0}, "score": None,
            "heldOn": "2025-12-20", "note": ""}))
    # 诫勉 without an effect period given: the subtype's six months apply.
    ganshi(db, "record", "negative", "--data", data({
        "cadreId": 2, "date": "2025-10-01", "detail": {
            "kind": "问责", "accountability": "诫勉谈话", "subtype": "诫勉谈话", "reason": "安全生产责任落实不到位",
            "issuedBy": "市纪委监委"}}))


def test_moved_grades_say_why_and_the_dossier_says_its_windows(launch, tmp_path):
    db = tmp_path / "grades.db"
    build_unit(db)
    report = ganshi(db, "assess", "--year", "2025", "--json")
    moved = [c for c in report["cadres"] if c["suggested"]["byScore"] != c["suggested"]["grade"]]
    assert len(moved) == 4 and all(c["suggested"]["adjustments"] for c in moved), "one 优秀 place, four moved"
    by_quota = sorted(c["suggested"]["overQuota"]["rank"] for c in moved if c["suggested"]["overQuota"])
    assert by_quota == [2, 3, 4], "the 诫勉 cap is not a quota move; the other three rank 2–4 for one place"

    app = launch("--archive", str(db))
    app.login("admin")
    app.click("nav-appraisal")
    app.wait_for("[data-test='appraisal-view'] .el-table__row")
    app.wait_text("[data-test='grade-adjustment']", "超出名额")
    app.wait_text("[data-test='grade-adjustment']", "诫勉")
    app.wait_text("[data-test='grade-adjustment']", "按分数为「优秀」")
    tags = [e.text for e in app.driver.find_elements("css selector", "[data-test='over-quota']")]
    assert sorted(tags) == [f"因名额改称职 · 第 {k} 名（名额 1 名）" for k in (2, 3, 4)], tags
    # The final-grade select keeps its width at 1280 px (基本称职 shows in full).
    width = app.driver.execute_script(
        "return document.querySelector(\"[data-test='final-grade']\").getBoundingClientRect().width")
    assert width >= 115, width
    time.sleep(0.6)  # let the grade tags finish zooming in for the screenshot
    app.screenshot("appraisal-adjustments.png")

    app.driver.execute_script("location.hash = '#/cadres/2'")
    app.wait_for("[data-test='composite-score']")
    # Issue 18: a leader reads the 任用摘要 first — grades, the four dimensions, eligibility, 批示.
    app.wait_text("[data-test='appointment-summary']", "年度考核")
    app.wait_text("[data-test='summary-eligibility']", "任职资格")
    app.driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.4)
    app.screenshot("dossier-summary.png")
    app.wait_text("[data-test='dimension-window']", "2023–2025 年")
    app.wait_text("[data-test='stage-window']", "2025 年度在办事项")
    app.wait_text("[data-test='assessment-window']", "统计至 2025-12-31")
    app.wait_text("[data-test='grade-reasons']", "影响期内等次最高为「称职」")
    app.driver.execute_script("document.querySelector(\"[data-test='assessment-panel']\").scrollIntoView()")
    time.sleep(0.6)
    app.screenshot("dossier-windows.png")

    # The negative-record form offers the subtype's period and the regulation behind it.
    app.press(lambda: app.wait_for("#tab-negatives"))
    app.click("negative-add")
    app.wait_text("[data-test='effect-source']", "六个月内不得提拔或者重用")
    months = app.driver.execute_script(
        "return document.querySelector(\"[data-test='effect-months'] input\").value")
    assert months == "6", months
    app.screenshot("negative-effect-period.png")


def test_the_appraisal_texts_are_drafted_edited_and_kept(launch, tmp_path):
    """Issue 17: the 个人总结 and 主管领导评语 of the 登记表, drafted from the year's work in
    the cadre's voice, edited in the window and kept; the CLI reads back what was kept."""
    db = tmp_path / "texts.db"
    build_unit(db)
    app = launch("--archive", str(db))
    app.login("admin")
    app.click("nav-appraisal")
    app.wait_for("[data-test='appraisal-view'] .el-table__row")
    app.click("appraisal-text-1")
    app.wait_for("[data-test='appraisal-text-draft']")
    draft = app.field("appraisal-summary").get_attribute("value")
    assert draft.startswith("2025年，本人任副县长。") and "本人牵头此项工作" in draft, draft
    assert "分" not in draft, "no scores in the cadre's own words"
    time.sleep(0.4)
    app.screenshot("appraisal-texts.png")
    app.type("appraisal-summary", "2025年，本人牵头建成重点项目，按期完成全部节点。")
    app.type("appraisal-comment", "该同志担当作为，实绩突出。")
    app.click("appraisal-text-save")
    app.wait_text(".el-message", "已保存")
    kept = ganshi(db, "record", "appraisal-text-show", "--cadre", "1", "--year", "2025")
    assert kept["saved"] and kept["summary"] == "2025年，本人牵头建成重点项目，按期完成全部节点。", kept
    assert kept["leaderComment"] == "该同志担当作为，实绩突出。"
