"""Whole-process figures for `make bench`: the real app window, driven through
tauri-driver/WebKitWebDriver under Xvfb like the end-to-end tests.

- cold start: from asking for the window (WebDriver session) to the sign-in
  form, and from pressing 登录 to the first page of the cadre list, on the
  benchmark fixture; the figure is their sum (typing time excluded). Both
  ends of each part are taken in the page's own clock (a User Timing mark,
  a MutationObserver), not when a WebDriver wait happens to look: until the
  fifth round the waits looked every 0.5 s, which added up to half a second.
- resident memory: with the archive open and one dossier shown, the app
  process's RSS and the RSS of the whole process tree (the app plus WebKit's
  web and network processes, which hold the page).

Appends its rows to $CARGO_TARGET_DIR/bench/report.json and prints them.
Usage: bench/app.py APP_BINARY FIXTURE.db
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
os.environ["GANSHI_APP"] = sys.argv[1]  # conftest.APP: the build under test

import conftest  # noqa: E402  (the e2e harness: App, login helpers)
from selenium.webdriver.common.by import By  # noqa: E402

PASSWORD = "bench-Passw0rd"


def tree(pid: int) -> list[int]:
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                ppid = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            kids.setdefault(ppid, []).append(int(p))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_kb(pid: int) -> int:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rollup_kb(pid: int) -> dict[str, int]:
    """/proc/PID/smaps_rollup: Rss, Pss (shared pages divided among the processes
    that map them), and Pss split into anonymous memory and mapped files."""
    out = {}
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        pass
    return out


def main() -> None:
    fixture = sys.argv[2]
    report_path = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "bench" / "report.json"
    home = Path(fixture).parent / "app-home"
    home.mkdir(exist_ok=True)
    app = conftest.App(home)
    app.launch("--archive", fixture)
    app.wait_for("[data-test='login-card']", timeout=60)
    # Both parts are read in the page's own clock, so how often the waits look (and
    # the WebDriver calls that looking takes, on the page's thread) changes nothing:
    # from the WebDriver session request, which starts the app, to the first frame
    # that shows the sign-in form (the 'login-form' mark, ui/src/views/welcome-view.vue).
    form_at = app.wait(lambda d: d.execute_script(
        "const m = performance.getEntriesByName('login-form', 'mark')[0];"
        "return m ? performance.timeOrigin + m.startTime : null"), 10, "login-form mark")
    to_login = form_at / 1000 - app.requested
    print(f"登录页 {to_login:.2f} 秒", file=sys.stderr)
    app.type("login-user", "admin")
    app.type("login-password", PASSWORD)
    # ... and from the click on 登录 to the first frame that shows cadre rows.
    app.driver.execute_script("""
        performance.clearMeasures();
        const bench = window.__bench = {};
        document.addEventListener('click', () => { bench.clicked ??= performance.now() }, { capture: true });
        const rows = () => document.querySelector("[data-test='cadre-table'] tbody tr");
        new MutationObserver((_, seen) => {
          if (!rows()) return;
          seen.disconnect();
          requestAnimationFrame(() => { bench.rows = performance.now() });
        }).observe(document.body, { childList: true, subtree: true });
    """)
    app.click("login-submit")
    clicked, shown = app.wait(lambda d: d.execute_script(
        "const b = window.__bench; return b.rows ? [b.clicked, b.rows] : null"), 60, "cadre rows")
    to_list = (shown - clicked) / 1000
    print(f"名单 {to_list:.2f} 秒", file=sys.stderr)
    # Where 登录 → list went: every IPC call in the window (User Timing measures from ui/src/api).
    ipc = [
        {"command": name.removeprefix("ipc "), "start_ms": round(start - clicked), "ms": round(duration)}
        for name, start, duration in app.driver.execute_script(
            "return performance.getEntriesByType('measure').map(m => [m.name, m.startTime, m.duration])"
        )
    ]
    for c in ipc:
        print(f"  IPC {c['command']}: 第 {c['start_ms']} ms 起，用时 {c['ms']} ms", file=sys.stderr)
    total = app.text_of("[data-test='cadre-total']")
    app.press(lambda: app.driver.find_elements(By.CSS_SELECTOR, "[data-test='cadre-table'] tbody tr td .cell")[0])
    app.wait_for("[data-test='dossier']", timeout=60)
    time.sleep(2)
    pids = conftest.app_pids()
    if not pids:
        raise RuntimeError("app process not found")
    pid = pids[0]
    own = rss_kb(pid)
    whole = sum(rss_kb(p) for p in tree(pid))
    by_process = {}
    pss = {}
    for p in tree(pid):
        try:
            name = open(f"/proc/{p}/comm").read().strip()
        except OSError:
            continue
        by_process[name] = by_process.get(name, 0) + rss_kb(p) // 1024
        r = rollup_kb(p)
        got = pss.setdefault(name, {"rss": 0, "pss": 0, "pss_anon": 0, "pss_file": 0})
        got["rss"] += r.get("Rss", 0) // 1024
        got["pss"] += r.get("Pss", 0) // 1024
        got["pss_anon"] += r.get("Pss_Anon", 0) // 1024
        got["pss_file"] += r.get("Pss_File", 0) // 1024
    print(f"内存 {own} kB / {whole} kB：{by_process}", file=sys.stderr)
    print(f"  按进程（MB）：{pss}", file=sys.stderr)
    app.quit()

    cold = to_login + to_list
    cmd = "make bench"
    rows = [
        {"figure": "程序冷启动到可操作的干部名单（WebDriver）",
         "value": f"{cold:.2f} 秒（启动到登录页 {to_login:.2f} 秒，登录到名单 {to_list:.2f} 秒；{total}）",
         "target": "≤ 1.5 秒", "met": cold <= 1.5, "command": cmd,
         "detail": {"to_login_s": to_login, "login_to_list_s": to_list, "ipc": ipc}},
        {"figure": "常驻内存（档案已打开、显示一份干事档案）",
         "value": f"程序进程 {own / 1024:.0f} MB，连同 WebKit 进程共 {whole / 1024:.0f} MB",
         "target": "≤ 200 MB", "met": whole / 1024 <= 200, "command": cmd,
         "detail": {"app_rss_mb": own / 1024, "tree_rss_mb": whole / 1024, "by_process_mb": by_process,
                    "smaps_mb": pss}},
    ]
    for r in rows:
        print(f"  {r['figure']}: {r['value']}（目标 {r['target']}，{'达标' if r['met'] else '未达标'}）", file=sys.stderr)
    doc = json.loads(report_path.read_text()) if report_path.exists() else {"figures": []}
    doc["figures"] = [f for f in doc["figures"] if f["figure"] not in {r["figure"] for r in rows}] + rows
    report_path.write_text(json.dumps(doc, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
