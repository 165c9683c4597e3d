#!/usr/bin/env bash
# Prints the directory of a Python interpreter of exactly the given version
# (for example 3.13), which `sam build` insists on finding on PATH as python3.13.
# Looks on PATH first, then in pyenv's installed versions; fails loudly otherwise.
set -euo pipefail
version="${1:?usage: find-python.sh 3.13}"
if command -v "python${version}" >/dev/null 2>&1 && "python${version}" -V >/dev/null 2>&1; then
  # A pyenv shim resolves only when that version is selected; ask for the real path.
  dirname "$("python${version}" -c 'import sys; print(sys.executable)')"
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  latest="$(pyenv latest "${version}" 2>/dev/null || true)"
  if [ -n "${latest}" ] && [ -x "$(pyenv root)/versions/${latest}/bin/python${version}" ]; then
    echo "$(pyenv root)/versions/${latest}/bin"
    exit 0
  fi
fi
echo "find-python.sh: no Python ${version} found on PATH or in pyenv; install it (pyenv install ${version})" >&2
exit 1
