#!/bin/sh
# Debian packages mtlint uses when present:
#   runtime: trans-de-en (the Ding German-English dictionary: suggestions for mistranslations),
#            hunspell-de-de (German spelling), wordnet-base (English WordNet: verbs of saying)
#   test:    the runtime ones plus chromium (a headless browser for the HTML report test)
# Installed only when missing and when we are root; without them mtlint still runs
# (no dictionary suggestions) and the tests that need them skip.
set -u
need=""
[ -f /usr/share/trans/de-en ] || need="$need trans-de-en"
[ -f /usr/share/hunspell/de_DE.dic ] || need="$need hunspell-de-de"  # case-error (German case by dictionary)
[ -f /usr/share/wordnet/data.verb ] || need="$need wordnet-base"  # reported-speech (verbs of saying)
if [ "${1:-test}" = test ]; then
    command -v chromium >/dev/null 2>&1 || need="$need chromium"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need) >/dev/null 2>&1 \
        || echo "system-deps: could not install$need; mtlint runs without them; the tests that need them skip" >&2
else
    echo "system-deps: not root; install$need yourself (dictionary suggestions, browser tests)" >&2
fi
exit 0
