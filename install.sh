#!/usr/bin/env bash
# Installs what the solver needs on a fresh Debian machine: the sandbox's tools (bubblewrap,
# prlimit), compilers, and this package with its Python dependencies.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v prlimit >/dev/null 2>&1 || need_apt+=(util-linux)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
[ -x /usr/bin/python3 ] || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install.sh: please install these Debian packages first: ${need_apt[*]}" >&2
        exit 1
    fi
    echo "install.sh: installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[dev,ray]'
# pyenv only shows a new console script after a rehash.
if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
echo "install.sh: done; try: solver doctor"
