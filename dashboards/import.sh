#!/usr/bin/env bash
# Imports the Driftline Kibana saved objects (data views, Lens charts, saved search, dashboard).
#   dashboards/import.sh KIBANA_URL            e.g. http://localhost:5601
# Idempotent: objects keep fixed ids and are imported with overwrite=true.
# Authentication, when Kibana has security on: KIBANA_AUTH=user:password or KIBANA_API_KEY=<key>.
set -euo pipefail

usage() { echo "usage: $0 KIBANA_URL   (e.g. http://localhost:5601)" >&2; exit 2; }
[ $# -eq 1 ] || usage
url="${1%/}"
file="$(cd "$(dirname "$0")" && pwd)/driftline.ndjson"
[ -f "$file" ] || { echo "import.sh: $file: no such file" >&2; exit 2; }
command -v curl >/dev/null || { echo "import.sh: curl is required" >&2; exit 2; }

auth=()
if [ -n "${KIBANA_API_KEY:-}" ]; then auth=(-H "Authorization: ApiKey $KIBANA_API_KEY");
elif [ -n "${KIBANA_AUTH:-}" ]; then auth=(-u "$KIBANA_AUTH"); fi

err=$(mktemp); trap 'rm -f "$err"' EXIT
if ! status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "${auth[@]}" "$url/api/status" 2>"$err"); then
  echo "import.sh: Kibana not reachable at $url: $(head -c 300 "$err")" >&2
  exit 1
fi
if [ "$status" != 200 ]; then
  echo "import.sh: Kibana at $url answered HTTP $status on /api/status (not ready, or wrong credentials)" >&2
  exit 1
fi

response=$(curl -sS --max-time 60 -w '\n%{http_code}' "${auth[@]}" -H 'kbn-xsrf: driftline' \
  -X POST "$url/api/saved_objects/_import?overwrite=true" --form "file=@$file")
code=${response##*$'\n'}
body=${response%$'\n'*}
if [ "$code" != 200 ] || ! grep -Eq '"success": *true' <<<"$body"; then
  echo "import.sh: import into $url failed (HTTP $code): $body" >&2
  exit 1
fi
count=$(grep -Eo '"successCount": *[0-9]+' <<<"$body" | grep -Eo '[0-9]+$')
echo "imported $count saved objects into $url; dashboard: $url/app/dashboards#/view/driftline-model-health"
