#!/usr/bin/env bash
# How long after `AuthServer keys revoke` (another process) a running server refuses the key at /connect/token.
# Usage: scripts/measure-cli-revoke.sh [trials]   (needs a Release build: dotnet build src/AuthServer -c Release)
set -euo pipefail
trials=${1:-20}
dll=$(cd "$(dirname "$0")/.." && pwd)/src/AuthServer/bin/Release/net10.0/AuthServer.dll
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://127.0.0.1:$port
export Database__ConnectionString="Data Source=$dir/authserver.db" Signing__CertificatesPath=$dir/certs
cli() { dotnet "$dll" "$@"; }
dotnet "$dll" > "$dir/server.log" 2>&1 & server=$!
trap 'kill $server' EXIT
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.2; done
account=$(cli accounts create --name revoke-timing --key-limit 1000 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cli resources create timing-api >/dev/null
cli scopes create timing:read --resource timing-api >/dev/null
for i in $(seq "$trials"); do
  read -r id secret < <(cli keys create --account "$account" --scope timing:read --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["key"]["keyId"], d["secret"])')
  until curl -s -o /dev/null -w '%{http_code}' -u "$id:$secret" -d grant_type=client_credentials "http://127.0.0.1:$port/connect/token" | grep -q 200; do sleep 0.05; done
  cli keys revoke "$id" >/dev/null
  python3 - "$port" "$id" "$secret" <<'PY'
import base64, sys, time, urllib.request, urllib.error
port, key, secret = sys.argv[1:]
start = time.monotonic()
auth = base64.b64encode(f"{key}:{secret}".encode()).decode()
while True:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/connect/token", data=b"grant_type=client_credentials", headers={"Authorization": "Basic " + auth})
    try:
        urllib.request.urlopen(request).read()
    except urllib.error.HTTPError as refused:
        if refused.code == 401:
            break
    time.sleep(0.005)
print(f"{(time.monotonic() - start) * 1000:.0f}")
PY
done | sort -n | awk '{a[NR]=$1} END {print "trials", NR, "median ms", a[int((NR+1)/2)], "max ms", a[NR]}'
