"""Long operations in the real window: a large roster import shows its phase
and count as it goes, 取消 stops it, and the archive is exactly as before."""

import re

import xlsxwriter

from test_security import cli

ROWS = 20_000


def roster(path, unit: str) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("花名册")
    headers = ["序号", "姓名", "性别", "出生年月", "民族", "籍贯", "单位", "现任职务", "职级", "学历"]
    sheet.write_row(0, 0, headers)
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静强磊军洋勇艳杰涛明超"
    for r in range(ROWS):
        n = r % 2250
        name = surnames[n % 10] + given[(n // 10) % 15] + given[(n // 150) % 15]
        birth = f"{1960 + r // 2250}.{1 + (r // 97) % 12:02d}"
        sheet.write_row(r + 1, 0, [str(r + 1), name, "女" if r % 3 == 0 else "男", birth, "汉族", "河北丰河", unit, "科员", "一级科员", "大学"])
    book.close()


def test_a_large_import_shows_progress_and_cancels_without_a_trace(launch, tmp_path):
    db = tmp_path / "jobs.db"
    cli(db, "demo", "--cadres", "30", "--seed", "3")
    before = len(cli(db, "cadre", "list", "--json"))
    audit_before = len(cli(db, "audit", "list", "--json"))
    path = tmp_path / "花名册.xlsx"
    roster(path, "东城区")

    app = launch("--archive", str(db))
    app.login("admin")
    app.click("nav-import")
    app.type("import-paths", str(path))
    app.click("import-preview")
    app.wait_text("[data-test='import-summary']", f"新增 {ROWS} 人", timeout=120)
    app.click("import-commit")
    # The write phase shows its count; cancel part-way.
    app.wait_for("[data-test='job-progress'][data-phase='写入']", timeout=60)
    app.screenshot("job-progress.png")
    # The line says what it counts and the percentage its bar shows.
    line = app.text_of("[data-test='job-count']")
    assert re.fullmatch(r"已完成 \d+ / \d+ 名干部（\d+%）", line), line
    done, total, percent = map(int, re.findall(r"\d+", line))
    assert total == ROWS and percent == min(100, (done * 200 + total) // (2 * total)), line
    app.click("job-cancel")
    app.wait_text(".el-message", "已取消导入", timeout=60)
    assert not app.driver.find_elements("css selector", "[data-test='job-progress']"), "the progress bar is gone"
    app.quit()

    assert len(cli(db, "cadre", "list", "--json")) == before, "nothing of the cancelled import is stored"
    audit = cli(db, "audit", "list", "--json")
    assert not any(e["action"] == "导入" for e in audit), "no 导入 entry"
    assert len(audit) >= audit_before
