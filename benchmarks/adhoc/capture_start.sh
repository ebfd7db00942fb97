#!/bin/bash
# usage: capture_start.sh OUTDIR (run from the tree to capture, with PYTHONPATH=$PWD/src)
out=$1; mkdir -p $out
export COLUMNS=${COLUMNS:-100}
for B in samples/directive-vendor-reprint-001.txt samples/directive-county-forward-002.txt; do b=$(basename $B .txt)
for f in samples/*.txt; do n=$(basename $f .txt)
  for fmt in text json html; do jiaokan diff $B $f -f $fmt > $out/diff-$b-$n.$fmt 2>&1; echo "rc=$?" >> $out/diff-$b-$n.$fmt; done
  jiaokan diff $B $f -f json --include-cosmetic > $out/diffc-$b-$n.json 2>&1; echo "rc=$?" >> $out/diffc-$b-$n.json
  jiaokan diff $B $f --stat > $out/diffstat-$b-$n.txt 2>&1; echo "rc=$?" >> $out/diffstat-$b-$n.txt
done; done
B=samples/directive-vendor-reprint-001.txt
for f in samples/*.txt; do n=$(basename $f .txt)
  for fmt in text json; do jiaokan normalize $f -f $fmt > $out/norm-$n.$fmt 2>&1; echo "rc=$?" >> $out/norm-$n.$fmt; done
done
jiaokan check -f json --base $B samples/*.txt > $out/check.json 2>&1; echo "rc=$?" >> $out/check.json
jiaokan check --base $B samples/*.txt > $out/check.txt 2>&1; echo "rc=$?" >> $out/check.txt
jiaokan trace samples/*.txt > $out/trace.txt 2>&1; echo "rc=$?" >> $out/trace.txt
jiaokan trace samples/*.txt -f json > $out/trace.json 2>&1; echo "rc=$?" >> $out/trace.json
jiaokan collate samples/*.txt > $out/collate.txt 2>&1; echo "rc=$?" >> $out/collate.txt
jiaokan collate samples/*.txt -f json > $out/collate.json 2>&1; echo "rc=$?" >> $out/collate.json
jiaokan scan --workers 1 $B samples > $out/scan.txt 2>&1; echo "rc=$?" >> $out/scan.txt
jiaokan scan --workers 1 $B samples -f json > $out/scan.json 2>&1; echo "rc=$?" >> $out/scan.json
jiaokan review $B samples/*.txt -o "$out/review-out.html" > $out/review.txt 2>&1; echo "rc=$?" >> $out/review.txt; mv "$out/review-out.html" $out/review.html
jiaokan > $out/noargs.txt 2>&1; echo "rc=$?" >> $out/noargs.txt
jiaokan --version > $out/version.txt 2>&1; echo "rc=$?" >> $out/version.txt
for cols in 60 100 200; do
  COLUMNS=$cols jiaokan --help > $out/help-$cols.txt 2>&1; echo "rc=$?" >> $out/help-$cols.txt
  for c in normalize diff check trace collate scan review; do COLUMNS=$cols jiaokan $c --help > $out/help-$c-$cols.txt 2>&1; echo "rc=$?" >> $out/help-$c-$cols.txt; done
done
jiaokan -h > $out/h.txt 2>&1; echo "rc=$?" >> $out/h.txt
jiaokan diff -h > $out/diff-h.txt 2>&1; echo "rc=$?" >> $out/diff-h.txt
jiaokan bogus > $out/err-cmd.txt 2>&1; echo "rc=$?" >> $out/err-cmd.txt
jiaokan dif > $out/err-cmd2.txt 2>&1; echo "rc=$?" >> $out/err-cmd2.txt
jiaokan --bogus > $out/err-opt.txt 2>&1; echo "rc=$?" >> $out/err-opt.txt
jiaokan diff > $out/err-none.txt 2>&1; echo "rc=$?" >> $out/err-none.txt
jiaokan diff $B > $out/err-missing.txt 2>&1; echo "rc=$?" >> $out/err-missing.txt
jiaokan diff $B $B --bogus > $out/err-bogus.txt 2>&1; echo "rc=$?" >> $out/err-bogus.txt
jiaokan diff $B $B -f xml > $out/err-fmt.txt 2>&1; echo "rc=$?" >> $out/err-fmt.txt
jiaokan diff $B $B --width abc > $out/err-width.txt 2>&1; echo "rc=$?" >> $out/err-width.txt
jiaokan diff $B nonexist.txt > $out/err-noexist.txt 2>&1; echo "rc=$?" >> $out/err-noexist.txt
jiaokan scan samples --jobs x > $out/err-jobs.txt 2>&1; echo "rc=$?" >> $out/err-jobs.txt
jiaokan scan samples --workers x > $out/err-workers.txt 2>&1; echo "rc=$?" >> $out/err-workers.txt
jiaokan scan samples --workers -3 > $out/err-workers2.txt 2>&1; echo "rc=$?" >> $out/err-workers2.txt
jiaokan diff --debug $B nonexist.txt > $out/err-debug.txt 2>&1; echo "rc=$?" >> $out/err-debug.txt
jiaokan --debug diff $B $B > $out/debug2.txt 2>&1; echo "rc=$?" >> $out/debug2.txt
