#!/bin/sh
# A stand-in for a legacy tool: reads "name,amount" lines and writes a CSV report with totals.
set -eu
input=$1
mkdir -p /tmp/out
awk -F, 'NF == 2 { total[$1] += $2 } END { for (name in total) print name "," total[name] }' "$input" | sort > /tmp/report.csv
cp /tmp/report.csv /tmp/out/report.csv
echo "report: $(wc -l < /tmp/report.csv) names"
