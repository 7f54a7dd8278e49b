#!/usr/bin/env bash
# The race of issue 12, in one run: rulebook against the yardsticks of ../shared/yardsticks
# (the filing decision hand-written in Rust, and in Rego run by regorus's VM).
#
#   benches/race.sh            # from the project root; builds what it needs (regorus: ~3 min)
#   RACE_NO_REGO=1 benches/race.sh     # skip building and racing regorus
#   RACE_RUNS=15 benches/race.sh       # hyperfine runs per command (default 7)
#
# Prints, as ratios (the machine is shared and noisy; ratios of paired runs are what to quote):
#   instructions per case (callgrind, (n=200 - n=1) / 199) of --record lean and full vs native;
#   wall time over the 10,000 cases, lean and full vs native (hyperfine, paired in one invocation);
#   instructions to load the policy (the whole process on an empty batch): from its rule files
#   (parse and check, the first time after an edit) and from the load cache (every later call);
#   max RSS over 10,000 and 100,000 cases (the 10,000 streamed 10 times);
#   wall time of the full record vs regorus's RVM.
# Needs valgrind, hyperfine and GNU time (`apt-get install -y valgrind hyperfine time`).
# Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

YARD=${YARDSTICKS:-../shared/yardsticks}
RUNS=${RACE_RUNS:-7}
Y=target/yardsticks/release
R=target/release/rulebook
DATA=target/data
D=$DATA/cases-10000.jsonl
# It is set in some environments and makes any error value capture a backtrace.
unset RUST_BACKTRACE
# The race's own load cache (src/policy/cache.rs), not the user's; emptied for each race.
export RULEBOOK_CACHE=target/race-cache
rm -rf "$RULEBOOK_CACHE"

for tool in valgrind hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "race.sh: $tool is missing (apt-get install -y valgrind hyperfine time python3)" >&2; exit 2; }
done

echo "== building (release: LTO, one codegen unit)" >&2
cargo build --release --quiet --bin rulebook
if [[ -n "${RACE_NO_REGO:-}" ]]; then
    cargo build --release --quiet --manifest-path "$YARD/Cargo.toml" --target-dir target/yardsticks --bin native-filing
else
    cargo build --release --quiet --manifest-path "$YARD/Cargo.toml" --target-dir target/yardsticks --features rego
fi

mkdir -p "$DATA"
if [[ ! -s $D ]]; then
    gunzip -c "$YARD/data/cases-10000.jsonl.gz" > "$D"
fi
head -200 "$D" > "$DATA/cases-200.jsonl"
head -1 "$D" > "$DATA/cases-1.jsonl"
: > "$DATA/cases-0.jsonl"

# Collected instructions of one command (stdout discarded).
instr() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_case() {
    local one two
    one=$(instr "$@" "$DATA/cases-1.jsonl")
    two=$(instr "$@" "$DATA/cases-200.jsonl")
    echo $(( (two - one) / 199 ))
}

# Keep the policy's copy first: a per-case figure is the difference of two runs, and only the
# first run after an emptied cache loads from the rule files.
"$R" eval --decision filing --batch "$DATA/cases-0.jsonl" >/dev/null

echo "== callgrind (instructions)" >&2
native=$(per_case "$Y/native-filing")
lean=$(per_case "$R" eval --decision filing --record lean --batch)
full=$(per_case "$R" eval --decision filing --record full --batch)
cold=$(RULEBOOK_CACHE=off instr "$R" eval --decision filing --batch "$DATA/cases-0.jsonl")
load=$(instr "$R" eval --decision filing --batch "$DATA/cases-0.jsonl")

echo "== hyperfine (wall, $RUNS runs each, paired)" >&2
WALL=$(mktemp)
cmds=("$Y/native-filing $D"
      "$R eval --batch $D --decision filing --record lean"
      "$R eval --batch $D --decision filing --record full")
if [[ -z "${RACE_NO_REGO:-}" ]]; then
    cmds+=("$Y/rego-filing --mode rvm $D")
fi
hyperfine -N -w 1 -r "$RUNS" --style basic --export-json "$WALL" "${cmds[@]}" >&2

echo "== memory (max RSS)" >&2
rss() { # cases streamed $1 times
    { for _ in $(seq "$1"); do cat "$D"; done; } \
        | /usr/bin/time -f '%M' "$R" eval --batch - --decision filing --record full 2>&1 >/dev/null | tail -1
}
rss10k=$(rss 1)
rss100k=$(rss 10)

python3 - "$WALL" "$native" "$lean" "$full" "$load" "$cold" "$rss10k" "$rss100k" <<'EOF'
import json, sys
wall, native, lean, full, load, cold, rss10, rss100 = sys.argv[1], *map(int, sys.argv[2:])
res = json.load(open(wall))["results"]
med = [r["median"] for r in res]
def x(a, b):
    return f"{a / b:.2f}x"
print()
print("| what | measured | ratio | target |")
print("| --- | --- | --- | --- |")
print(f"| --record lean: instructions per case vs native-filing | {lean:,} vs {native:,} | {x(lean, native)} | <= 1.5x |")
print(f"| --record lean: wall, 10,000 cases (median) vs native-filing | {med[1]:.3f} s vs {med[0]:.3f} s | {x(med[1], med[0])} | <= 1.5x |")
print(f"| full record: instructions per case vs native-filing | {full:,} vs {native:,} | {x(full, native)} | <= 2.5x |")
print(f"| full record: wall, 10,000 cases (median) vs native-filing | {med[2]:.3f} s vs {med[0]:.3f} s | {x(med[2], med[0])} | - |")
print(f"| loading the policy (whole process, empty batch), from the load cache | {load / 1e6:.1f} M instructions | - | <= 10 M |")
print(f"| loading the policy from its rule files (parse and check; first call after an edit) | {cold / 1e6:.1f} M instructions | - | - |")
print(f"| memory, max RSS: 10,000 / 100,000 cases | {rss10 / 1024:.1f} MB / {rss100 / 1024:.1f} MB | {x(rss100, rss10)} | flat |")
if len(med) > 3:
    print(f"| regorus RVM wall / full record wall | {med[3]:.3f} s vs {med[2]:.3f} s | {med[3] / med[2]:.1f}x faster | >= 20x |")
EOF
rm -f "$WALL"
