#!/usr/bin/env bash
# Compiles every Bicep file in infra/ to ARM JSON, builds the parameters file and lints
# everything. Any compiler or linter warning fails the build (exit 1).
#
#   bash infra/build.sh [OUTDIR]     # OUTDIR defaults to <repo>/.artifacts/infra
#
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64, restored by
# infra/tools/Bicep.Tool.proj, so nothing has to be installed beforehand but the .NET SDK.
# Set BICEP=/path/to/bicep to use another Bicep CLI (e.g. on macOS or Windows).
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$infra_dir")"
out_dir="${1:-$repo_dir/.artifacts/infra}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

find_bicep() {
  if [[ -n "${BICEP:-}" ]]; then
    echo "$BICEP"
    return
  fi
  if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
    echo "infra/build.sh: the NuGet Bicep CLI is linux-x64 only; set BICEP to a Bicep CLI for this machine" >&2
    exit 1
  fi
  local proj="$infra_dir/tools/Bicep.Tool.proj"
  dotnet restore "$proj" --nologo --verbosity quiet >&2
  # NuGetPackageRoot comes from the restore (it honours NUGET_PACKAGES); BicepVersion from the project.
  local props root version
  props="$(dotnet msbuild "$proj" -nologo -getProperty:NuGetPackageRoot -getProperty:BicepVersion)"
  root="$(sed -n 's/.*"NuGetPackageRoot": *"\([^"]*\)".*/\1/p' <<<"$props")"
  version="$(sed -n 's/.*"BicepVersion": *"\([^"]*\)".*/\1/p' <<<"$props")"
  local exe="${root%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [[ ! -f "$exe" ]]; then
    echo "infra/build.sh: Bicep CLI not found at $exe after restore" >&2
    exit 1
  fi
  [[ -x "$exe" ]] || chmod +x "$exe"
  echo "$exe"
}

bicep="$(find_bicep)"
mkdir -p "$out_dir"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
failed=0

run() {
  # Runs one Bicep command; a non-zero exit or any diagnostic line fails the build.
  if ! "$bicep" "$@" >"$log" 2>&1; then
    failed=1
  fi
  if grep -Eq '(Warning|Error) [A-Za-z0-9-]+:' "$log"; then
    failed=1
  fi
  cat "$log"
}

echo "Bicep: $("$bicep" --version)"
cd "$infra_dir"
# main.json (modules inlined as nested deployments) and one ARM template per module.
run build --pattern '**/*.bicep' --outdir "$out_dir"
run build-params main.bicepparam --outfile "$out_dir/main.parameters.json"
run lint --pattern '**/*.bicep'
run lint --pattern '*.bicepparam'

if [[ $failed -ne 0 ]]; then
  echo "infra/build.sh: FAILED (Bicep reported errors or warnings above)" >&2
  exit 1
fi
echo "infra/build.sh: compiled and linted with no warnings -> $out_dir"
