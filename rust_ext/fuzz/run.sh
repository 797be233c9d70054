#!/usr/bin/env bash
# Run one cargo fuzz target for a time budget on the stable toolchain.
#   rust_ext/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
# TARGET: encode | decode | spans | raw_bytes. New inputs go to corpus/TARGET
# (git-ignored), findings to artifacts/TARGET, the log to logs/TARGET.log.
# cargo fuzz needs unstable rustc flags (-Zsanitizer=address, coverage
# instrumentation): RUSTC_BOOTSTRAP=1 lets the stable compiler accept them.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target}
seconds=${2:?seconds}
shift 2
mkdir -p "corpus/$target" logs
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O "$target"
cargo fuzz run -O "$target" "corpus/$target" corpus/seed -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
    2>&1 | tee "logs/$target.log" \
    | { grep -E "^#[0-9]+ +(pulse|REDUCE|NEW|DONE)|INITED|stat::|panicked|ERROR|SUMMARY" || true; } | tail -n 40
