#!/bin/bash
# capture_check.sh SRC OUT : every check output (formats, baselines, workers) to compare two trees with diff -r
SRC=$1; OUT=$2; rm -rf $OUT; mkdir -p $OUT/wb
cd "$(dirname "$0")/../.."
J="env PYTHONPATH=$SRC python -m jiaokan.cli"
S=samples
for a in 001:$S/directive-vendor-reprint-001.txt 002:$S/directive-county-forward-002.txt; do
  n=${a%%:*}; A=${a#*:}
  for f in $S/*.txt; do b=$(basename $f .txt)
    $J diff $A $f > $OUT/diff-$n-$b.txt 2>&1; echo $? >> $OUT/diff-$n-$b.txt
    $J diff $A $f -f json > $OUT/diff-$n-$b.json 2>&1
    $J diff $A $f -f json --include-cosmetic > $OUT/diffc-$n-$b.json 2>&1
  done
  for bl in none mixed subst; do
    if [ $bl = none ]; then B="--no-baseline"; else B="--baseline benchmarks/adhoc/$bl.toml"; fi
    for opt in default "--fail-on any" "--include-cosmetic" "--fail-on none"; do
      o=${opt// /}; [ "$opt" = default ] && opt=""
      for fmt in text json sarif github; do
        for w in 1 2; do
          $J check $A $S/*.txt $B $opt -f $fmt --workers $w > $OUT/check-$n-$bl-$o-$fmt-$w 2>&1; echo "rc=$?" >> $OUT/check-$n-$bl-$o-$fmt-$w
        done
      done
    done
  done
  for bl in mixed subst; do
    for opt in default "--fail-on any"; do o=${opt// /}; [ "$opt" = default ] && opt=""
      cp benchmarks/adhoc/$bl.toml $OUT/wb/$n-$bl-$o.toml
      $J check $A $S/*.txt $opt -f json --write-baseline $OUT/wb/$n-$bl-$o.toml > $OUT/wbcheck-$n-$bl-$o 2>&1; echo "rc=$?" >> $OUT/wbcheck-$n-$bl-$o
      $J check $A $S/*.txt $opt --baseline benchmarks/adhoc/$bl.toml -f json --write-baseline $OUT/wb/new-$n-$bl-$o.toml > $OUT/wbcheck2-$n-$bl-$o 2>&1; echo "rc=$?" >> $OUT/wbcheck2-$n-$bl-$o
    done
  done
done
GITHUB_STEP_SUMMARY=$OUT/jobsum $J check $S/directive-vendor-reprint-001.txt $S/*.txt --baseline benchmarks/adhoc/mixed.toml -f github > $OUT/gh-sum 2>&1
$J trace $S/directive-vendor-reprint-001.txt $S/directive-county-forward-002.txt > $OUT/trace.txt 2>&1
$J trace $S/directive-vendor-reprint-001.txt $S/xinhua-summary-000.txt -f json > $OUT/trace.json 2>&1
$J collate $S/*.txt > $OUT/collate.txt 2>&1
$J collate $S/*.txt -f json > $OUT/collate.json 2>&1
$J review $S/directive-vendor-reprint-001.txt $S/*.txt -o $OUT/review.html > $OUT/review.log 2>&1
$J scan --workers 1 $S/directive-vendor-reprint-001.txt $S > $OUT/scan1 2>&1
$J scan --workers 2 $S/directive-county-forward-002.txt $S > $OUT/scan2 2>&1
sed -i "s#$OUT#OUT#g" $OUT/wbcheck* 2>/dev/null
ls $OUT | wc -l
