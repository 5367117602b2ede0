#!/usr/bin/env bash
# IoTSec build entry point.
#   ./build.sh test      install missing Debian test dependencies, build, run every test,
#                        print "N passed, N failed[, N skipped]" and exit non-zero on failure
#   ./build.sh run [ARGS]   run the gateway daemon on its embedded defaults (data in ./iotsec-data;
#                        ARGS are configuration overrides such as --IoTSec:Est:Port=9443)
#   ./build.sh build     build the solution
#   ./build.sh bench     run the BenchmarkDotNet suite (tests/IoTSec.Benchmarks)
#   ./build.sh fuzz TARGET [SECONDS]   fuzz one decoder with afl++ (see docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Install the Debian packages listed in FILE that are not installed yet.
install_apt_packages() {
  local file=$1 missing=()
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [[ -z $pkg ]] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done <"$file"
  ((${#missing[@]} == 0)) && return 0
  echo "==> installing Debian packages: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Sum the counters of every TRX file in DIR into one line.
print_totals() {
  local dir=$1 run_failed=$2 passed=0 failed=0 skipped=0 line
  for trx in "$dir"/*.trx; do
    [[ -e $trx ]] || continue
    line=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$line"; }
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
    skipped=$((skipped + $(attr notExecuted) + $(attr inconclusive)))
  done
  # A test host that crashed writes no counters: count the run itself as a failure.
  if ((run_failed != 0 && failed == 0)); then failed=1; fi
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
}

cmd=${1:-test}
case $cmd in
  build)
    dotnet build IoTSec.sln -c Release
    ;;
  run)
    shift
    # Embedded defaults: EST on 127.0.0.1:8443, data in ./iotsec-data, software keys and a
    # development PKI created on first start (logged loudly). See docs/operations.md.
    exec dotnet run -c Release --project gateway/IoTSec.Gateway -- run "$@"
    ;;
  test)
    install_apt_packages build/apt-packages.txt
    results=$ROOT/artifacts/test-results
    rm -rf "$results"
    dotnet build IoTSec.sln -c Release
    status=0
    # One run per test project, each with its own TRX file, so the totals add up exactly;
    # a test that hangs is killed and reported as failed instead of stalling CI.
    for project in tests/*.Tests/*.Tests.csproj; do
      name=$(basename "$project" .csproj)
      dotnet test "$project" -c Release --no-build \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" --blame-hang-timeout 10m || status=$?
    done
    print_totals "$results" "$status"
    exit "$status"
    ;;
  bench)
    shift
    dotnet run -c Release --project tests/IoTSec.Benchmarks -- "$@"
    ;;
  fuzz)
    shift
    exec tests/IoTSec.Fuzz/fuzz.sh "$@"
    ;;
  *)
    echo "usage: ./build.sh [test|run [ARGS]|build|bench|fuzz TARGET [SECONDS]]" >&2
    exit 2
    ;;
esac
