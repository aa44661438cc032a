# Sourced by the scripts that drive the page: `serve DIR` serves DIR on a free loopback
# port with Python's http.server, `serve DIR isolated` with the COOP and COEP headers that
# make the page cross-origin isolated (scripts/isolated_server.py: wasm threads allowed);
# each sets `port`, and the servers stop when the script exits.
serve() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "${2:-}" = isolated ]; then
    python3 "$(dirname "${BASH_SOURCE[0]}")/isolated_server.py" "$port" "$1" >/dev/null 2>&1 &
  else
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$1" >/dev/null 2>&1 &
  fi
  servers="${servers:-} $!"
  # shellcheck disable=SC2064
  trap "kill $servers 2>/dev/null || true" EXIT
  for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
