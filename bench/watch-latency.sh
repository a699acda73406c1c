#!/usr/bin/env bash
# Measures how long `letterpress compile -w` and `letterpress build --watch` take from an editor's
# save (a temporary file renamed over the template) to the rewritten output, on the bundled
# project with the release build. Prints the median and 95th percentile of each.
#
# Usage: bench/watch-latency.sh [SAVES]   (default 30 saves each)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
saves="${1:-30}"
cargo build --release -p letterpress-cli --manifest-path "$root/Cargo.toml" >&2
bin="${CARGO_TARGET_DIR:-$root/target}/release/letterpress"

python3 - "$bin" "$root/templates" "$saves" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time

bin, templates, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])

def save(path, text):
    # An editor's atomic save: write a temporary file, then rename it over the original.
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".save")
    with open(temporary, "w") as f:
        f.write(text)
    os.rename(temporary, path)

def wait_for(path, marker, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                if marker in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.001)
    return False

def measure(name, args, source, output, cwd):
    process = subprocess.Popen([bin, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        original = open(source).read()
        if not wait_for(output, "</html>"):
            raise SystemExit(f"{name}: no first output")
        time.sleep(0.5)
        times = []
        for i in range(saves):
            marker = f"watch-latency-{i}"
            text = original.replace("</mj-body>", f"<mj-section><mj-column><mj-text>{marker}</mj-text></mj-column></mj-section></mj-body>")
            start = time.monotonic()
            save(source, text)
            if not wait_for(output, marker):
                raise SystemExit(f"{name}: save {i} was not picked up")
            times.append((time.monotonic() - start) * 1000)
            time.sleep(0.3)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name}: save → output rewritten, median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms ({saves} saves; includes the watcher's 120 ms debounce)")
    finally:
        process.terminate()
        process.wait()

with tempfile.TemporaryDirectory() as work:
    project = os.path.join(work, "project")
    shutil.copytree(templates, project)
    source = os.path.join(project, "password-reset", "template.mjml")
    os.makedirs(os.path.join(work, "out"))
    measure("compile -w", ["compile", "-w", source, "-o", os.path.join(work, "out"), "--config.allowIncludes", "true"],
            source, os.path.join(work, "out", "template.html"), work)
    measure("build --watch", ["build", "--project", project, "--out", os.path.join(work, "dist"), "--watch"],
            source, os.path.join(work, "dist", "password-reset", "template.html"), work)
PY
