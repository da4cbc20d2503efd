#!/usr/bin/env bash
# Stop the simulated control plane started by up.sh (each component by its process group) and remove
# its state (.cluster). --keep-logs keeps .cluster/logs for a post-mortem.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${REINHARDT_CLUSTER_DIR:-$root/.cluster}"
keep_logs=0
[[ "${1:-}" == "--keep-logs" ]] && keep_logs=1
log() { printf '[cluster:down] %s\n' "$*" >&2; }

if [[ "${REINHARDT_CLUSTER_LOCKED:-}" != 1 ]]; then
  exec 8<"$here/up.sh"
  flock 8
fi

if [[ ! -d "$state" ]]; then
  log "no cluster state in $state"
  exit 0
fi

# Stop in reverse dependency order: clients first, etcd last.
groups=()
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  f="$state/pids/$name.pid"
  [[ -f "$f" ]] || continue
  pid="$(cat "$f")"
  # only signal a group whose leader is still the process we started (a recycled pid is left alone)
  if kill -0 "$pid" 2>/dev/null && [[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" == "$pid" ]]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    groups+=("$pid")
  fi
done
deadline=$(($(date +%s) + 15))
for pid in "${groups[@]}"; do
  while kill -0 -- "-$pid" 2>/dev/null; do
    if (($(date +%s) >= deadline)); then
      log "process group $pid did not stop after SIGTERM, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
done

if [[ $keep_logs == 1 ]]; then
  find "$state" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  log "stopped; logs kept in $state/logs"
else
  rm -rf "$state"
  log "stopped and removed $state"
fi
