#!/bin/sh
# Refresh the locks from pyproject.toml after changing a dependency:
#     sh requirements/refresh.sh              (keeps every pin that still fits)
#     sh requirements/refresh.sh --upgrade    (takes the newest releases that fit)
# uv is fetched at a pinned version into a temporary folder. The locks are universal (any
# platform, Python 3.11 and newer) and carry the hash of every file, so `pip install
# --require-hashes` installs exactly what CI tested; tests/test_lock.py fails when a lock and
# pyproject.toml disagree.
set -eu
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m pip install --quiet --disable-pip-version-check --target "$tools" "uv==$UV_VERSION"
lock() {
  output=$1
  shift
  PYTHONPATH="$tools" "$tools/bin/uv" pip compile --quiet --universal --python-version 3.11 \
    --generate-hashes --custom-compile-command "sh requirements/refresh.sh" \
    pyproject.toml requirements/build.in -o "$output" "$@"
  echo "$output: $(grep -c '^[a-z0-9]' "$output") packages"
}
lock requirements/app.txt "$@"
lock requirements/hub.txt --extra hub "$@"
lock requirements/reports.txt --extra reports "$@"
lock requirements/test.txt --extra test --extra hub --extra reports "$@"
