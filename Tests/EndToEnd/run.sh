#!/usr/bin/env bash
# End-to-end tests of the terminal player: the real binary in a detached tmux session of
# fixed size on a private server, polled (never slept on) until the expected screen shows.
#
#   Tests/EndToEnd/run.sh [path/to/tatami]      (default: .build/debug/tatami)
#
# Only what the player itself draws is looked for (status line, help, too-small screen), so
# that changes to the storyboard's texts do not break these tests. Prints one line per check
# and ends with "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tatami=${1:-$root/.build/debug/tatami}
[[ $tatami == /* ]] || tatami=$PWD/$tatami
if [[ ! -x $tatami ]]; then
    echo "no tatami binary at $tatami (build it first: swift build)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; echo "0 passed, 1 failed"; exit 1; }

# The player looks for Lessons/ in the current folder.
cd "$root"
work=$(mktemp -d)
server=tatami-e2e-$$
export LANG=C.UTF-8
unset LC_ALL LC_CTYPE NO_COLOR
tm() { tmux -L "$server" -f /dev/null "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok      $1"; }
not_ok() {
    failed=$((failed + 1))
    echo "FAILED  $1"
    if [[ -n ${2:-} ]]; then
        echo "---- screen of $2 ----"
        tm capture-pane -p -t "$2" 2>/dev/null | sed 's/^/    | /'
        echo "----"
    fi
}

# A wrapper run in the pane: records `stty -g` before and after the player, its pid and its
# exit code, so that the test can prove the terminal was given back as it was found.
cat >"$work/wrap.sh" <<'EOF'
#!/usr/bin/env bash
dir=$1 tag=$2 tatami=$3
shift 3
stty -g >"$dir/$tag.before"
# The wrapper must outlive a Ctrl-C aimed at the player to record what it left behind.
trap 'true' INT
(echo "$BASHPID" >"$dir/$tag.pid"; exec "$tatami" "$@") 2>"$dir/$tag.err"
echo $? >"$dir/$tag.rc"
stty -g >"$dir/$tag.after"
echo "wrapper done"
sleep 600
EOF

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }
alternate() { tm display-message -p -t "$1" '#{alternate_on}'; }
on_alternate() { [[ $(alternate "$1") == 1 ]]; }
status_line() { screen "$1" | sed -n '$p'; }

# poll SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds or time runs out.
poll() {
    local limit=$(( $1 * 20 )) i=0
    shift
    while (( i < limit )); do
        "$@" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
shows() { screen "$1" | grep -qF -- "$2"; }
hides() { ! shows "$1" "$2"; }
exists() { [[ -s $1 ]]; }
dead() { ! kill -0 "$1" 2>/dev/null; }
# cpu_ticks PID: user + system CPU time so far, in clock ticks (fields 14 and 15 of
# /proc/PID/stat; the command name before them is in parentheses and may hold spaces).
cpu_ticks() { sed -E 's/.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }
ticks_per_second=$(getconf CLK_TCK)
# dies_idle NAME PID: polls until PID is gone, noting its CPU time on the way; a process that
# spins after losing its terminal would burn a second of CPU per second until it gave up.
dies_idle() {
    local name=$1 pid=$2 first last now i=0
    first=$(cpu_ticks "$pid")
    last=$first
    while (( i < 100 )) && ! dead "$pid"; do
        now=$(cpu_ticks "$pid")
        [[ -n $now ]] && last=$now
        sleep 0.05
        i=$((i + 1))
    done
    if dead "$pid"; then ok "$name: the player exits"; else
        not_ok "$name: the player is still running"
        kill -KILL "$pid" 2>/dev/null
    fi
    if [[ -z $first ]]; then
        ok "$name: no busy loop (gone before its CPU time could be read)"
    elif (( last - first <= ticks_per_second / 2 )); then
        ok "$name: no busy loop ($(( last - first )) ticks of CPU between the close and the end)"
    else
        not_ok "$name: $(( ${last:-0} - ${first:-0} )) ticks of CPU spent after the terminal closed"
    fi
}

# start TAG [ENV=VALUE ...] -- [ARGS...]: a fresh 100×32 session running the wrapper.
start() {
    local tag=$1
    shift
    local envs=()
    while [[ $# -gt 0 && $1 != -- ]]; do envs+=("$1"); shift; done
    [[ ${1:-} == -- ]] && shift
    tm new-session -d -s "$tag" -x 100 -y 32 \
        env "${envs[@]}" bash "$work/wrap.sh" "$work" "$tag" "$tatami" "$@"
}

# finish TAG EXPECTED_RC NAME: waits for the wrapper, then checks exit code and tty modes.
finish() {
    local tag=$1 expected=$2 name=$3
    if ! poll 10 exists "$work/$tag.after"; then
        not_ok "$name: the player ends" "$tag"
        return
    fi
    local rc
    rc=$(cat "$work/$tag.rc")
    if [[ $rc == "$expected" ]]; then ok "$name: exit code $rc"; else not_ok "$name: exit code $rc, expected $expected"; fi
    if cmp -s "$work/$tag.before" "$work/$tag.after"; then
        ok "$name: stty -g unchanged"
    else
        not_ok "$name: terminal modes changed: $(cat "$work/$tag.before") -> $(cat "$work/$tag.after")"
    fi
    if poll 2 shows "$tag" "wrapper done" && [[ $(alternate "$tag") == 0 ]]; then
        ok "$name: alternate screen left, the shell's output visible"
    else
        not_ok "$name: still on the alternate screen or the wrapper's output is hidden" "$tag"
    fi
}

check() { # check NAME TAG COMMAND...: one named check that polls COMMAND
    local name=$1 tag=$2
    shift 2
    if poll 10 "$@"; then ok "$name"; else not_ok "$name" "$tag"; fi
}

# The phase title in the status line: between "step N/M  " and the view, language and key hint.
phase_title() {
    status_line "$1" | sed -E 's/.*step [0-9]+\/[0-9]+  (.*)/\1/; s/ *(numbers|symbols)( · [A-Z]+)?  \? help  q quit$//'
}
status_has() { status_line "$1" | grep -qF -- "$2"; }
status_lacks() { ! status_has "$1" "$2"; }
at_end() { [[ $(status_line "$1") =~ step\ ([0-9]+)/([0-9]+) && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]; }
at_end_ja() { [[ $(status_line "$1") =~ ステップ\ ([0-9]+)/([0-9]+) && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]; }
frame_without_status() { screen "$1" | sed '$d'; }
differs_from() { [[ $(frame_without_status "$1") != "$(cat "$2")" ]]; }
same_as() { [[ $(frame_without_status "$1") == "$(cat "$2")" ]]; }
title_differs() { [[ $(phase_title "$1") != "$2" ]]; }

# ---- keys, help, resize, q -------------------------------------------------------------
t=keys
start $t --
check "starts with no arguments (status line step 1/…)" $t shows $t "step 1/"
check "key hint on the status line" $t shows $t "? help  q quit"
check "the player draws on the alternate screen" $t on_alternate $t
tm send-keys -t $t l
check "l steps forward (step 2/…)" $t shows $t "step 2/"
tm send-keys -t $t h
check "h steps back (step 1/…)" $t shows $t "step 1/"
tm send-keys -t $t Right
check "→ steps forward" $t shows $t "step 2/"
tm send-keys -t $t Left
check "← steps back" $t shows $t "step 1/"
title=$(phase_title $t)
tm send-keys -t $t ']'
check "] jumps to the next phase (title was '$title')" $t title_differs $t "$title"
tm send-keys -t $t '['
check "[ comes back to the first phase" $t shows $t "step 1/"
# Some steps look the same with numbers and symbols (an input of plain numbers): look for
# the first phase where `v` makes a difference.
toggled=""
for attempt in 1 2 3 4 5 6; do
    frame_without_status $t >"$work/$t.plain"
    tm send-keys -t $t v
    if poll 1 differs_from $t "$work/$t.plain"; then toggled=yes; break; fi
    tm send-keys -t $t v
    before=$(status_line $t)
    tm send-keys -t $t ']'
    poll 2 eval '[[ $(status_line '$t') != "$before" ]]' || break
done
if [[ -n $toggled ]]; then ok "v changes how cells are shown"; else not_ok "v changes how cells are shown" $t; fi
tm send-keys -t $t v
check "v again shows the same frame as before" $t same_as $t "$work/$t.plain"
tm send-keys -t $t Home
check "Home after the v test" $t shows $t "step 1/"
tm send-keys -t $t '?'
check "? opens the help" $t shows $t "press any key to close"
check "help lists the keys" $t shows $t "next / previous phase"
tm send-keys -t $t '?'
check "? again closes the help" $t hides $t "press any key to close"
tm send-keys -t $t g 2 Enter
check "g 2 Enter goes to step 2" $t shows $t "step 2/"
tm send-keys -t $t End
check "End goes to the last step" $t eval '[[ $(status_line '$t') =~ step\ ([0-9]+)/([0-9]+) && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]'
tm send-keys -t $t Home
check "Home goes to the first step" $t shows $t "step 1/"
tm send-keys -t $t L
check "L switches the status line to Japanese" $t shows $t "ステップ 1/"
tm send-keys -t $t L
check "L again switches back to English" $t shows $t "step 1/"
tm resize-window -t $t -x 30 -y 8
check "below the minimum: the too-small screen" $t shows $t "terminal too small: need"
check "the too-small screen names the current size" $t shows $t "30×8"
tm resize-window -t $t -x 100 -y 32
check "resized back: the frame and status line return" $t shows $t "? help  q quit"
check "resized back: the too-small screen is gone" $t hides $t "terminal too small"
tm send-keys -t $t q
finish $t 0 "q"

# ---- every key answers on the status line ---------------------------------------------------
# A key that changes nothing says why until the next key; `v` says so where the symbols view
# draws the step as the numbers view does (the first step of lesson 01, the input).
t=notices
start $t -- play 01 --numbers
check "notices run starts" $t shows $t "step 1/"
check "the status line names the view and language (numbers · EN)" $t status_has $t "numbers · EN  ? help  q quit"
tm send-keys -t $t Home
check "Home on the first step says so" $t status_has $t "already at the first step"
frame_without_status $t >"$work/$t.numbers"
tm send-keys -t $t v
check "v where there is nothing to name says so" $t status_has $t "symbols: nothing to name here"
check "v there still switches the view (symbols · EN)" $t status_has $t "symbols · EN  ? help  q quit"
check "v there draws the same frame" $t same_as $t "$work/$t.numbers"
tm send-keys -t $t v
check "v back says numbers look the same" $t status_has $t "numbers: same as symbols here"
check "v back: numbers · EN" $t status_has $t "numbers · EN  ? help  q quit"
tm send-keys -t $t + + +
check "+ three times: 16 steps/s" $t status_has $t "16 steps/s"
tm send-keys -t $t +
check "+ at the fastest says so" $t status_has $t "16 steps/s is the fastest"
tm send-keys -t $t z
check "an unknown key says so" $t status_has $t "z is not a key here"
tm send-keys -t $t g 3 Enter
check "g 3 Enter: step 3, the notice gone" $t eval 'status_has '$t' "step 3/" && status_lacks '$t' "not a key"'
tm send-keys -t $t g 9 9 Enter
check "g 99 Enter past the end says so and stays at step 3" $t eval 'status_has '$t' "no step 99: the last is" && status_has '$t' "step 3/"'
frame_without_status $t >"$work/$t.step3"
tm send-keys -t $t v
check "v at a step with symbols flips the status to symbols" $t status_has $t "symbols · EN  ? help  q quit"
check "v at a step with symbols changes the frame" $t differs_from $t "$work/$t.step3"
check "v at a step with symbols says nothing more" $t status_lacks $t "nothing to name"
tm send-keys -t $t v End
check "End goes to the last step" $t at_end $t
tm send-keys -t $t End
check "End on the last step says so" $t status_has $t "already at the last step"
tm send-keys -t $t l
check "l on the last step says so" $t status_has $t "already at the last step"
tm send-keys -t $t q
finish $t 0 "q after the notices"

# ---- narration scroll at 80×24 ---------------------------------------------------------------
# Lesson 01 at 80×24 (a 80×23 frame above the status line) shows step 1's narration whole and
# two of step 13's four lines, with a note naming them.
narration_note() { screen "$1" | sed '$d' | grep -F "… narration lines"; }
narration_lines() { screen "$1" | sed '$d' | grep -B2 -F "… narration lines" | head -n 2; }
t=narration
start $t -- play 01 --numbers
check "narration run starts" $t shows $t "step 1/"
tm resize-window -t $t -x 80 -y 24
check "at 80×24: the frame" $t eval 'status_has '$t' "step 1/" && hides '$t' "terminal too small"'
tm send-keys -t $t NPage
check "PgDn where the whole narration shows says so" $t status_has $t "narration: all of it is shown"
tm send-keys -t $t g 1 3 Enter
check "step 13 at 80×24: narration lines 1–2 of 4" $t shows $t "… narration lines 1–2 of 4"
frame_without_status $t >"$work/$t.top"
narration_lines $t >"$work/$t.toplines"
tm send-keys -t $t NPage
check "PgDn: narration lines 3–4 of 4" $t shows $t "… narration lines 3–4 of 4"
check "PgDn: other narration lines shown" $t eval '[[ -s '"$work/$t.toplines"' && $(narration_lines '$t') != "$(cat '"$work/$t.toplines"')" ]]'
check "PgDn: no notice" $t status_lacks $t "narration:"
tm send-keys -t $t NPage
check "PgDn at the end says so" $t status_has $t "narration: no more below"
check "PgDn at the end keeps lines 3–4" $t shows $t "… narration lines 3–4 of 4"
tm send-keys -t $t PPage
check "PgUp: narration lines 1–2 again" $t shows $t "… narration lines 1–2 of 4"
check "PgUp: the frame as it was before PgDn" $t same_as $t "$work/$t.top"
tm send-keys -t $t PPage
check "PgUp at the top says so" $t status_has $t "narration: already at the top"
tm send-keys -t $t NPage
check "PgDn again: lines 3–4" $t shows $t "… narration lines 3–4 of 4"
tm send-keys -t $t l
check "the next step starts its narration at the top" $t eval 'status_has '$t' "step 14/" && shows '$t' "… narration lines 1–2 of 4"'
tm send-keys -t $t q
finish $t 0 "q after the narration scroll"

# ---- the legend on screen, and blocks paged through a transpose ----------------------------
t=legend
start $t -- play 01
check "legend run starts" $t shows $t "step 1/"
tm send-keys -t $t m
check "m shows the legend of the marks on the frame" $t eval 'frame_without_status '$t' | grep -qF "* operand  < read  > written"'
tm send-keys -t $t m
check "m again hides it" $t eval '! frame_without_status '$t' | grep -qF "* operand  < read"'
tm send-keys -t $t b
check "b where every block shows says so" $t status_has $t "blocks: every block is on screen"
tm send-keys -t $t q
finish $t 0 "q after the legend"

t=blocks
start $t -- play --op conv --shape 2,3,6,6 --filter 4,3,3,3
check "free play starts" $t shows $t "step 1/"
tm resize-window -t $t -x 80 -y 24
for _ in 1 2 3 4 5 6 7 8; do tm send-keys -t $t "]"; done
check "the transpose's whole movement names the blocks it shows" $t shows $t "blocks 1–3 of 8"
check "and says all its elements move" $t shows $t "all 128 elements"
tm send-keys -t $t b
check "b: the next blocks" $t shows $t "blocks 4–6 of 8"
tm send-keys -t $t b b
check "b past the last page: the first blocks again" $t shows $t "blocks 1–3 of 8"
tm send-keys -t $t l
check "the next step follows one element" $t shows $t "element 61:"
tm send-keys -t $t q
finish $t 0 "q after paging blocks"

# ---- the status line in Japanese ----------------------------------------------------------------
t=japanese
start $t -- play 01 --lang ja --numbers
check "--lang ja: the status line in Japanese" $t status_has $t "ステップ 1/"
check "--lang ja: the phase named in Japanese (入力)" $t status_has $t "入力"
check "--lang ja: the view and language in Japanese (数値 · 日本語)" $t status_has $t "数値 · 日本語"
tm send-keys -t $t ']'
check "--lang ja: the next phase in Japanese (パディング)" $t status_has $t "パディング"
check "--lang ja: no English phase name" $t status_lacks $t "pad"
tm send-keys -t $t ']'
check "--lang ja: the third phase in Japanese (フィルタをずらす)" $t status_has $t "フィルタをずらす"
tm send-keys -t $t v
check "--lang ja: v shows 記号" $t status_has $t "記号 · 日本語"
tm send-keys -t $t Home Home
check "--lang ja: Home on the first step says so in Japanese" $t status_has $t "最初のステップです"
tm send-keys -t $t q
finish $t 0 "q after Japanese"

# ---- 50 resizes while playing ------------------------------------------------------------
t=resizes
start $t --
check "resize run starts" $t shows $t "step 1/"
screen $t >"$work/$t.reference"
tm send-keys -t $t Space
check "space starts playback" $t shows $t "> playing"
# Alternating between sizes below the minimum (the too-small screen) and above the default,
# faster than the player can redraw: every SIGWINCH must be survived and the last one win.
for i in $(seq 1 50); do
    if (( i % 2 )); then tm resize-window -t $t -x $((20 + i)) -y $((5 + i % 7)); else tm resize-window -t $t -x $((90 + i)) -y $((28 + i % 9)); fi
done
tm resize-window -t $t -x 100 -y 32
check "after 50 resizes while playing the player still draws" $t shows $t "? help  q quit"
check "after 50 resizes: the too-small screen is gone" $t hides $t "terminal too small"
# Playback may have reached the end and paused by itself; pause it if not.
if status_line $t | grep -qF "> playing"; then tm send-keys -t $t Space; fi
check "after 50 resizes: paused" $t shows $t "|| paused"
# Playback stops before a question, whose box takes typed keys: Esc leaves it for later.
if shows $t "Esc later"; then tm send-keys -t $t Escape; poll 2 hides $t "Esc later"; fi
# Home on the first step would say so until the next key; Ctrl-L repaints and takes it away.
tm send-keys -t $t Home C-l
whole_screen_is() { [[ $(screen "$1") == "$(cat "$2")" ]]; }
check "after 50 resizes: step 1 is drawn exactly as before them" $t whole_screen_is $t "$work/$t.reference"
tm send-keys -t $t q
finish $t 0 "q after resizes"

# ---- below the minimum size and back, the frame unchanged ----------------------------------
t=toosmall
start $t --
check "too-small run starts" $t shows $t "step 1/"
tm send-keys -t $t l
check "too-small run: step 2" $t shows $t "step 2/"
screen $t >"$work/$t.reference"
tm resize-window -t $t -x 40 -y 10
check "at 40×10: the too-small screen" $t shows $t "terminal too small: need"
need=$(screen $t | sed -nE 's/.*terminal too small: need ([0-9]+)×([0-9]+).*/\1 \2/p')
if [[ -n $need ]]; then
    nw=${need% *} nh=${need#* }
    # One column or one row short of the minimum is too small; the minimum itself is not.
    tm resize-window -t $t -x $((nw - 1)) -y 32
    check "one column short ($((nw - 1))×32): too small" $t shows $t "terminal too small"
    tm resize-window -t $t -x 100 -y $((nh - 1))
    check "one row short (100×$((nh - 1))): too small" $t shows $t "terminal too small"
    tm resize-window -t $t -x "$nw" -y "$nh"
    check "exactly the minimum ($nw×$nh): the frame" $t shows $t "step 2/"
else
    not_ok "the too-small screen names the size it needs" $t
fi
# A size curses can hardly draw into must not crash it either.
tm resize-window -t $t -x 2 -y 2
sleep 0.3
tm send-keys -t $t l
tm resize-window -t $t -x 100 -y 32
check "back to 100×32: the frame returns" $t hides $t "terminal too small"
check "keys pressed while too small still count (step 3)" $t shows $t "step 3/"
tm send-keys -t $t h
check "back to 100×32: step 2 drawn exactly as before" $t whole_screen_is $t "$work/$t.reference"
tm send-keys -t $t q
finish $t 0 "q after too small"

# ---- Ctrl-C, SIGTERM, SIGHUP ------------------------------------------------------------
t=ctrlc
start $t --
check "Ctrl-C run starts" $t shows $t "step 1/"
tm send-keys -t $t C-c
finish $t 130 "Ctrl-C"

for sig in TERM HUP; do
    t=sig$sig
    start $t --
    check "SIG$sig run starts" $t shows $t "step 1/"
    kill -s $sig "$(cat "$work/$t.pid")"
    expected=$(( 128 + $(kill -l $sig) ))
    finish $t $expected "SIG$sig"
done

# ---- Ctrl-Z, then fg --------------------------------------------------------------------
t=suspend
tm new-session -d -s $t -x 100 -y 32 "env PS1='prompt\$ ' bash --norc --noprofile -i"
check "interactive shell for Ctrl-Z" $t shows $t 'prompt$'
tm send-keys -t $t "stty -g > $work/$t.before; clear" Enter
tm send-keys -t $t "$tatami" Enter
check "Ctrl-Z run starts" $t shows $t "step 1/"
tm send-keys -t $t l
check "Ctrl-Z run: step 2" $t shows $t "step 2/"
screen $t >"$work/$t.screen"
tm send-keys -t $t C-z
check "Ctrl-Z suspends to the shell" $t shows $t "Stopped"
tm send-keys -t $t "fg" Enter
check "fg brings the player back" $t shows $t "step 2/"
check "fg: the screen comes back whole" $t eval '[[ $(screen '$t') == "$(cat '"$work/$t.screen"')" ]]'
tm send-keys -t $t q
last_line_is_prompt() { screen "$1" | grep -v '^[[:space:]]*$' | tail -n 1 | grep -qF 'prompt$'; }
check "q after fg returns to the shell" $t last_line_is_prompt $t
tm send-keys -t $t "stty -g > $work/$t.after" Enter
if poll 5 exists "$work/$t.after" && cmp -s "$work/$t.before" "$work/$t.after"; then
    ok "Ctrl-Z/fg/q: stty -g unchanged"
else
    not_ok "Ctrl-Z/fg/q: terminal modes changed" $t
fi

# ---- the terminal closed under it ----------------------------------------------------------
t=closed
start $t --
check "closed-terminal run starts" $t shows $t "step 1/"
pid=$(cat "$work/$t.pid")
# Idle while paused: waiting for keys must not cost CPU either (two seconds, at most a tenth).
idle_before=$(cpu_ticks "$pid")
sleep 2
idle_after=$(cpu_ticks "$pid")
if (( idle_after - idle_before <= ticks_per_second / 5 )); then
    ok "paused: idle ($(( idle_after - idle_before )) ticks of CPU in 2 s)"
else
    not_ok "paused: $(( idle_after - idle_before )) ticks of CPU in 2 s while waiting for keys"
fi
tm kill-session -t $t
dies_idle "terminal closed" "$pid"

# The same with SIGHUP ignored (nohup): only the failing reads can tell it the terminal left.
t=closednohup
tm new-session -d -s $t -x 100 -y 32 \
    "bash -c 'trap \"\" HUP; echo \$\$ >$work/$t.pid; exec \"$tatami\"'"
check "closed-terminal run with SIGHUP ignored starts" $t shows $t "step 1/"
pid=$(cat "$work/$t.pid")
tm kill-session -t $t
dies_idle "terminal closed, SIGHUP ignored" "$pid"

# ---- no curses where it cannot work ----------------------------------------------------------
one_line_error() { # one_line_error TAG NAME
    local tag=$1 name=$2
    if ! poll 10 exists "$work/$tag.after"; then not_ok "$name: ends" "$tag"; return; fi
    local rc lines
    rc=$(cat "$work/$tag.rc")
    lines=$(wc -l <"$work/$tag.err")
    if [[ $rc != 0 ]]; then ok "$name: non-zero exit ($rc)"; else not_ok "$name: exit code 0"; fi
    if [[ $lines == 1 ]] && grep -q TERM "$work/$tag.err"; then
        ok "$name: one line naming TERM: $(cat "$work/$tag.err")"
    else
        not_ok "$name: expected one line about TERM on stderr, got: $(cat "$work/$tag.err")"
    fi
    if cmp -s "$work/$tag.before" "$work/$tag.after"; then ok "$name: stty -g unchanged"; else not_ok "$name: terminal modes changed"; fi
}
# TERM=dumb says the terminal shows lines and nothing more: the lesson is told in sentences.
no_box_drawing() { ! screen "$1" | grep -q '[─│┌┐└┘├┤┬┴┼]'; }
# Lesson 01's step count, as the course lists it.
steps01=$("$tatami" list | sed -nE 's/^01 .* ([0-9]+) steps .*/\1/p')
t=dumb
start $t TERM=dumb -- play 01
check "TERM=dumb: plays in sentences (Step 1 of …)" $t shows $t "Step 1 of $steps01"
check "TERM=dumb: no alternate screen" $t eval '! on_alternate '$t
check "TERM=dumb: no box drawing" $t no_box_drawing $t
tm send-keys -t $t q Enter
finish $t 0 "q with TERM=dumb"

# ---- --plain: a linear mode for screen readers ----------------------------------------------
t=plain
start $t -- play 01 --plain
check "--plain: step 1 in words" $t shows $t "Step 1 of $steps01"
tm send-keys -t $t Enter
check "--plain: Enter goes to step 2" $t shows $t "Step 2 of $steps01"
tm send-keys -t $t Enter
check "--plain: Enter again goes to step 3" $t shows $t "Step 3 of $steps01"
check "--plain: no alternate screen" $t eval '! on_alternate '$t
check "--plain: no box drawing" $t no_box_drawing $t
tm send-keys -t $t q Enter
finish $t 0 "q with --plain"
t=unknown
start $t TERM=no-such-terminal-e2e --
one_line_error $t "unknown TERM"
t=unset
start $t -u TERM --
one_line_error $t "TERM unset"

no_escapes() { ! grep -q $'\e' "$1"; }
t=pipe
tm new-session -d -s $t -x 100 -y 32 \
    "bash -c '\"$tatami\" | cat >$work/$t.out; echo \${PIPESTATUS[0]} >$work/$t.rc; sleep 600'"
if poll 20 exists "$work/$t.rc"; then
    ok "stdout into a pipe: ends by itself (exit $(cat "$work/$t.rc"))"
    if no_escapes "$work/$t.out"; then ok "stdout into a pipe: no escape codes"; else not_ok "stdout into a pipe: escape codes in the output"; fi
else
    not_ok "stdout into a pipe: still running" $t
fi
t=devnull
tm new-session -d -s $t -x 100 -y 32 \
    "bash -c '\"$tatami\" </dev/null >$work/$t.out; echo \$? >$work/$t.rc; sleep 600'"
if poll 20 exists "$work/$t.rc"; then ok "stdin from /dev/null: ends by itself (exit $(cat "$work/$t.rc"))"; else not_ok "stdin from /dev/null: still running" $t; fi

# ---- colours through roles, and their absence -------------------------------------------------
bold_status() { tm capture-pane -e -p -t "$1" | tail -n 1 | grep -qE $'\e\\[([0-9]+;)*1(;[0-9]+)*m'; }
has_colour() { tm capture-pane -e -p -t "$1" | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+)(;[0-9;]*)?m'; }
# The grid shows a window cell as *n, a source cell as <n, the destination as >n.
marked_grid() {
    local text
    text=$(frame_without_status "$1")
    grep -qE '(^| )\* *-?[0-9]' <<<"$text" && grep -qE '(^| )< *-?[0-9]' <<<"$text" && grep -qE '(^| )> *-?[0-9]' <<<"$text"
}
# marker_attributes TAG: for each of * < >, the marker and the SGR parameters in force just
# before its first occurrence in the grid (as tmux reports them with capture-pane -e).
marker_attributes() {
    tm capture-pane -e -p -t "$1" | sed '$d' | python3 -c '
import re, sys
text = sys.stdin.read()
for marker in "*<>":
    m = re.search(r"\x1b\[([0-9;]*)m(?:\x1b\[(?:39|49)m)*" + re.escape(marker) + r" *-?[0-9]", text)
    print(marker, m.group(1) if m else "")
'
}
t=colour
start $t --
check "colour run starts" $t shows $t "step 1/"
check "colours are used where the terminal has them" $t has_colour $t
tm send-keys -t $t q
finish $t 0 "q in colour"
for variant in NO_COLOR=1 TERM=vt100; do
    t=mono${variant%%=*}
    start $t "$variant" -- play 01 --numbers
    check "$variant run starts" $t shows $t "step 1/"
    if has_colour $t; then not_ok "$variant: no colours" $t; else ok "$variant: no colours"; fi
    check "$variant: attributes still mark the status line" $t bold_status $t
    # Step on until a step highlights a window, its source cells and the cell being written.
    for attempt in 1 2 3 4 5 6; do
        marked_grid $t && break
        before=$(status_line $t)
        tm send-keys -t $t l
        poll 2 eval '[[ $(status_line '$t') != "$before" ]]' || break
    done
    if marked_grid $t; then
        ok "$variant: grid cells carry the ASCII markers * < > besides attributes"
        marks=$(marker_attributes $t)
        if [[ $(wc -l <<<"$marks") == 3 ]] && [[ $(cut -d' ' -f2 <<<"$marks" | sort -u | wc -l) == 3 ]] \
            && ! grep -qE ' (0|)$' <<<"$marks"; then
            ok "$variant: window, source and destination each have attributes of their own ($(tr '\n' ' ' <<<"$marks"))"
        else
            not_ok "$variant: highlights not distinguishable by attributes: $(tr '\n' ' ' <<<"$marks")" $t
        fi
    else
        not_ok "$variant: no step with the markers * < > in the first steps" $t
    fi
    tm send-keys -t $t q
    finish $t 0 "q with $variant"
done

# ---- one look for every front end ------------------------------------------------------------
# Roles have one table of colours and attributes: a step as the player draws it (as tmux keeps
# it), as `render --color always` prints it and as a `record`ed asciicast shows it, all at the
# player's frame size, must agree cell by cell, and the grid's marks (found by their characters)
# must sit on their roles' colours.
cat >"$work/looks.py" <<'EOF'
import json, sys, unicodedata

# looks.py marks WIDTH HEIGHT SCREEN: the grid marks (* < > ^ +) that SCREEN (tmux
# capture-pane -e, status line removed) shows in a colour of their own.
# looks.py compare WIDTH HEIGHT PLAYER RENDER CAST MARKS: the colours and attributes of every cell
# of one step as the player drew it, as `render --color always` printed it and as the
# asciicast recording shows it once replayed, SGR parsed into (fg, bg, attributes) per cell,
# so that tmux's way of writing SGR does not matter. Each of MARKS must be found in the player's
# grid on a colour of its own, its cells alike in all three, and every other cell as well.
MODE, W, H = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
MARKS = "*<>^+"

def cell_width(ch):
    if unicodedata.combining(ch): return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1

class Screen:
    def __init__(self):
        self.chars = [[" "] * W for _ in range(H)]
        self.pens = [[None] * W for _ in range(H)]
        self.row = self.col = 0
        self.fg = self.bg = None
        self.attrs = set()
        self.problems = []

    def pen(self):
        return (self.fg, self.bg, frozenset(self.attrs))

    def sgr(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        while codes:
            c = codes.pop(0)
            if c == 0: self.fg = self.bg = None; self.attrs = set()
            elif c in (1, 2, 4, 7): self.attrs.add(c)
            elif c == 22: self.attrs -= {1, 2}
            elif c in (24, 27): self.attrs.discard(c - 20)
            elif 30 <= c <= 37: self.fg = c - 30
            elif c == 39: self.fg = None
            elif 40 <= c <= 47: self.bg = c - 40
            elif c == 49: self.bg = None
            elif 90 <= c <= 97: self.fg = c - 90 + 8
            elif 100 <= c <= 107: self.bg = c - 100 + 8
            elif c in (38, 48):
                kind = codes.pop(0) if codes else None
                if kind == 5: v = codes.pop(0) if codes else None
                elif kind == 2: v = tuple(codes[:3]); del codes[:3]
                else: v = None
                if c == 38: self.fg = v
                else: self.bg = v
            else: self.problems.append("SGR %d" % c)

    def erase(self, row, cols):
        for x in cols:
            self.chars[row][x] = " "
            self.pens[row][x] = (None, self.bg, frozenset())

    def feed(self, text):
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "\x1b" and text[i + 1:i + 2] == "[":
                j = i + 2
                while j < len(text) and not ("\x40" <= text[j] <= "\x7e"): j += 1
                params, final = text[i + 2:j], text[j]
                i = j + 1
                if final == "m": self.sgr(params)
                elif final == "H":
                    p = (params.split(";") + ["", ""])[:2]
                    self.row, self.col = int(p[0] or 1) - 1, int(p[1] or 1) - 1
                elif final == "J" and params == "2":
                    for r in range(H): self.erase(r, range(W))
                elif final == "K" and params in ("", "0"): self.erase(self.row, range(self.col, W))
                elif final in "hl" and params == "?25": pass
                else: self.problems.append("ESC[" + params + final)
                continue
            i += 1
            if ch == "\n":
                self.row, self.col = self.row + 1, 0
                continue
            w = cell_width(ch)
            if w == 0 or self.row >= H or self.col + w > W: continue
            self.chars[self.row][self.col] = ch
            self.pens[self.row][self.col] = self.pen()
            if w == 2:
                self.chars[self.row][self.col + 1] = ""
                self.pens[self.row][self.col + 1] = self.pen()
            self.col += w

    def text(self):
        return ["".join(r).rstrip() for r in self.chars]

    def look(self, row, col):
        # A blank cell never written has the terminal's own look.
        return self.pens[row][col] or (None, None, frozenset())

def read(path):
    with open(path, encoding="utf-8") as f: return f.read()

def marked_cells(screen):
    """Cells of a role: a grid mark on a background, starting a stretch of that look (a `*`
    inside the highlighted code line is not a mark), and the cell after it; by mark."""
    roles = {}
    for r in range(H):
        for c in range(W - 1):
            ch = screen.chars[r][c]
            look = screen.look(r, c)
            if ch in MARKS and look[1] is not None and (c == 0 or screen.look(r, c - 1) != look):
                roles.setdefault(ch, []).extend([(r, c), (r, c + 1)])
    return roles

if MODE == "marks":
    screen = Screen()
    screen.feed(sys.stdin.read() if sys.argv[4] == "-" else read(sys.argv[4]))
    print("".join(sorted(marked_cells(screen))))
    sys.exit(0)

player, render = Screen(), Screen()
player.feed(read(sys.argv[4]))
render.feed(read(sys.argv[5]))

# The recording: replayed event by event until the screen shows render's frame.
cast, found = Screen(), False
lines = read(sys.argv[6]).splitlines()
header = json.loads(lines[0])
if (header["width"], header["height"]) != (W, H):
    print("the recording is %dx%d, not %dx%d" % (header["width"], header["height"], W, H)); sys.exit(1)
for line in lines[1:]:
    _, kind, text = json.loads(line)
    if kind != "o": continue
    cast.feed(text)
    if cast.text() == render.text():
        found = True
        break

def describe(pen):
    fg, bg, attrs = pen
    names = {1: "bold", 2: "dim", 4: "underline", 7: "reverse"}
    return "fg %s bg %s%s" % ("-" if fg is None else fg, "-" if bg is None else bg,
                              "".join(" " + names.get(a, str(a)) for a in sorted(attrs)))

failed = []
if not found: failed.append("no moment of the recording shows the rendered frame")
if player.text() != render.text():
    diff = [n for n, (a, b) in enumerate(zip(player.text(), render.text())) if a != b]
    failed.append("the player and render show different text (rows %s)" % diff[:5])
for name, s in (("player", player), ("render", render), ("recording", cast)):
    if s.problems: failed.append("%s: unexpected sequences %s" % (name, sorted(set(s.problems))[:5]))

roles = marked_cells(player)
for mark, cells in sorted(roles.items()):
    looks = {
        "player": {player.look(r, c) for r, c in cells},
        "render": {render.look(r, c) for r, c in cells},
        "recording": {cast.look(r, c) for r, c in cells},
    }
    if len(looks["player"]) != 1:
        failed.append("%s cells look different from each other in the player: %s" % (mark, [describe(p) for p in looks["player"]]))
    if looks["render"] != looks["player"] or looks["recording"] != looks["player"]:
        failed.append("%s cells: player %s, render %s, recording %s" % (mark, *[sorted(map(describe, looks[k])) for k in ("player", "render", "recording")]))
    else:
        print("%s %d cells: %s in player, render and recording" % (mark, len(cells), describe(next(iter(looks["player"])))))
for mark in sys.argv[7]:
    if mark not in roles: failed.append("no coloured %s cells in the player's grid" % mark)
pens = [next(iter({player.look(r, c) for r, c in cells})) for cells in roles.values()]
if len(set(pens)) != len(pens): failed.append("two roles share a look in the player")

# And every other cell of the frame as well.
for other, name in ((render, "render"), (cast, "recording")):
    wrong = [(r, c) for r in range(H) for c in range(W) if player.chars[r][c] != "" and player.look(r, c) != other.look(r, c)]
    if wrong:
        r, c = wrong[0]
        failed.append("%d cells look different in the player and %s, first at row %d column %d (%r): %s vs %s"
                      % (len(wrong), name, r + 1, c + 1, player.chars[r][c], describe(player.look(r, c)), describe(other.look(r, c))))
    else:
        print("every cell: the player and %s agree" % name)
for f in failed: print("MISMATCH " + f)
sys.exit(1 if failed else 0)
EOF
# coloured_marks TAG: the grid marks the player shows on a colour of their own.
coloured_marks() { tm capture-pane -e -p -t "$1" | sed '$d' | python3 "$work/looks.py" marks 100 31 -; }
has_marks() { # has_marks TAG MARKS
    local found i
    found=$(coloured_marks "$1")
    for (( i = 0; i < ${#2}; i++ )); do [[ $found == *"${2:i:1}"* ]] || return 1; done
}
same_looks() { # same_looks TAG LESSON MARKS: steps on until MARKS show, then compares
    local t=$1 lesson=$2 marks=$3 i=0 before step out
    start $t -- play "$lesson"
    check "looks of lesson $lesson: starts" $t shows $t "step 1/"
    # A question box takes a key of its own: wait for any change of the screen, not the step,
    # and compare only a step with no box over it.
    while (( i < 40 )) && ! { hides $t "press any key to see the step" && hides $t "Tab show answer" && has_marks $t "$marks"; }; do
        before=$(screen $t)
        # A question that takes a typed answer: Tab shows the answer, and the next key the step.
        if shows $t "Tab show answer"; then tm send-keys -t $t Tab; poll 2 shows $t "press any key to see the step"; fi
        tm send-keys -t $t l
        poll 2 eval '[[ $(screen '$t') != "$before" ]]' || break
        i=$((i + 1))
    done
    if hides $t "press any key to see the step" && has_marks $t "$marks"; then
        step=$(status_line $t | sed -E 's/.*step ([0-9]+)\/.*/\1/')
        tm capture-pane -e -p -t $t | sed '$d' >"$work/$t.player"
        "$tatami" render "$lesson" --step "$step" --color always --size 100x31 >"$work/$t.render" 2>"$work/$t.err"
        "$tatami" record "$lesson" -o "$work/$t.cast" --size 100x31 2>>"$work/$t.err"
        if out=$(python3 "$work/looks.py" compare 100 31 "$work/$t.player" "$work/$t.render" "$work/$t.cast" "$marks" 2>&1); then
            ok "looks of lesson $lesson step $step: player, render and recording agree ($(grep -E '^[*<>^+] ' <<<"$out" | sed 's/ in player.*//' | paste -sd ';' -))"
        else
            not_ok "looks of lesson $lesson step $step: $(grep -v '^every cell' <<<"$out" | paste -sd ';' -) $(cat "$work/$t.err")" $t
        fi
    else
        not_ok "looks of lesson $lesson: no step with the marks $marks in colour" $t
    fi
    tm send-keys -t $t q
    finish $t 0 "q after the looks of lesson $lesson"
}
same_looks looks01 01 '*<>'
same_looks looks10 10 '^'
same_looks looks08 08 '+'

# ---- questions: typed answers, the hint, asked again until answered, the log ---------------
t=quiz
start $t -- play 01 --log "$work/class-a.jsonl"
check "questions: lesson 01 starts" $t shows $t "step 1/"
tm send-keys -t $t g 4 Enter
check "questions: g 4 Enter goes to step 4" $t status_has $t "step 4/"
tm send-keys -t $t l
check "questions: step 5 is asked first (the box takes a typed answer)" $t shows $t "Enter check  Tab show answer  Esc later"
check "questions: the step behind the box is not shown yet" $t status_has $t "step 4/"
tm send-keys -t $t Escape
check "questions: Esc leaves the question for later" $t hides $t "Tab show answer"
tm send-keys -t $t h
check "questions: back to step 3" $t status_has $t "step 3/"
tm send-keys -t $t l
check "questions: forward to step 4" $t status_has $t "step 4/"
tm send-keys -t $t l
check "questions: the question returns when its step is reached again" $t shows $t "Tab show answer"
tm send-keys -t $t -l "x_pad[0,0,0,2]"
check "questions: the answer is typed into the box" $t shows $t "Answer: x_pad[0,0,0,2]_"
tm send-keys -t $t Enter
check "questions: a wrong answer is told so" $t shows $t "Not yet (2 tries left)."
check "questions: a wrong answer gets the arithmetic as a hint" $t shows $t "Hint: the step before: out[0, 0, 0, 1] ="
tm send-keys -t $t -l "x_pad[0,0,0,2] x_pad[0,0,0,3] x_pad[0,0,1,2] x_pad[0,0,1,3]"
tm send-keys -t $t Enter
check "questions: a right answer is accepted" $t shows $t "Right."
tm send-keys -t $t Enter
check "questions: then the step is shown" $t status_has $t "step 5/"
check "questions: with the lesson's answer" $t shows $t "Answer: 3, 4, 7 and 8"
tm send-keys -t $t h
check "questions: back to step 4 once answered" $t status_has $t "step 4/"
tm send-keys -t $t l
check "questions: an answered question is not asked again" $t status_has $t "step 5/"
check "questions: no box over step 5" $t hides $t "Tab show answer"
tm send-keys -t $t q
finish $t 0 "q after the questions"
if grep -q '"step": 5, "phase": "slide", .*"correct": true, "tries": 2' "$work/class-a.jsonl" 2>/dev/null; then
    ok "questions: --log wrote the answer (step 5, right at the second try)"
else
    not_ok "questions: --log wrote $(cat "$work/class-a.jsonl" 2>&1)"
fi

# ---- practice: the student produces each step ------------------------------------------------
# Lesson 01: input, padding and the first two outputs are shown worked; output c is asked.
t=practice
start $t -- practice 01 --log "$work/class-b.jsonl"
check "practice: starts on step 1" $t shows $t "step 1/"
tm send-keys -t $t l l l
check "practice: the worked steps are shown (step 4)" $t status_has $t "step 4/"
tm send-keys -t $t l
check "practice: step 5 must be produced first" $t shows $t "What does out[0,0,0,2] hold"
tm send-keys -t $t -l 63
tm send-keys -t $t Enter
check "practice: a wrong value is rejected" $t shows $t "Not yet (2 tries left)."
check "practice: the hint is the sum without its result" $t shows $t "Hint: out[0, 0, 0, 2] = 3·1 + 4·2 + 7·3 + 8·4 = ?"
tm send-keys -t $t -l 64
tm send-keys -t $t Enter
check "practice: the right value is accepted" $t shows $t "Right."
tm send-keys -t $t Enter
check "practice: then step 5 is revealed" $t status_has $t "step 5/"
tm send-keys -t $t l
check "practice: step 6 is asked" $t shows $t "What does out[0,0,1,0] hold"
tm send-keys -t $t -l 84
tm send-keys -t $t Enter
check "practice: 84 is right at the first try" $t shows $t "Right."
tm send-keys -t $t Enter
check "practice: step 6 is revealed" $t status_has $t "step 6/"
tm send-keys -t $t q
finish $t 0 "q after the practice"

# ---- report: the two logs above, worst step first ---------------------------------------------
# Step 5 was right at the second try twice (0 of 2 at the first try); step 6 once at the first.
report=$("$tatami" report "$work/class-a.jsonl" "$work/class-b.jsonl" 2>&1)
if [[ $(sed -n 2p <<<"$report") =~ ^01\ +5\ +slide\ +0/2 && $(sed -n 3p <<<"$report") =~ ^01\ +6\ +slide\ +1/1 ]]; then
    ok "report: 01/5 (0 of 2) before 01/6 (1 of 1)"
else
    not_ok "report: $report"
fi
if "$tatami" report --json "$work/class-a.jsonl" "$work/class-b.jsonl" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["rows"]
sys.exit(0 if [(r["step"], r["right_first_try"], r["answers"]) for r in rows] == [(5, 0, 2), (6, 1, 1)] else 1)'; then
    ok "report --json: the same rows in the same order"
else
    not_ok "report --json: $("$tatami" report --json "$work/class-a.jsonl" "$work/class-b.jsonl" 2>&1)"
fi

# ---- render --all asks before it answers; check refuses an answer the layer disagrees with ----
"$tatami" render 01 --all >"$work/render01.txt" 2>&1
q=$(grep -n "^Question: Before it is built" "$work/render01.txt" | head -1 | cut -d: -f1)
a=$(grep -n "^Answer: (4, 9)" "$work/render01.txt" | head -1 | cut -d: -f1)
if [[ -n $q && -n $a ]] && (( q < a )); then ok "render --all: the im2col question (line $q) before its answer (line $a)"
else not_ok "render --all: question at '${q:-none}', answer at '${a:-none}'"; fi
mkdir -p "$work/bad"
sed 's/^answer: (4, 9)$/answer: (9, 4)/' Lessons/01-sliding-filter.md >"$work/bad/01-bad.md"
line=$(grep -n '^answer: (9, 4)$' "$work/bad/01-bad.md" | cut -d: -f1)
if out=$("$tatami" check "$work/bad/01-bad.md" 2>&1); then
    not_ok "check accepted an answer the layer does not compute"
elif grep -qF "01-bad.md:$line:9: no tensor of this phase has the shape (9, 4)" <<<"$out"; then
    ok "check refuses a wrong answer at its file:line ($line)"
else
    not_ok "check: $out"
fi

# ---- backward and pooling lessons played to their end ----------------------------------------
# Every step of the convolution backward lesson and of the two pooling-backward lessons, one
# key at a time (a question takes a key of its own), then every phase again with `]`.
play_to_end() { # play_to_end TAG LESSON PHASE...: the phases that must be passed on the way
    local t=$1 lesson=$2
    shift 2
    start $t -- play "$lesson"
    check "lesson $lesson starts" $t shows $t "step 1/"
    local total
    total=$(status_line $t | sed -E 's/.*step [0-9]+\/([0-9]+).*/\1/')
    local i=0
    while (( i < 2 * total + 4 )) && ! at_end $t; do
        if shows $t "Tab show answer"; then tm send-keys -t $t Tab; poll 2 shows $t "press any key to see the step"; fi
        tm send-keys -t $t l
        sleep 0.02
        i=$((i + 1))
    done
    check "lesson $lesson: every step, to step $total/$total" $t at_end $t
    tm send-keys -t $t Home
    check "lesson $lesson: back to step 1" $t shows $t "step 1/"
    local seen=" $(phase_title $t) " j=0 before
    while (( j < 40 )); do
        before=$(status_line $t)
        tm send-keys -t $t ']'
        poll 1 eval '[[ $(status_line '$t') != "$before" ]]' || break
        seen+="$(phase_title $t) "
        j=$((j + 1))
    done
    local phase
    for phase in "$@"; do
        if [[ $seen == *" $phase "* ]]; then ok "lesson $lesson: phase $phase shown"
        else not_ok "lesson $lesson: phase $phase not among:$seen" $t; fi
    done
    tm send-keys -t $t q
    finish $t 0 "q after lesson $lesson"
}
play_to_end back 07 dactivation grad-w grad-b grad-cols col2im crop
play_to_end poolback 10 argmax route col2im
play_to_end pitfall 11 route-seed-bug

# ---- a locale without UTF-8 ------------------------------------------------------------------
# Under LANG=C the player may only write ASCII: box drawing and typography fall back to
# ASCII look-alikes, not to question marks, and Japanese (which has no fallback) is replaced
# by a note saying what locale it needs.
only_ascii() { ! screen "$1" | LC_ALL=C grep -q '[^ -~]'; }
header_clean() { ! screen "$1" | sed -n '1,3p' | grep -qF '?'; }
t=clocale
start $t LANG=C LC_ALL= --
check "LANG=C run starts" $t shows $t "step 1/"
check "LANG=C: the frame is ASCII only" $t only_ascii $t
check "LANG=C: the header has ASCII fallbacks, no question marks" $t header_clean $t
tm send-keys -t $t l
check "LANG=C: step 2" $t shows $t "step 2/"
check "LANG=C: step 2 is ASCII only" $t only_ascii $t
tm send-keys -t $t '?'
check "LANG=C: the help box is drawn with ASCII (+-)" $t shows $t "+- "
check "LANG=C: the help is ASCII only" $t only_ascii $t
tm send-keys -t $t '?'
check "LANG=C: help closed" $t hides $t "+- "
tm send-keys -t $t L
check "LANG=C, Japanese: the note that it needs a UTF-8 locale" $t shows $t "Japanese needs a UTF-8 locale"
check "LANG=C, Japanese: still ASCII only" $t only_ascii $t
tm resize-window -t $t -x 30 -y 8
check "LANG=C: the too-small screen uses x, not ×" $t eval 'screen '$t' | grep -qE "[0-9]+x[0-9]+"'
check "LANG=C: the too-small screen is ASCII only" $t only_ascii $t
tm resize-window -t $t -x 100 -y 32
tm send-keys -t $t q
finish $t 0 "q with LANG=C"

# ---- a refused command line never reaches the terminal ---------------------------------------
# Options are checked before the player starts: a refusal is one line, exit code 64, and the
# terminal is left as it was (never raw, never on the alternate screen).
refused() { # refused TAG EXPECTED_LINE NAME
    local tag=$1 line=$2 name=$3
    finish "$tag" 64 "$name"
    if [[ $(cat "$work/$tag.err") == "$line" ]]; then ok "$name: says \"$line\""; else
        not_ok "$name: expected \"$line\" on stderr, got: $(cat "$work/$tag.err")"
    fi
}
t=negstride
start $t -- play --op conv --stride -1
refused $t "tatami: --stride must be at least 1 (got -1)." "play --stride -1"
t=badlang
start $t -- play 01 --lang fr
refused $t 'tatami: --lang must be en or ja, not "fr".' "play --lang fr"
t=poolfilter
start $t -- play --op pool --filter 1,1,2,2
refused $t "tatami: --filter does not apply to pooling: pooling has a window (--pool), not a filter." "play --op pool --filter"
t=typo
start $t -- play --strid 2
refused $t "tatami: Unknown option '--strid'. Did you mean '--stride'?" "play --strid (argument-parser's own refusal)"

# ---- --ascii: ASCII symbols, Japanese kept --------------------------------------------------
# For terminals that draw East Asian ambiguous-width symbols two columns wide.
no_ambiguous() { ! screen "$1" | grep -q '[─│┌┐└┘·×→←…▶]'; }
for how in option variable; do
    t=ascii-$how
    if [[ $how == option ]]; then start $t -- play 01 --lang ja --ascii; else start $t TATAMI_ASCII=1 -- play 01 --lang ja; fi
    check "--ascii ($how): Japanese status line" $t status_has $t "ステップ 1/"
    check "--ascii ($how): no ambiguous-width symbol on screen" $t no_ambiguous $t
    tm send-keys -t $t l
    check "--ascii ($how): step 2" $t status_has $t "ステップ 2/"
    check "--ascii ($how): step 2 has no ambiguous-width symbol" $t no_ambiguous $t
    tm send-keys -t $t '?'
    check "--ascii ($how): the help box is drawn with ASCII (+-)" $t shows $t "+- "
    check "--ascii ($how): the help is in Japanese" $t shows $t "次のステップ"
    check "--ascii ($how): the help has no ambiguous-width symbol" $t no_ambiguous $t
    tm send-keys -t $t '?'
    tm send-keys -t $t q
    finish $t 0 "q with --ascii ($how)"
done
t=unicode
start $t -- play 01 --lang ja
check "without --ascii: box drawing on screen" $t shows $t "───"
tm send-keys -t $t q
finish $t 0 "q without --ascii"

# ---- the inspector: keys, marks, panel and a mouse click ------------------------------------
# Lesson 01's output e is y[0,0,1,1] = 6W + 7X + 10Y + 11Z = 94 (W X Y Z = 1 2 3 4). A click on it
# selects it; back in the im2col phase its window (input 6, 7, 10, 11) and the fifth column of
# cols, (b,oh,ow) = (0,1,1), carry the lineage's mark `~` and nothing else does.
# click TAG ROW COLUMN (0-based): a press of the first button as an xterm-style terminal sends it
# (X10 encoding, the one tmux's default TERM announces), typed into the pane.
click() {
    local b x y
    printf -v b '\\%03o' 32
    printf -v x '\\%03o' $(( $3 + 33 ))
    printf -v y '\\%03o' $(( $2 + 33 ))
    tm send-keys -t "$1" -l "$(printf "\033[M$b$x$y")"
}
tildes() { frame_without_status "$1" | tr -cd '~' | wc -c; }
# The screen columns of `~` right of column 30 (where cols stands beside x_pad), one per line.
tilde_columns() { frame_without_status "$1" | awk '{ n = length($0); for (i = 31; i <= n; i++) if (substr($0, i, 1) == "~") print i }' | sort -u; }
t=inspect
start $t -- play 01 --numbers
check "inspector run starts" $t shows $t "step 1/"
tm send-keys -t $t End i
check "i: the step's cell is inspected (status line)" $t status_has $t "inspect: y[0,0,2,2]"
check "i: the panel tells how it was made" $t shows $t "Inspecting y[0, 0, 2, 2] = 144"
# Output e in the y grid: the second "94" on the row that shows 84 94 104 twice.
row=$(screen $t | grep -n -m1 '84 .* 94 .*104 .*84 .* 94' | cut -d: -f1)
line=$(screen $t | sed -n "${row}p")
before=${line%%94*}
after=${line#*94}
between=${after%%94*}
column=$(( ${#before} + 2 + ${#between} ))
[[ -n $row ]] && ok "the y grid is on screen (row $row)" || not_ok "the y grid is on screen" $t
click $t $(( row - 1 )) $column
check "a click on e selects y[0,0,1,1]" $t status_has $t "inspect: y[0,0,1,1]"
check "the panel: e = 94, the sum of the window's products" $t shows $t "u[0, 4] = 1·6 + 2·7 + 3·10 + 4·11 = 94"
check "the panel: e comes from input cells 6, 7, 10, 11" $t shows $t "from: x[0,0,1,1] x[0,0,1,2] x[0,0,2,1] x[0,0,2,2]"
tm send-keys -t $t g 2 0 Enter
check "back at step 20 (im2col), the selection kept" $t eval 'status_has '$t' "step 20/" && status_has '$t' "inspect: y[0,0,1,1]"'
check "the window 6 7 / 10 11 in x_pad carries the lineage mark" $t eval 'shows '$t' "~ 6 ~ 7" && shows '$t' "~10 ~11"'
check "eight cells marked: the window and the four of cols' fifth column" $t eval '[[ $(tildes '$t') == 8 ]]'
fifth=$(screen $t | grep -m1 '0,0,0  0,0,1' | awk '{ print index($0, "0,1,1") }')
# A mark stands just left of its cell, whose text is right-aligned under its label.
check "cols' marks stand in one column, that of the label 0,1,1" $t eval '[[ $(tilde_columns '$t' | wc -l) == 1 && $(tilde_columns '$t') == '"$(( fifth - 1 ))"' ]]'
tm send-keys -t $t Left
check "an arrow moves the cursor beside the selection" $t status_has $t "cursor"
tm send-keys -t $t Escape
check "Esc leaves the inspector" $t eval 'status_lacks '$t' "inspect:" && [[ $(tildes '$t') == 0 ]]'
tm send-keys -t $t q
finish $t 0 "q after inspecting"

# ---- free play: live keys ----------------------------------------------------------------
t=live
start $t -- play --op conv --shape 1,1,6,6
check "free play's header names its settings" $t shows $t "stride 1 · pad 0 · dil 1 · filter 3×3 · x 6×6"
tm send-keys -t $t ']' ']' ']'
check "in the im2col phase" $t status_has $t "im2col"
frame_without_status $t >"$work/$t.stride1"
tm send-keys -t $t S
check "S: stride 2 in the header" $t shows $t "stride 2 · pad 0"
check "S: the picture changes (4 placements instead of 16)" $t eval 'differs_from '$t' "'"$work/$t.stride1"'" && shows '$t' "cols  (9, 4)"'
check "S: still in the im2col phase" $t status_has $t "im2col"
tm send-keys -t $t s s
check "s below 1 says why" $t status_has $t "at least 1"
check "s below 1 keeps stride 1" $t shows $t "stride 1 · pad 0"
tm send-keys -t $t P
check "P: pad 1" $t shows $t "stride 1 · pad 1"
tm send-keys -t $t '?'
check "the help lists the live keys" $t shows $t "s S  p P  d D"
tm send-keys -t $t '?' q
finish $t 0 "q after live changes"

# ---- every lesson of the course plays to its last step ----------------------------------------
# Phase by phase with ] (each phase's first frame drawn), then End; both languages' status lines.
while read -r lesson _; do
    t=course-$lesson
    start $t -- play "$lesson" --lang ja
    check "lesson $lesson: starts (ステップ 1/…)" $t status_has $t "ステップ 1/"
    # A question's box opens where `]` reaches its step: Tab shows its answer and goes on (and
    # where no box is open, Tab changes nothing).
    for _ in $(seq 40); do tm send-keys -t $t ']' Tab; done
    tm send-keys -t $t End Tab
    check "lesson $lesson: plays to its last step" $t at_end_ja $t
    tm send-keys -t $t q
    finish $t 0 "q at the end of lesson $lesson"
done < <("$tatami" list)

echo "$passed passed, $failed failed"
(( failed == 0 ))
