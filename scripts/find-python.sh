#!/usr/bin/env sh
# Prints the path of a Python interpreter of one of the wanted versions (first found wins),
# or explains what to install.
#   sh scripts/find-python.sh              -> Python 3.10: Rasa 3.6 supports < 3.11 (the Rasa server
#                                             and the action server, .venv). $PYTHON points to another.
#   sh scripts/find-python.sh 3.12 3.11    -> a supported Python for the desk, the web page and the jobs
#                                             (.venv-desk). $DESK_PYTHON points to another.
# Looks on the PATH, under pyenv (whatever this folder's .python-version says) and in the usual folders.
set -eu
[ $# -gt 0 ] || set -- 3.10
if [ "$1" = 3.10 ]; then override=${PYTHON:-}; else override=${DESK_PYTHON:-}; fi
ok() { # interpreter version
  "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$2' else 1)" >/dev/null 2>&1
}
# The real interpreter behind a name (a pyenv shim resolves to its version folder).
real() { "$1" -c 'import sys; print(sys.executable)'; }
find_one() { # version
  want=$1
  for candidate in "$override" "python$want" "$HOME/.pyenv/shims/python$want"; do
    [ -n "$candidate" ] || continue
    path=$(command -v "$candidate" 2>/dev/null || true)
    if [ -n "$path" ] && ok "$path" "$want"; then real "$path"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    prefix=$(pyenv prefix "$want" 2>/dev/null | head -n 1 || true)
    if [ -z "$prefix" ]; then
      version=$(pyenv versions --bare 2>/dev/null | grep -E "^${want}(\.|$)" | tail -n 1 || true)
      [ -n "$version" ] && prefix="$(pyenv root)/versions/$version"
    fi
    if [ -n "$prefix" ] && ok "$prefix/bin/python" "$want"; then echo "$prefix/bin/python"; return 0; fi
  fi
  for dir in "$HOME"/.pyenv/versions/"$want"* /usr/local/bin /usr/bin; do
    if [ -x "$dir/bin/python$want" ] && ok "$dir/bin/python$want" "$want"; then echo "$dir/bin/python$want"; return 0; fi
    if [ -x "$dir/python$want" ] && ok "$dir/python$want" "$want"; then echo "$dir/python$want"; return 0; fi
  done
  return 1
}
for want in "$@"; do
  find_one "$want" && exit 0
done
if [ "$1" = 3.10 ]; then
  cat >&2 <<MSG
Python 3.10 was not found. Rasa 3.6 needs Python 3.10 exactly (the Rasa server and the action server).
Install it, then run the command again. For example:
  - Debian/Ubuntu: sudo apt-get install python3.10 python3.10-venv
  - pyenv:         pyenv install 3.10 (this folder's .python-version selects it)
Or point to an interpreter: PYTHON=/path/to/python3.10 make ...
MSG
else
  cat >&2 <<MSG
Python $* was not found (the desk, the web page and the jobs run on a supported Python).
Install one of them, then run the command again. For example:
  - Debian/Ubuntu: sudo apt-get install python3.12 python3.12-venv (or python3.11 python3.11-venv)
  - pyenv:         pyenv install 3.12
Or point to an interpreter: DESK_PYTHON=/path/to/python3.12 make ...
MSG
fi
exit 1
