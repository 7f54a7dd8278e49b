#!/usr/bin/env bash
# The service's figures (README "The service"): POST /v1/decisions with the bench case over
# loopback (wrk), at concurrency 1, 16 and 64, with the decision log on and off; `eval --batch`
# on the same case for the ratio; the service's memory over a long run.
#   benches/serve.sh                 # needs target/release/rulebook and wrk (apt-get install wrk)
#   DUR=10s LONG=100000 benches/serve.sh
#   BIN=target/fast/release/rulebook LONG=0 benches/serve.sh   # another build; no memory run
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/rulebook}
case=benches/cases/filing-12-members.json
decision=${DECISION:-filing}
dur=${DUR:-10s}
long=${LONG:-100000}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$case", "r")
wrk.body = f:read("*a")
f:close()
LUA

start() { # start [--no-log]: the service on a free loopback port
  db="$tmp/log-$RANDOM.sqlite"
  "$bin" serve --policy policies --addr 127.0.0.1:0 --db "$db" "$@" \
    >"$tmp/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 100); do grep -q listening "$tmp/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^rulebook serve: listening on //p' "$tmp/out")
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

ticks() { # CPU time of process $1 so far, in clock ticks (user + system, all its threads)
  awk '{print $14 + $15}' "/proc/$1/stat"
}
writer_ticks() { # CPU time of the log's writer thread of process $1 (0 without a log)
  local t
  for t in /proc/"$1"/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = log-writer ]; then awk '{print $14 + $15}' "$t/stat"; return; fi
  done
  echo 0
}
hz=$(getconf CLK_TCK)

run() { # run LABEL CONCURRENCY
  local threads=2
  [ "$2" -lt 2 ] && threads=1
  local t0 w0
  t0=$(ticks "$pid")
  w0=$(writer_ticks "$pid")
  wrk -t"$threads" -c"$2" -d"$dur" --latency -s "$tmp/post.lua" \
    "$base/v1/decisions?decision=$decision" >"$tmp/wrk"
  local rps p50 p99 n cpu wcpu
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk")
  cpu=$(python3 -c "print(round(($(ticks "$pid") - $t0) / $hz / $n * 1e6))")
  wcpu=$(python3 -c "print(round(($(writer_ticks "$pid") - $w0) / $hz / $n * 1e6))")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")
  p50=$(awk '$1=="50%" {print $2}' "$tmp/wrk")
  p99=$(awk '$1=="99%" {print $2}' "$tmp/wrk")
  served=$((served + n))
  if grep -q "Non-2xx" "$tmp/wrk"; then echo "non-2xx answers:" >&2; cat "$tmp/wrk" >&2; fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "$cpu" "$wcpu"
}

# CPU µs/decision: the service's CPU time (every thread, user + system) over the decisions it
# answered; on a shared machine it moves far less than decisions/s does. Of which the log's
# writer thread: the one thread every logged decision goes through.
echo "| log | concurrency | decisions/s | p50 | p99 | CPU µs/decision | of which log writer |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for log in off on; do
  served=0
  if [ "$log" = off ]; then start --no-log; else start; fi
  for c in 1 16 64; do run "$log" "$c"; done
  stop
done
# What the log keeps a decision in: the file (checkpointed at shutdown) over the decisions in it.
size=$(( $(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0) ))
echo "decision log: $served decisions in $size bytes, $((size / served)) bytes a decision"

# eval --batch on the same case, 10,000 lines.
python3 -c "import json,sys; l=json.dumps(json.load(open('$case')),ensure_ascii=False); sys.stdout.write((l+'\n')*10000)" >"$tmp/cases.jsonl"
t0=$(date +%s.%N)
TIMEFORMAT='%U %S'
cpu=$( { time "$bin" eval --batch "$tmp/cases.jsonl" --decision "$decision" >/dev/null; } 2>&1 )
t1=$(date +%s.%N)
echo "eval --batch: $(python3 -c "print(round(10000/($t1-$t0)))") decisions/s, CPU $(python3 -c "u,s='$cpu'.split(); print(round((float(u)+float(s))/10000*1e6))") µs/decision"

# POST /v1/batch with the same 10,000 lines, log off and on: how fast a filing system gets a batch
# back over HTTP (curl, as the README shows it), against `eval --batch` above.
for log in off on; do
  if [ "$log" = off ]; then start --no-log; else start; fi
  t0=$(date +%s.%N)
  curl -s -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/cases.jsonl" \
    "$base/v1/batch?decision=$decision" >"$tmp/batch.out"
  t1=$(date +%s.%N)
  n=$(grep -c '"decisions"' "$tmp/batch.out" || true)
  echo "POST /v1/batch, log $log: $n records, $(python3 -c "print(round(10000/($t1-$t0)))") decisions/s"
  stop
done

# Memory over a long run with the log on: RSS every 2 s while wrk posts at concurrency 64.
start
rm -f "$tmp/rss"
( while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid" >>"$tmp/rss" 2>/dev/null || true; sleep 2; done ) &
sampler=$!
done_n=0
while [ "$done_n" -lt "$long" ]; do
  wrk -t2 -c64 -d10s -s "$tmp/post.lua" "$base/v1/decisions?decision=$decision" >"$tmp/wrk"
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk")
  done_n=$((done_n + n))
  echo "after $done_n requests: RSS $(ps -o rss= -p "$pid") KiB"
done
stop
kill "$sampler" 2>/dev/null || true
echo "RSS samples (KiB): $(tr -s ' \n' ' ' <"$tmp/rss")"
