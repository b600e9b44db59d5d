#!/usr/bin/env bash
# Leak and memory figures of the player, measured rather than assumed:
#   1. the lesson with the most steps played to its end and back under valgrind, in a real
#      terminal (a private tmux server), then quit with q: the leak summary;
#   2. peak resident memory (/usr/bin/time -v) of the largest shipped lesson and of free-play
#      traces of growing size, with the bytes each trace event costs.
#
#   Tests/Hardening/memory.sh [path/to/tatami]      (default: .build/debug/tatami)
#
# Slow (valgrind), so not part of .ci/run; run it by hand after changes to recording or the
# player, and compare with the figures in the pull request that touched them.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tatami=${1:-$root/.build/debug/tatami}
[[ $tatami == /* ]] || tatami=$PWD/$tatami
cd "$root"
for tool in valgrind tmux /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
work=$(mktemp -d)
server=tatami-mem-$$
export LANG=C.UTF-8
tm() { tmux -L "$server" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$work"' EXIT

shows() { tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2"; }
wait_for() { # wait_for SECONDS TAG TEXT
    local i=0
    while (( i < $1 * 10 )); do shows "$2" "$3" && return 0; sleep 0.1; i=$((i + 1)); done
    echo "timed out waiting for '$3'" >&2
    tm capture-pane -p -t "$2" >&2
    return 1
}

# ---- 1. valgrind: the longest lesson to its end and back ----------------------------------
longest=$("$tatami" list | sort -k5 -n -r | awk 'NR == 1 {print $1}')
steps=$("$tatami" list | awk -v n="$longest" '$1 == n {print $5}')
echo "lesson with the most steps: $longest ($steps steps)"
tm new-session -d -s vg -x 100 -y 32 \
    "valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible --log-file=$work/vg.log \
     $tatami play $longest; echo exited > $work/vg.done; sleep 600"
wait_for 120 vg "step 1/$steps"
# Every step forward one key at a time (each frame drawn), then back to the start.
# step KEY TARGET: presses KEY until the status line shows step TARGET; a question on the way
# takes a key of its own (to reveal the answer).
step() {
    local tries
    for ((tries = 0; tries < 4; tries++)); do
        tm send-keys -t vg "$1"
        local i=0
        while (( i < 600 )); do
            shows vg "step $2/$steps" && ! shows vg "press any key" && return 0
            shows vg "press any key" && break
            sleep 0.1
            i=$((i + 1))
        done
        shows vg "press any key" && { tm send-keys -t vg Enter; sleep 0.5; }
        shows vg "step $2/$steps" && ! shows vg "press any key" && return 0
    done
    echo "could not reach step $2" >&2
    return 1
}
for ((s = 2; s <= steps; s++)); do step l $s || exit 1; done
for ((s = steps - 1; s >= 1; s--)); do step h $s || exit 1; done
tm send-keys -t vg End; wait_for 60 vg "step $steps/$steps"
tm send-keys -t vg Home; wait_for 60 vg "step 1/$steps"
tm send-keys -t vg q
i=0; while [[ ! -s $work/vg.done ]] && (( i++ < 1200 )); do sleep 0.1; done
sed -n '/HEAP SUMMARY/,$p' "$work/vg.log" | sed 's/^==[0-9]*== //' | grep -E 'in use at exit|definitely|indirectly|possibly|still reachable|ERROR SUMMARY'

# ---- 2. peak memory ------------------------------------------------------------------------
peak_kb() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }
largest=$(for f in Lessons/[0-9]*.md; do echo "$("$tatami" trace "$f" | wc -l) $f"; done | sort -n -r | head -n 1)
echo "largest shipped lesson by trace events: ${largest#* } (${largest%% *} lines of trace)"
/usr/bin/time -v -o "$work/render.time" "$tatami" render "${largest#* }" --all >/dev/null
echo "  render --all: peak RSS $(peak_kb "$work/render.time") KB"
/usr/bin/time -v -o "$work/base.time" "$tatami" --help >/dev/null
echo "  the executable doing nothing (--help): peak RSS $(peak_kb "$work/base.time") KB"

# The event count of a free-play trace: the same scenario written as a lesson (lessons stop
# at 64×64) gives exact counts; they are a quadratic in the side, which extrapolates exactly.
lesson_events() {
    printf -- '---\ntitle.en: t\ntitle.ja: t\noperation: conv\nx.shape: 1,1,%d,%d\nx.values: random(seed=1)\nw.shape: 1,1,3,3\n---\n' \
        "$1" "$1" >"$work/fit.md"
    echo $(( $("$tatami" trace "$work/fit.md" | wc -l) - 1 ))
}
fit=$(python3 - "$(lesson_events 16)" "$(lesson_events 40)" "$(lesson_events 64)" <<'PY'
import sys
from fractions import Fraction as F
xs = [16, 40, 64]
ys = [F(int(v)) for v in sys.argv[1:]]
# Lagrange coefficients of the quadratic through the three points.
p = q = r = F(0)
for i, (xi, yi) in enumerate(zip(xs, ys)):
    a, b = [x for j, x in enumerate(xs) if j != i]
    d = (xi - a) * (xi - b)
    p += yi / d; q += -yi * (a + b) / d; r += yi * a * b / d
print(f"{float(p)}, {float(q)}, {float(r)}")
PY
)
# Free play in the terminal, quit as soon as the first frame shows: recording dominates.
echo "free play, conv forward, filter 1,1,3,3 (events from the same shape's trace):"
for side in 100 200 300 400 500; do
    tm new-session -d -s fp$side -x 100 -y 32 \
        "/usr/bin/time -v -o $work/fp$side.time $tatami play --op conv --shape 1,1,$side,$side; sleep 600"
    wait_for 300 fp$side "step 1/" || continue
    tm send-keys -t fp$side q
    i=0; while [[ ! -s $work/fp$side.time ]] && (( i++ < 600 )); do sleep 0.1; done
    events=$(python3 -c "p, q, r = $fit; print(round(p * $side * $side + q * $side + r))")
    kb=$(peak_kb "$work/fp$side.time")
    echo "  ${side}x$side: ~$events events, peak RSS $kb KB"
    echo "$events $kb" >>"$work/fp.points"
done
python3 - "$work/fp.points" "$(peak_kb "$work/base.time")" <<'PY'
import sys
pts = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
base = float(sys.argv[2])
for e, kb in pts:
    print(f"  {int(e):>9} events: {(kb - base) * 1024 / e:6.1f} bytes per event above the idle executable")
if len(pts) >= 2:
    (e0, k0), (e1, k1) = pts[0], pts[-1]
    print(f"  slope between the smallest and largest: {(k1 - k0) * 1024 / (e1 - e0):.1f} bytes per event")
PY
