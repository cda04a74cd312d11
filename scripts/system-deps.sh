#!/bin/sh
# Debian packages the tests use (a headless browser for the HTML report test).
# Installed only when missing and when we are root; tests that need them skip otherwise.
set -u
need=""
[ -f /usr/share/hunspell/de_DE.dic ] || need="$need hunspell-de-de"  # case-error (German case by dictionary)
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need) >/dev/null 2>&1 \
        || echo "system-deps: could not install$need; the tests that need it will skip" >&2
else
    echo "system-deps: not root; install$need yourself for the browser tests" >&2
fi
exit 0
