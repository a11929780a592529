"""Print $CARGO_TARGET_DIR/bench/report.json as one table (Markdown)."""
import json
import os
import sys
from pathlib import Path

path = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "bench" / "report.json"
doc = json.loads(path.read_text())
m = doc.get("machine", {})
print(f"\n基准：{doc.get('preset')}（{doc.get('fixture')}）；机器：{m.get('nproc')} 核，{m.get('cpu')}\n")
print("| 指标 | 结果 | 目标 | 是否达标 | 命令 |")
print("|---|---|---|---|---|")
for f in doc["figures"]:
    met = {True: "达标", False: "**未达标**", None: "记录"}[f["met"]]
    print(f"| {f['figure']} | {f['value']} | {f['target']} | {met} | `{f['command']}` |")
print(f"\n（完整数据：{path}）")
sys.exit(0)
