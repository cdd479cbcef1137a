#!/bin/sh
# A small legacy-style tool under test: prints the N most frequent words of its input file,
# "count word" per line, most frequent first; exits 2 on bad usage, 3 on a missing file.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: wordfreq.sh FILE N" >&2
  exit 2
fi
file=$1 n=$2
if [ ! -r "$file" ]; then
  echo "wordfreq.sh: cannot read $file" >&2
  exit 3
fi
tr -cs 'A-Za-z' '\n' < "$file" | tr 'A-Z' 'a-z' | grep -v '^$' | sort | uniq -c | sort -k1,1nr -k2 | head -n "$n" \
  | awk '{ print $1 " " $2 }'
