#!/usr/bin/env bash
# Runs every test of the repository, as CI does (.ci/run calls exactly this):
#   1. installs what a fresh Debian 12 machine lacks (one ensure_* function per prerequisite);
#   2. starts a private redis-server on a free loopback port (GENSAFETY_TEST_REDIS=127.0.0.1:PORT);
#   3. builds the solution once, then runs each tests/*/*.Tests.csproj with a trx logger;
#   4. stops Redis (also on failure or interrupt) and sums the trx counters of all projects.
# The last line is "N passed, N failed" (", N skipped" when some were); the exit status is non-zero when a
# test failed or a project did not run. Results: artifacts/test-results/. Settings: CONFIGURATION (Release),
# TEST_HANG_TIMEOUT (5m: a hung test host is dumped and killed instead of eating CI's time).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

CONFIGURATION="${CONFIGURATION:-Release}"
HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-5m}"
RESULTS_DIR="$ROOT/artifacts/test-results"
REDIS_DIR="$ROOT/.redis-test"
REDIS_FIRST_PORT=6390
REDIS_LAST_PORT=6490
REDIS_PID=""
APT_UPDATED=0

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

# --- prerequisites ------------------------------------------------------------------------------------

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Installs Debian packages; the package lists are refreshed only when something is installed.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ensure_dotnet() {
    command -v dotnet >/dev/null 2>&1 && return 0
    die "the .NET SDK is missing: install the SDK named in global.json (https://dot.net) and put 'dotnet' on PATH"
}

ensure_redis() {
    command -v redis-server >/dev/null 2>&1 && return 0
    say "installing redis-server"
    apt_install redis-server
    command -v redis-server >/dev/null 2>&1 || die "redis-server is still not on PATH after installing it"
}

# promtool and prometheus (the deployment tests evaluate the dashboards' and alerts' PromQL on a real Prometheus).
# The Debian package also enables a prometheus service; the tests run their own process and never use it.
ensure_prometheus() {
    command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
    say "installing prometheus (prometheus, promtool)"
    apt_install prometheus
    command -v promtool >/dev/null 2>&1 || die "promtool is still not on PATH after installing prometheus"
}

# yamllint checks the Helm chart's plain YAML.
ensure_yamllint() {
    command -v yamllint >/dev/null 2>&1 && return 0
    say "installing yamllint"
    apt_install yamllint
    command -v yamllint >/dev/null 2>&1 || die "yamllint is still not on PATH after installing it"
}

# TorchSharp (the learned scorer's training and its tests) loads LibTorch 2.10, which needs GLIBCXX_3.4.32: the
# libstdc++ of GCC 13+. Debian 12 ships GCC 12's, so the library is taken from Debian 13 (trixie), pinned at priority
# 100 so that nothing else is upgraded from it (libc6 comes along; dotnet keeps working).
# (grep -c, not -q: -q stops reading at the first match, strings then dies of SIGPIPE, and pipefail fails the test.)
has_glibcxx_3_4_32() {
    strings /usr/lib/x86_64-linux-gnu/libstdc++.so.6 2>/dev/null | grep -c GLIBCXX_3.4.32 >/dev/null
}

ensure_libstdcxx() {
    [ "$(uname -m)" = "x86_64" ] || return 0
    has_glibcxx_3_4_32 && return 0
    command -v strings >/dev/null 2>&1 || apt_install binutils
    has_glibcxx_3_4_32 && return 0
    [ -f /etc/debian_version ] \
        || die "libstdc++ lacks GLIBCXX_3.4.32 (TorchSharp needs GCC 13+'s libstdc++): install it by hand"
    say "installing libstdc++6 from Debian trixie (GLIBCXX_3.4.32 for TorchSharp)"
    local mirror
    mirror="$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | head -n 1 | tr -d ' ' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    as_root tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<EOF_SOURCES
Types: deb
URIs: ${mirror%/}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF_SOURCES
    as_root tee /etc/apt/preferences.d/trixie.pref >/dev/null <<EOF_PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF_PIN
    APT_UPDATED=0
    apt_install -t trixie libstdc++6
    has_glibcxx_3_4_32 || die "libstdc++ still lacks GLIBCXX_3.4.32 after installing it from trixie"
}

# --- Redis --------------------------------------------------------------------------------------------

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

redis_answers() {
    local reply=""
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash, which gets it as an argument.
    reply="$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 && IFS= read -r line <&3 && printf %s "$line"' _ "$1" 2>/dev/null)" || return 1
    [[ "$reply" == "+PONG"* ]]
}

start_redis() {
    local port attempt
    mkdir -p "$REDIS_DIR"
    for ((port = REDIS_FIRST_PORT; port <= REDIS_LAST_PORT; port++)); do
        port_in_use "$port" && continue
        redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
            --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis-$port.log" &
        REDIS_PID=$!
        for ((attempt = 0; attempt < 100; attempt++)); do
            kill -0 "$REDIS_PID" 2>/dev/null || break # lost the port to someone else: try the next one
            if redis_answers "$port"; then
                export GENSAFETY_TEST_REDIS="127.0.0.1:$port"
                say "redis-server $(redis-server --version | awk '{print $3}') on $GENSAFETY_TEST_REDIS (pid $REDIS_PID)"
                return 0
            fi
            sleep 0.1
        done
        stop_redis
    done
    die "could not start redis-server on any port $REDIS_FIRST_PORT-$REDIS_LAST_PORT (logs: $REDIS_DIR)"
}

stop_redis() {
    [ -n "$REDIS_PID" ] || return 0
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
}

# Long commands run as a background child that the script waits for: a signal is then handled at once
# (bash defers traps while a foreground command runs), and the exit trap ends the child too.
CHILD_PID=""
run() {
    local rc=0
    "$@" &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    return "$rc"
}

on_exit() {
    if [ -n "$CHILD_PID" ]; then
        kill "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    stop_redis
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- trx results --------------------------------------------------------------------------------------

# Prints "passed failed skipped" from a trx file's <Counters .../> element (failed includes errors,
# timeouts and aborts; skipped is total - executed, as VSTest counts a skipped test in neither);
# prints nothing when the file has no counters.
trx_counts() {
    local counters
    counters="$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -n 1)" || return 0
    [ -n "$counters" ] || return 0
    local c="$counters"
    echo "$(trx_attr "$c" passed) $(( $(trx_attr "$c" failed) + $(trx_attr "$c" error) + $(trx_attr "$c" timeout) + $(trx_attr "$c" aborted) )) $(( $(trx_attr "$c" total) - $(trx_attr "$c" executed) ))"
}

# Prints attribute $2 of the <Counters .../> element $1 (0 when absent).
trx_attr() {
    local value
    value="$(sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" <<<"$1")"
    echo "${value:-0}"
}

# --- main ---------------------------------------------------------------------------------------------

ensure_dotnet
ensure_redis
ensure_prometheus
ensure_yamllint
ensure_libstdcxx

mapfile -t PROJECTS < <(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | sort)
[ "${#PROJECTS[@]}" -gt 0 ] || die "no test projects found under tests/*/"

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
start_redis

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
SUMMARIES=()
started=$SECONDS

say "building GenSafety.Gateway.sln ($CONFIGURATION)"
if run dotnet build GenSafety.Gateway.sln -c "$CONFIGURATION" --nologo -v minimal -nodeReuse:false; then
    build_ok=1
else
    build_ok=0
fi

for project in "${PROJECTS[@]}"; do
    name="$(basename "$project" .csproj)"
    trx="$RESULTS_DIR/$name.trx"
    if [ "$build_ok" -eq 0 ]; then
        SUMMARIES+=("$name: not run (build failed)")
        TOTAL_FAILED=$((TOTAL_FAILED + 1))
        continue
    fi

    say "testing $name"
    project_started=$SECONDS
    rc=0
    run dotnet test "$project" -c "$CONFIGURATION" --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" \
        --results-directory "$RESULTS_DIR" --blame-hang-timeout "$HANG_TIMEOUT" || rc=$?

    counts="$(trx_counts "$trx")"
    if [ -z "$counts" ]; then
        # The test host crashed or never started: the project counts as one failure.
        SUMMARIES+=("$name: no results (dotnet test exit $rc)")
        TOTAL_FAILED=$((TOTAL_FAILED + 1))
        continue
    fi

    read -r passed failed skipped <<<"$counts"
    summary="$name: $passed passed, $failed failed, $skipped skipped ($((SECONDS - project_started)) s)"
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        # Non-zero exit without a failed test (host crash after some results, hang kill): count it.
        failed=1
        summary="$summary; dotnet test exit $rc"
    fi
    SUMMARIES+=("$summary")
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
done

stop_redis

say "results in ${RESULTS_DIR#"$ROOT"/} ($((SECONDS - started)) s)"
for summary in "${SUMMARIES[@]}"; do
    echo "  $summary"
done

line="$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_SKIPPED" -gt 0 ] && line="$line, $TOTAL_SKIPPED skipped"
echo "$line"
[ "$TOTAL_FAILED" -eq 0 ]
