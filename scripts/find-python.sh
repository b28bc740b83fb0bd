#!/usr/bin/env sh
# Prints the path of a Python 3.10 interpreter, or explains what to install.
# Rasa 3.6 supports Python < 3.11, so 3.10 is the one we use everywhere.
set -eu
want="3.10"
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
# The real interpreter behind a name (a pyenv shim resolves to its version folder).
real() { "$1" -c 'import sys; print(sys.executable)'; }
for candidate in "${PYTHON:-}" python3.10 "$HOME/.pyenv/shims/python3.10"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null || true)
  if [ -n "$path" ] && ok "$path"; then real "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix "$want" 2>/dev/null | head -n 1 || true)
  if [ -z "$prefix" ]; then
    version=$(pyenv versions --bare 2>/dev/null | grep -E "^${want}(\.|$)" | tail -n 1 || true)
    [ -n "$version" ] && prefix="$(pyenv root)/versions/$version"
  fi
  if [ -n "$prefix" ] && ok "$prefix/bin/python"; then echo "$prefix/bin/python"; exit 0; fi
fi
for dir in "$HOME"/.pyenv/versions/3.10* /usr/local/bin /usr/bin; do
  if [ -x "$dir/bin/python3.10" ] && ok "$dir/bin/python3.10"; then echo "$dir/bin/python3.10"; exit 0; fi
  if [ -x "$dir/python3.10" ] && ok "$dir/python3.10"; then echo "$dir/python3.10"; exit 0; fi
done
cat >&2 <<MSG
Python $want was not found. Rasa 3.6 needs Python 3.10 exactly.
Install it, then run the command again. For example:
  - Debian/Ubuntu: sudo apt-get install python3.10 python3.10-venv
  - pyenv:         pyenv install 3.10 (this folder's .python-version selects it)
Or point to an interpreter: PYTHON=/path/to/python3.10 make ...
MSG
exit 1
