# Sourced by the scripts that drive the page: `serve DIR` serves DIR on a free loopback
# port, `serve DIR isolated` with the COOP and COEP headers that make the page cross-origin
# isolated (wasm threads allowed); both send the build's pre-compressed files
# (scripts/isolated_server.py);
# each sets `port`, and the servers stop when the script exits.
serve() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local plain=--plain
  [ "${2:-}" = isolated ] && plain=
  python3 "$(dirname "${BASH_SOURCE[0]}")/isolated_server.py" "$port" "$1" $plain >/dev/null 2>&1 &
  servers="${servers:-} $!"
  # shellcheck disable=SC2064
  trap "kill $servers 2>/dev/null || true" EXIT
  for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
