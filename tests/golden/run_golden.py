#!/usr/bin/env python3
"""Runs declarative golden tests of the portstorm CLI (nfdump/duckdb style).

A case file tests/golden/<area>/<case>.test holds commands and their expected
stdout:

    # comment lines at the top say what the case checks
    $ portstorm ingest --quiet --year 2006 samples/border-router.log.gz
    $ portstorm report sources --port 3771 --day 2006-02-17 --top 3 --output tsv
    count	percent	ip	first_seen	last_seen
    351	78.88	83.50.134.3	...
    [exit 0]

Every case gets a fresh empty store (PORTSTORM_STORE); commands run through
the shell from the repository root with TZ=UTC, `portstorm` replaced by the
binary under test. A block may end with `[exit N]` (default 0) and a
`[stderr]` line followed by the expected stderr (otherwise stderr is not
compared). `$ restart` is accepted for readability: every portstorm command
opens the store anew, so each command after the first already re-opens it.

usage: run_golden.py PORTSTORM_BINARY CASE.test [--update]
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def parse_case(path):
    steps, cur = [], None
    with open(path, encoding="utf-8") as f:
        for raw in f.read().split("\n"):
            if raw.startswith("$ "):
                cur = {"cmd": raw[2:], "out": [], "err": None, "exit": 0}
                steps.append(cur)
            elif cur is None:
                continue  # header comments
            elif re.fullmatch(r"\[exit \d+\]", raw):
                cur["exit"] = int(raw[6:-1])
            elif raw == "[stderr]":
                cur["err"] = []
            elif cur["err"] is not None:
                cur["err"].append(raw)
            else:
                cur["out"].append(raw)
    for s in steps:  # the file's final newline leaves one empty line at the end
        for key in ("out", "err"):
            while s[key] and s[key][-1] == "":
                s[key].pop()
    return steps


def run(binary, path, update):
    steps = parse_case(path)
    failures = []
    with tempfile.TemporaryDirectory(prefix="portstorm-golden-") as tmp:
        env = dict(os.environ, TZ="UTC", PORTSTORM_STORE=os.path.join(tmp, "store"), LC_ALL="C")
        for s in steps:
            if s["cmd"].strip() == "restart":
                continue
            cmd = re.sub(r"(^|[|;&(]\s*)portstorm\b", lambda m: m.group(1) + binary, s["cmd"])
            p = subprocess.run(cmd, shell=True, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
            # The store lives in a fresh temporary folder: show it as <store>.
            stdout = p.stdout.replace(env["PORTSTORM_STORE"], "<store>")
            stderr = p.stderr.replace(env["PORTSTORM_STORE"], "<store>")
            out = stdout.rstrip("\n").split("\n") if stdout.strip("\n") else []
            err = stderr.rstrip("\n").split("\n") if stderr.strip("\n") else []
            if update:
                s["out"], s["exit"] = out, p.returncode
                if s["err"] is not None:
                    s["err"] = err
                continue
            if p.returncode != s["exit"]:
                failures.append(f"$ {s['cmd']}\n  exit {p.returncode}, expected {s['exit']}\n  stderr: {p.stderr.strip()}")
            if out != s["out"]:
                import difflib
                diff = "\n".join(difflib.unified_diff(s["out"], out, "expected", "actual", lineterm=""))
                failures.append(f"$ {s['cmd']}\n{diff}")
            if s["err"] is not None and err != s["err"]:
                failures.append(f"$ {s['cmd']}\n  stderr:\n" + "\n".join(err) + "\n  expected:\n" + "\n".join(s["err"]))
    if update:
        with open(path, encoding="utf-8") as f:
            header = []
            for line in f.read().split("\n"):
                if line.startswith("$ "):
                    break
                header.append(line)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(header).rstrip("\n") + "\n")
            for s in steps:
                f.write(f"$ {s['cmd']}\n")
                for line in s["out"]:
                    f.write(line + "\n")
                if s["exit"] != 0:
                    f.write(f"[exit {s['exit']}]\n")
                if s["err"] is not None:
                    f.write("[stderr]\n")
                    for line in s["err"]:
                        f.write(line + "\n")
        print(f"updated {path}")
        return 0
    if failures:
        print(f"FAIL {path}")
        for fl in failures:
            print(fl)
        return 1
    print(f"ok {path} ({len(steps)} commands)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(run(os.path.abspath(sys.argv[1]), sys.argv[2], "--update" in sys.argv[3:]))
