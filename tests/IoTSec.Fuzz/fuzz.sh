#!/usr/bin/env bash
# Fuzz one decoder with afl++ through SharpFuzz.
#   tests/IoTSec.Fuzz/fuzz.sh TARGET [SECONDS]      (default 600 s)
# Seeds come from corpus/TARGET; afl's working state goes to findings/TARGET (ignored by
# git). After a run, new queue entries worth keeping are minimised into corpus/TARGET with
# afl-cmin so that the replay test runs them forever after. See docs/fuzzing.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${1:?usage: fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}

command -v afl-fuzz >/dev/null || { echo "afl-fuzz missing: apt-get install afl++" >&2; exit 1; }
cd "$root"
dotnet tool restore >/dev/null

out=$root/artifacts/fuzz/publish
# A fresh copy each run: sharpfuzz refuses an assembly it instrumented before, and publish
# leaves unchanged assemblies (instrumented by the last run) in place.
rm -rf "$out"
dotnet publish tests/IoTSec.Fuzz -c Release -o "$out" -p:UseArtifactsOutput=false >/dev/null
# Instrument only the code under test: the decoders live in IoTSec.Protocol, the gateway's
# file parsers (tamper flag, backup manifest, policy) in IoTSec.Gateway.Core; the YAML readers
# (gateway-yaml, policy) spend their time in YamlDotNet's parser; the firmware's parsers of
# what the gateway sends (http-response, est-serverkeygen) and the slot parser (app-bundle)
# in IoTSec.Firmware.Core.
dotnet sharpfuzz "$out/IoTSec.Protocol.dll"
dotnet sharpfuzz "$out/IoTSec.Gateway.Core.dll"
dotnet sharpfuzz "$out/IoTSec.Firmware.Core.dll"
if [[ $target == gateway-yaml || $target == policy || $target == provision-profile ]]; then
  dotnet sharpfuzz "$out/YamlDotNet.dll"
fi
# The upstream forwarder's parsers (snapshot requests, telemetry deltas) live in their own assembly.
if [[ $target == snapshot-request || $target == telemetry-delta ]]; then
  dotnet sharpfuzz "$out/IoTSec.Gateway.Forwarder.dll"
fi
# The provisioning tool's profile reader and birth-ledger verifier (provision-profile, birth-ledger).
if [[ $target == provision-profile || $target == birth-ledger ]]; then
  dotnet sharpfuzz "$out/iotsec-provision.dll"
fi

corpus=$here/corpus/$target
findings=$here/findings/$target
[[ -d $corpus ]] || { echo "no corpus folder $corpus" >&2; exit 1; }
mkdir -p "$findings"

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_TieredPGO=0
timeout --preserve-status "$((seconds + 30))" \
  afl-fuzz -V "$seconds" -i "$corpus" -o "$findings" -t 5000 -m none -- \
  dotnet "$out/IoTSec.Fuzz.dll" "$target" || true

stats=$findings/default/fuzzer_stats
if [[ -f $stats ]]; then
  grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)' "$stats"
fi
# Keep what afl found: minimise the queue and add new inputs to the committed corpus,
# named by content so re-runs do not duplicate them (review and commit them).
minimised=$root/artifacts/fuzz/$target-min
rm -rf "$minimised"
if [[ -d $findings/default/queue ]] && afl-cmin -i "$findings/default/queue" -o "$minimised" -t 5000 -m none -- \
    "$(command -v dotnet)" "$out/IoTSec.Fuzz.dll" "$target" >/dev/null 2>&1; then
  added=0
  for f in "$minimised"/*; do
    name=afl-$(sha256sum "$f" | cut -c1-16).bin
    [[ -e $corpus/$name ]] || { cp "$f" "$corpus/$name"; added=$((added + 1)); }
  done
  echo "corpus: $added new minimised inputs added to $corpus"
fi
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "crashes: $crashes (inputs in $findings/default/crashes; replay with: dotnet $out/IoTSec.Fuzz.dll $target --replay FILE)"
