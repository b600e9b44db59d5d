#!/usr/bin/env bash
# Runs `tatami bench --json` and the seed's method in numpy (bench_numpy.py) in the same run,
# on the same shapes, and prints the ratio tatami/numpy for each figure (below 1: tatami is faster).
#
#   Tests/Performance/compare.sh [--iters N] [--conv B,C,H,W,M,FH,FW,S,P]
#
# The environment may set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which can slow OpenBLAS
# down; they are unset for the numpy command only, so numpy gets its own best kernel, and
# OPENBLAS_NUM_THREADS=2 matches its threads to the two cores tatami uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
iters=20
conv=()
while [ $# -gt 0 ]; do
    case "$1" in
        --iters) iters="$2"; shift 2 ;;
        --conv) conv=(--conv "$2"); shift 2 ;;
        *) echo "compare.sh: unknown argument $1 (use --iters N or --conv B,C,H,W,M,FH,FW,S,P)" >&2; exit 1 ;;
    esac
done
tatami="${TATAMI:-.build/release/tatami}"
[ -x "$tatami" ] || { echo "compare.sh: build first (swift build -c release) or set TATAMI" >&2; exit 1; }
ours=$("$tatami" bench --json --iters "$iters" "${conv[@]}")
theirs=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 python3 Tests/Performance/bench_numpy.py --iters "$iters" "${conv[@]}")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'shape':<26}{'figure':<20}{'tatami ms':>11}{'numpy ms':>11}{'ratio':>8}")
for t, n in zip(ours["shapes"], theirs["shapes"]):
    for key in ("conv_fwd_bwd_s", "maxpool_fwd_bwd_s"):
        a, b = t[key], n[key]
        print(f"{t['shape']:<26}{key:<20}{a*1e3:>11.3f}{b*1e3:>11.3f}{a/b:>8.2f}")
    print(f"{t['shape']:<26}{'disabled recorder':<20}{t['conv_disabled_recorder_s']*1e3:>11.3f}{'':>11}{t['conv_disabled_recorder_s']/t['conv_fwd_bwd_s']:>8.3f}")
if "record_events_per_s" in ours:
    print(f"recording {ours['record_shape']}: {ours['record_events']} events, "
          f"{ours['record_events_per_s']/1e6:.1f} M events/s, {ours['record_bytes_per_event']:.1f} bytes/event kept")
    print(f"frame 160x48 {ours['frame_s']*1e3:.3f} ms; seek ({ours['seek_trace_events']} events) {ours['seek_s']*1e3:.3f} ms; "
          f"first frame {ours['first_frame_s']*1e3:.1f} ms; one step {ours['step_bytes']} B vs repaint {ours['repaint_bytes']} B "
          f"({100*ours['step_bytes_ratio']:.1f} %)")
PY
