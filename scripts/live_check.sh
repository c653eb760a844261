#!/usr/bin/env bash
# Live check of dx_perception_node on a real ROS 2 graph (README, "ROS 2", "Live check").
#
#   scripts/live_check.sh <bag> [cameras] [expected_hz] [tolerance] [play_rate]
#
#   bag          a rosbag2 with <cam>/image_raw, <cam>/camera_info and /tf_static
#   cameras      camera subset to run (default front_left,front_right)
#   expected_hz  expected output rate (default: the bag's rate of the first camera's images)
#   tolerance    accepted shortfall, 0..1 (default 0.2: at least 80 % of expected_hz)
#   play_rate    `ros2 bag play --rate` (default 1). With use_sim_time the node's time follows the
#                bag, so a machine that cannot process every set at the bag's rate can play it
#                slower and still check that every set is processed and published: rates are
#                counted per second of bag time, not of wall time.
#
# With the workspace sourced, it launches the node with use_sim_time:=true and the camera
# subset, checks that the launch arguments took effect and that every output topic is
# advertised before playback, plays the bag with `ros2 bag play <bag> --clock`, records the outputs
# with `ros2 bag record`, stops the node with SIGINT, and prints PASS/FAIL per check against
# the expected rate. Exit status 0 only when every check passes.
set -u

NODE=/dx_perception_node
OUT_NS=/perception
RATE_TOPICS="$OUT_NS/obstacles $OUT_NS/scan $OUT_NS/objects $OUT_NS/tracks $OUT_NS/status"

# --- helpers on `ros2 bag info` text (sourced by test/launch/live_check.test.ts) ------------

# Messages of topic $2 in `ros2 bag info` output $1 (0 when the topic is absent).
topic_count() {
  local n
  n=$(printf '%s\n' "$1" | grep -F "Topic: $2 |" | sed -n 's/.*| Count: \([0-9][0-9]*\).*/\1/p' | head -n1)
  echo "${n:-0}"
}

# Duration in seconds of the bag described by `ros2 bag info` output $1.
bag_duration_s() {
  printf '%s\n' "$1" | sed -n 's/^Duration:[[:space:]]*\([0-9][0-9.]*\)s.*/\1/p' | head -n1
}

# "PASS" when $1 >= $2 * (1 - $3), else "FAIL" (floating point, via awk).
rate_verdict() {
  awk -v got="$1" -v want="$2" -v tol="$3" 'BEGIN { print (got + 1e-9 >= want * (1 - tol)) ? "PASS" : "FAIL" }'
}

if [ "${LIVE_CHECK_LIB:-0}" = 1 ]; then return 0 2>/dev/null || exit 0; fi

# --- the check ----------------------------------------------------------------------------

BAG=${1:?usage: scripts/live_check.sh <bag> [cameras] [expected_hz] [tolerance] [play_rate]}
CAMERAS=${2:-front_left,front_right}
TOLERANCE=${4:-0.2}
PLAY_RATE=${5:-1}
FIRST_CAMERA=${CAMERAS%%,*}

command -v ros2 >/dev/null || { echo "live_check: ros2 not found; source /opt/ros/jazzy/setup.bash and the workspace's install/setup.bash" >&2; exit 2; }
[ -e "$BAG" ] || { echo "live_check: no bag at $BAG" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dx_live_check.XXXXXX)
FAILED=0
report() { # verdict, what
  echo "$1  $2"
  [ "$1" = PASS ] || FAILED=1
}

BAG_INFO=$(ros2 bag info "$BAG")
BAG_S=$(bag_duration_s "$BAG_INFO")
IMAGES=$(topic_count "$BAG_INFO" "/$FIRST_CAMERA/image_raw")
if [ -z "$BAG_S" ] || [ "$IMAGES" = 0 ]; then
  echo "live_check: $BAG has no /$FIRST_CAMERA/image_raw or no duration in 'ros2 bag info'" >&2
  exit 2
fi
EXPECTED_HZ=${3:-$(awk -v n="$IMAGES" -v s="$BAG_S" 'BEGIN { printf "%.2f", n / s }')}
awk -v r="$PLAY_RATE" 'BEGIN { exit !(r > 0) }' || { echo "live_check: play_rate $PLAY_RATE: expected a number > 0" >&2; exit 2; }
echo "bag: $BAG ($BAG_S s, /$FIRST_CAMERA/image_raw $IMAGES messages); cameras: $CAMERAS; expected $EXPECTED_HZ Hz per second of bag, tolerance $TOLERANCE; played at rate $PLAY_RATE"

# The node must use the DDS configuration of the ros2 commands below, or they may not see each
# other; the launch file would otherwise replace CYCLONEDDS_URI by the package's config.
DDS_ARG=()
case "${CYCLONEDDS_URI:-}" in
  file://*) DDS_ARG=("dds_config:=${CYCLONEDDS_URI#file://}") ;;
  '') ;;
  *) echo "live_check: CYCLONEDDS_URI is not a single file:// URI; the node uses the package's config/cyclonedds.xml" >&2 ;;
esac

# Each long-running ros2 command runs in its own process group, so it and its children stop together.
set -m
ros2 launch dx_perception perception.launch.py use_sim_time:=true "cameras:=$CAMERAS" "${DDS_ARG[@]}" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
cleanup() {
  for pid in ${RECORD_PID:-} ${PLAY_PID:-} ${NODE_PID:-}; do kill -INT -- "-$pid" 2>/dev/null; done
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  ros2 param get "$NODE" use_sim_time >/dev/null 2>&1 && break
  sleep 1
done
SIM=$(ros2 param get "$NODE" use_sim_time 2>&1)
case "$SIM" in *True*) report PASS "launch argument use_sim_time:=true took effect";; *) report FAIL "use_sim_time: $SIM";; esac
CAMS=$(ros2 param get "$NODE" cameras 2>&1)
WANT_CAMS="['$(printf '%s' "$CAMERAS" | sed "s/,/', '/g")']"
case "$CAMS" in *"$WANT_CAMS"*) report PASS "launch argument cameras:=$CAMERAS took effect";; *) report FAIL "cameras: $CAMS (expected $WANT_CAMS)";; esac

TOPICS=$(ros2 topic list)
for t in $RATE_TOPICS "$OUT_NS/$FIRST_CAMERA/depth"; do
  if printf '%s\n' "$TOPICS" | grep -qx "$t"; then report PASS "$t advertised before playback"; else report FAIL "$t not advertised before playback"; fi
done

# shellcheck disable=SC2086 # RATE_TOPICS is a list of topic names
ros2 bag record -s mcap -o "$WORK/out" --topics $RATE_TOPICS >"$WORK/record.log" 2>&1 &
RECORD_PID=$!
sleep 2 # let the recorder discover the topics
# The bag path goes before --clock: `--clock` takes an optional rate, so `--clock <bag>` reads the
# path as the rate and ros2 bag play stops. 100 Hz: the node's 30 Hz timer follows /clock, and
# the default 40 Hz would move sim time in 25 ms steps.
ros2 bag play "$BAG" --clock 100 --rate "$PLAY_RATE" >"$WORK/play.log" 2>&1 &
PLAY_PID=$!
wait "$PLAY_PID"
PLAY_RC=$?
PLAY_PID=
if [ "$PLAY_RC" = 0 ]; then report PASS "ros2 bag play finished"; else report FAIL "ros2 bag play exited $PLAY_RC: $(tail -n 3 "$WORK/play.log" | tr '\n' ' ')"; fi
sleep 2 # the last frame sets leave the pipeline
kill -INT -- "-$RECORD_PID" 2>/dev/null; wait "$RECORD_PID" 2>/dev/null; RECORD_PID=
kill -INT -- "-$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null; NODE_PID=

OUT_INFO=$(ros2 bag info "$WORK/out" 2>&1)
for t in $RATE_TOPICS; do
  n=$(topic_count "$OUT_INFO" "$t")
  hz=$(awk -v n="$n" -v s="$BAG_S" 'BEGIN { printf "%.2f", n / s }')
  report "$(rate_verdict "$hz" "$EXPECTED_HZ" "$TOLERANCE")" "$t: $n messages in $BAG_S s of bag = $hz Hz (expected $EXPECTED_HZ Hz)"
done

if grep -q 'clock mismatch' "$WORK/node.log"; then report FAIL "node warned of a clock mismatch: $(grep -m1 'clock mismatch' "$WORK/node.log")"; else report PASS "no clock mismatch warning"; fi
if grep -qE 'synchroniser dropped|dropped [0-9]+ input|no input message was dropped' "$WORK/node.log"; then
  report PASS "drop summary logged at shutdown"
else
  report FAIL "no drop summary in the node log"
fi
grep -E 'synchroniser dropped|dropped [0-9]+ input|no input message was dropped' "$WORK/node.log" | sed 's/^/    /'

echo "logs and the recorded outputs: $WORK"
if [ "$FAILED" = 0 ]; then echo "live check: PASS"; else echo "live check: FAIL"; fi
exit "$FAILED"
