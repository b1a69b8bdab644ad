#!/usr/bin/env bash
# Runs Azurite (the Azure Storage emulator) for the local runner's durable engine (--Engine:Backend=AzureStorage):
# installs it into .tools/azurite on first use, listens on 127.0.0.1 only (blob 10000, queue 10001, table 10002, or
# AZURITE_PORT_BASE, +1, +2), keeps its data in .tools/azurite/data (AZURITE_DATA) so task hubs survive a restart,
# and runs in the foreground until Ctrl+C. Prints the connection string for --Engine:StorageConnectionString.
set -euo pipefail
cd "$(dirname "$0")/.."

version=3.37.0
prefix=.tools/azurite
bin="$prefix/node_modules/.bin/azurite"
if [ ! -x "$bin" ]; then
  npm install --prefix "$prefix" "azurite@$version" --no-audit --no-fund
fi

base=${AZURITE_PORT_BASE:-10000}
data=${AZURITE_DATA:-$prefix/data}
mkdir -p "$data"
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
echo "Engine:StorageConnectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$base/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((base + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((base + 2))/devstoreaccount1;"
exec "$bin" --blobHost 127.0.0.1 --blobPort "$base" --queueHost 127.0.0.1 --queuePort "$((base + 1))" \
  --tableHost 127.0.0.1 --tablePort "$((base + 2))" --location "$data" --skipApiVersionCheck --loose --silent --disableTelemetry
