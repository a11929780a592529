"""Issue 18 in the real window: the comparison picker clears what was typed after each
pick and keeps every candidate chosen; the empty page says what to do; the table has
the year's 综合得分 and 建议等次 for each candidate."""

from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from test_grades import build_unit


def pick(app, typed: str, option: str) -> None:
    app.click("promotion-candidates")
    ActionChains(app.driver).send_keys(typed).perform()
    app.click_text(".el-select-dropdown__item", option)


def test_the_comparison_picker_and_table(launch, tmp_path):
    db: Path = tmp_path / "compare.db"
    build_unit(db)
    app = launch("--archive", str(db))
    app.login("admin")
    app.click("nav-promotion")
    app.wait_text("[data-test='promotion-guide']", "选择 2–6 名候选人")
    pick(app, "干部1", "干部1（副县长）")
    assert app.field("promotion-candidates").get_attribute("value") == "", "the typed name is cleared after a pick"
    pick(app, "干部2", "干部2（副县长）")
    pick(app, "gb", "干部3（副县长）")  # pinyin initials, as Ctrl+K takes them
    app.wait_text("[data-test='picked-count']", "已选 3/6")
    tags = app.driver.find_elements(By.CSS_SELECTOR, "[data-test='promotion-candidates'] .el-tag, .el-select__selected-item .el-tag")
    assert sum(1 for t in tags if t.is_displayed()) >= 3, "every chosen candidate stays chosen"
    app.click("promotion-compare")
    app.wait_text("[data-test='compare-table']", "2025 年度综合得分")
    app.wait_text("[data-test='compare-table']", "2025 年度建议等次")
    assert len(app.driver.find_elements(By.CSS_SELECTOR, "[data-test='compare-composite']")) == 3
    app.screenshot("comparison.png")
