#!/usr/bin/env bash
# Show the live view without watching a terminal: run the blink example with --ui in a
# detached tmux session of fixed size (120x40), in real time for 5 virtual seconds, and print
# what the pane shows at a few moments and after the run. The LED on GPIO2 should be drawn
# lit (●) in some captures and dark (○) in others.
#
#   scripts/live-view-demo.sh            # uses `avmsim` from PATH, else python3 -m avmsim.cli
#   AVMSIM="python3 -m avmsim.cli" scripts/live-view-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "live-view-demo: tmux is not installed" >&2; exit 1; }
if [[ -z "${AVMSIM:-}" ]]; then
    if command -v avmsim >/dev/null; then AVMSIM=avmsim; else AVMSIM="python3 -m avmsim.cli"; fi
fi

socket="avmsim-demo-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true' EXIT

run="$AVMSIM --ui --realtime --board esp32-devkit firmware_images/blink.avm --timeout 5s"
# the pane stays after avmsim ends (sleep), so its last frame can be captured too
env -u TMUX tmux -L "$socket" -f /dev/null new-session -d -s demo -x 120 -y 40 -c "$PWD" \
    "$run; echo \"avmsim exited with status \$?\"; sleep 600"

capture() {   # a whole frame: retry while the pane is caught between two frames
    local text
    for _ in 1 2 3 4 5 6 7 8; do
        text=$(tmux_ capture-pane -p -t demo)
        [[ $(grep -c . <<<"$text") -ge 30 ]] && break
        sleep 0.05
    done
    echo "=== $1 ==="
    echo "$text"
}

elapsed=0
for at in 1.5 2.5 3.5 4.5; do
    sleep "$(awk -v a="$at" -v e="$elapsed" 'BEGIN { print a - e }')"
    elapsed=$at
    capture "after ${at} s"
done
for _ in $(seq 1 60); do          # wait (up to 15 s more) for the run to end
    tmux_ capture-pane -p -t demo | grep -q "avmsim exited with status" && break
    sleep 0.25
done
capture "after the run"
