"""Rewrite the recorded corpus reports (see README.md): run from the repository root."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
for target in sorted((ROOT / "corpus").glob("*.txt")):
    (source,) = sorted((ROOT / "references").glob(target.stem + ".*.txt"))
    result = subprocess.run([sys.executable, "-m", "mtlint", "check", str(source), str(target), "--format", "json",
                             "--fail-on", "never"], capture_output=True, text=True, check=True)
    report = json.loads(result.stdout)
    for side in ("source", "target"):
        report[side]["path"] = Path(report[side]["path"]).name
    (Path(__file__).parent / f"{target.stem}.json").write_text(
        json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(target.name, len(report["issues"]), "issues")
