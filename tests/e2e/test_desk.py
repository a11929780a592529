"""Issue 18 in the real window: each role lands on its 工作台. The 档案管理员 sees
黄/橙/红 warnings for overdue milestones (one goes when its milestone is done);
the 领导 a 批示 awaiting 签阅; the 考核办 the year's progress and a 偏松 rater flag."""

import time
from datetime import date, timedelta
from pathlib import Path

from test_assessment import data, ganshi

TODAY = date.today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def build(db: Path) -> None:
    ganshi(db, "init")
    ganshi(db, "unit", "add", "--data", data({"parentId": None, "code": "1399", "name": "燕州市", "kind": "市"}))
    ganshi(db, "unit", "add", "--data", data({"parentId": 1, "code": "1399-01", "name": "市交通局", "kind": "市直部门"}))
    for unit, name in [(1, "预警甲"), (2, "对照乙")]:
        ganshi(db, "cadre", "add", "--since", "2020-01-01", "--data", data({
            "name": name, "gender": "男", "birth": "1978-05", "ethnicity": "汉族", "nativePlace": "河北",
            "partyDate": None, "workStart": "2000-08", "education": "大学", "post": "科长", "rank": "正科级",
            "unitId": unit, "managementLevel": "县管", "status": "在职", "idNumber": None}))
    item = 0
    # Items of cadre 1 with a milestone due soon, and overdue 10, 60 and 120 days.
    for title, due in [("临近到期", 3), ("逾期十天", -10), ("逾期两月", -60), ("逾期四月", -120)]:
        item += 1
        ganshi(db, "initiative", "add", "--data", data({
            "category": "引进项目", "title": title, "summary": "项目", "startDate": day(-200),
            "participants": [{"cadreId": 1, "role": "牵头"}], "tags": []}))
        ganshi(db, "initiative", "plan", str(item), "--data", data({
            "goal": "建成", "measures": "专班推进", "responsibleUnitId": 1, "responsiblePerson": "负责人",
            "deadline": day(300)}))
        ganshi(db, "initiative", "milestone", str(item), "--data", data({
            "name": f"{title}节点", "dueDate": day(due), "doneDate": None}))
    # Ratings this year: the 组织部门 rates cadre 1's items 5 and cadre 2's items 3.
    for cadre, score in [(1, 5), (2, 3)]:
        for k in range(5):
            item += 1
            ganshi(db, "initiative", "add", "--data", data({
                "category": "亮点工作", "title": f"评价{cadre}-{k}", "summary": "项目", "startDate": day(-30),
                "participants": [{"cadreId": cadre, "role": "牵头"}], "tags": []}))
            ganshi(db, "initiative", "plan", str(item), "--data", data({
                "goal": "建成", "measures": "专班推进", "responsibleUnitId": cadre, "responsiblePerson": "负责人",
                "deadline": day(300)}))
            ganshi(db, "initiative", "rate", str(item), "--data", data({
                "raterRole": "组织部门", "raterName": "评价人", "innovation": score, "challenge": score,
                "difficulty": score, "comment": "", "ratedOn": day(-1) if day(-1)[:4] == str(TODAY.year) else day(0)}))
    ganshi(db, "record", "review", "--data", data({
        "targetKind": "cadre", "cadreIds": [1], "parentId": None, "text": "请抓紧推进逾期事项", "signedOff": False}))


def test_each_role_lands_on_its_desk(launch, tmp_path):
    db = tmp_path / "desk.db"
    build(db)
    app = launch("--archive", str(db))
    app.login("admin")
    # The admin holds every role: one tab per part, the clerk's first.
    app.wait_for("[data-test='desk-clerk']")
    for level in ["红", "橙", "黄"]:
        app.wait_for(f"[data-test='desk-warnings'] [data-test='warning-{level}']")
    app.wait_text("[data-test='desk-warnings']", "节点「逾期四月节点」已逾期 120 天")
    app.wait_text("[data-test='desk-rule']", "红：逾期超过 90 天")
    time.sleep(0.5)
    app.screenshot("desk-clerk.png")

    # The red item's milestone done: its warning goes.
    red = next(i for i in ganshi(db, "initiative", "list", "--json") if i["title"] == "逾期四月")
    shown = ganshi(db, "initiative", "show", str(red["id"]), "--json")
    milestone = shown["milestones"][0]
    done = app.invoke("update_milestone", {"id": milestone["id"], "input": {
        "name": milestone["name"], "dueDate": milestone["dueDate"], "doneDate": day(0)}, "reason": "已完成"})
    assert "ok" in done, done
    app.driver.execute_script("location.hash = '#/cadres'")
    app.click("nav-desk")
    app.wait_for("[data-test='desk-clerk'] [data-test='desk-warnings']")
    app.wait(lambda d: "逾期四月" not in app.text_of("[data-test='desk-warnings']"), what="the red warning gone")
    assert app.test_hidden("warning-红")

    # The leader's part: the 批示 awaiting 签阅.
    app.click_text("[data-test='desk-tabs'] .el-tabs__item", "领导批示")
    app.wait_text("[data-test='desk-awaiting']", "请抓紧推进逾期事项")
    app.wait_text("[data-test='desk-awaiting']", "预警甲 的干事档案")
    app.screenshot("desk-leader.png")

    # The 考核办's part: progress, the chart, and a 偏松 flag on the 组织部门's ratings of 燕州市.
    app.click_text("[data-test='desk-tabs'] .el-tabs__item", "年度考核进度")
    app.click("desk-year")
    app.click_text(".el-select-dropdown__item", f"{TODAY.year} 年度")
    app.wait_for("[data-test='desk-calibration'] [data-test='calibration-flag-偏松']", timeout=30)
    app.wait_for("[data-test='desk-chart'] svg", timeout=30)
    time.sleep(0.6)
    app.screenshot("desk-appraisal.png")
