#!/usr/bin/env bash
# Load benchmark of the public portal: `bagalau serve` (release build, demo
# database) against nginx serving the very same HTML bytes from files, both
# on loopback, measured by wrk with the same settings, one after the other.
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light).
# Usage: bench/portal.sh [seconds per run, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-32}"
command -v wrk >/dev/null || { echo "bench/portal.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$nginx_bin" ] || { echo "bench/portal.sh: nginx is required (apt-get install nginx-light)" >&2; exit 1; }

cargo build --release -q -p bagalau
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/bagalau"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; "$nginx_bin" -p "$work" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work" && "$bin" demo >/dev/null 2>&1)
(cd "$work" && exec "$bin" serve --addr 127.0.0.1:18080 >/dev/null 2>&1) &
for _ in $(seq 1 100); do curl -fs -o /dev/null http://127.0.0.1:18080/api/v1/health && break; sleep 0.1; done

pages=("/rankings/2023" "/bodies/minfin")
mkdir -p "$work/html/rankings" "$work/html/bodies"
for p in "${pages[@]}"; do
  curl -fs -H 'Accept-Language: en' "http://127.0.0.1:18080$p" > "$work/html$p.html"
done

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp;
  sendfile on;
  server {
    listen 127.0.0.1:18081;
    root $work/html;
    location / { default_type text/html; try_files \$uri.html =404; }
  }
}
CONF
mkdir -p "$work/tmp"
chmod -R a+rX "$work"   # nginx's workers read the files as an unprivileged user
"$nginx_bin" -p "$work" -c nginx.conf
for p in "${pages[@]}"; do
  a="$(curl -fs -H 'Accept-Language: en' "http://127.0.0.1:18080$p" | sha256sum)"
  b="$(curl -fs "http://127.0.0.1:18081$p" | sha256sum)"
  [ "$a" = "$b" ] || { echo "bench/portal.sh: nginx and bagalau answer different bytes for $p" >&2; exit 1; }
  echo "$p: $(curl -fs "http://127.0.0.1:18081$p" | wc -c) bytes, the same from both"
done

run() { # name url
  local out rps p99
  out="$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H 'Accept-Language: en' "$2")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%-24s %-8s %12s req/s   p99 %s\n' "$1" "$3" "$rps" "$p99"
}
echo "wrk: 2 threads, $connections connections, ${duration}s per run; $(nproc) cores; $(uname -m)"
for p in "${pages[@]}"; do
  run "$p" "http://127.0.0.1:18080$p" bagalau
  run "$p" "http://127.0.0.1:18081$p" nginx
done
