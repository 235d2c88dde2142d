#!/usr/bin/env bash
# Starts a Docker engine when one is installed but not running (CI machines), host networking only.
set -euo pipefail
command -v dockerd >/dev/null || { echo "no dockerd installed"; exit 1; }
if docker info >/dev/null 2>&1; then exit 0; fi
nohup dockerd >/tmp/ichiren-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && { echo "dockerd ready"; exit 0; }
  sleep 1
done
echo "dockerd did not become ready; see /tmp/ichiren-dockerd.log"
exit 1
