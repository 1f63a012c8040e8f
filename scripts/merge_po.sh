#!/bin/sh
# Merge translation fragments into the catalogues and compile them.
# Usage: scripts/merge_po.sh FRAGMENT_DIR
# FRAGMENT_DIR holds <anything>.th.po and <anything>.fa.po files, each starting with
#   msgid ""
#   msgstr "Content-Type: text/plain; charset=UTF-8\n"
# Entries already in the catalogue win (msgcat --use-first), so a fragment adds
# translations; to change one, edit locale/<lang>/LC_MESSAGES/django.po directly.
set -e
cd "$(dirname "$0")/.."
dir="${1:?fragment directory}"
for lang in th fa; do
  po="locale/$lang/LC_MESSAGES/django.po"
  frags=$(ls "$dir"/*."$lang".po 2>/dev/null || true)
  [ -n "$frags" ] || continue
  msgcat --use-first -o "$po.new" "$po" $frags
  mv "$po.new" "$po"
  msgfmt --check-format -o "locale/$lang/LC_MESSAGES/django.mo" "$po"
done
