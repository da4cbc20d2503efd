#!/usr/bin/env bash
# Start (or reuse) the simulated control plane: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok with a few fake nodes, all on 127.0.0.1 with free ports.
# State lives in <repo>/.cluster (gitignored): kubeconfig, bin/{kubectl,helm}, logs/, pki/, etcd/, pids/.
# Idempotent: when the cluster recorded in .cluster answers /readyz and all its processes live, it is reused.
# Prints `export KUBECONFIG=…` on stdout; progress and errors go to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${REINHARDT_CLUSTER_DIR:-$root/.cluster}"
node_count="${REINHARDT_CLUSTER_NODES:-3}"
log() { printf '[cluster:up] %s\n' "$*" >&2; }

# Serialise up/down (tests, globalSetup and a developer may race); the lock is on this script itself.
exec 8<"$here/up.sh"
flock 8

kubeconfig="$state/kubeconfig"
kubectl_bin="$state/bin/kubectl"

cluster_is_live() {
  [[ -f "$kubeconfig" && -x "$kubectl_bin" ]] || return 1
  "$kubectl_bin" --kubeconfig "$kubeconfig" --request-timeout=3s get --raw /readyz >/dev/null 2>&1 || return 1
  # every recorded component must still be running, or the cluster only looks alive
  local f
  for f in "$state"/pids/*.pid; do
    [[ -f "$f" ]] || return 1
    kill -0 "$(cat "$f")" 2>/dev/null || return 1
  done
}

print_usage() {
  echo "export KUBECONFIG=$kubeconfig"
  log "kubectl and helm: $state/bin (export PATH=\"$state/bin:\$PATH\")"
}

if cluster_is_live; then
  log "reusing the running cluster in $state"
  print_usage
  exit 0
fi
if [[ -d "$state" ]]; then
  log "found a stale cluster in $state, cleaning it up"
  REINHARDT_CLUSTER_LOCKED=1 bash "$here/down.sh" >&2
fi

started=$(date +%s)
bin="$(bash "$here/build.sh")"

# boot: start every component on fresh free ports. Exit status 75 means a port was taken between
# choosing it and binding it (another process won the race); that case is retried once.
# (the body is not indented so that its here-documents stay valid)
boot() {
mkdir -p "$state"/{bin,logs,pki,pids,etcd}
ln -sf "$bin/kubectl" "$state/bin/kubectl"
ln -sf "$bin/helm" "$state/bin/helm"

# ---- free ports (bound and released at once; collisions are detected by the health checks below) ----
read -r etcd_port etcd_peer_port api_port kcm_port sched_port kwok_port < <(
  python3 - <<'EOF'
import socket
socks = []
for _ in range(6):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)
cat >"$state/ports.env" <<EOF
ETCD_PORT=$etcd_port
APISERVER_PORT=$api_port
CONTROLLER_MANAGER_PORT=$kcm_port
SCHEDULER_PORT=$sched_port
KWOK_PORT=$kwok_port
EOF

# ---- PKI: a CA, the API server's serving cert, client certs, the service-account key ----
pki="$state/pki"
openssl_quiet() { openssl "$@" 2>>"$state/logs/openssl.log"; }
openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key"
openssl_quiet req -x509 -new -key "$pki/ca.key" -sha256 -days 3650 -subj "/CN=reinhardt-test-ca" -out "$pki/ca.crt"
issue_cert() { # <name> <subject> <extensions>
  local name="$1" subject="$2" ext="$3"
  openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$pki/$name.key"
  openssl_quiet req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr"
  printf '%s\n' "$ext" >"$pki/$name.ext"
  openssl_quiet x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt"
  rm -f "$pki/$name.csr"
}
client_ext=$'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
issue_cert apiserver "/CN=kube-apiserver" \
  $'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local'
issue_cert admin "/O=system:masters/CN=reinhardt-admin" "$client_ext"
issue_cert controller-manager "/CN=system:kube-controller-manager" "$client_ext"
issue_cert scheduler "/CN=system:kube-scheduler" "$client_ext"
issue_cert kwok "/O=system:masters/CN=kwok" "$client_ext"
# front proxy (aggregation layer): its own CA, so the requestheader client CA is set and components
# that read extension-apiserver-authentication find a complete config
openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$pki/front-proxy-ca.key"
openssl_quiet req -x509 -new -key "$pki/front-proxy-ca.key" -sha256 -days 3650 -subj "/CN=reinhardt-front-proxy-ca" \
  -out "$pki/front-proxy-ca.crt"
openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$pki/front-proxy-client.key"
openssl_quiet req -new -key "$pki/front-proxy-client.key" -subj "/CN=front-proxy-client" -out "$pki/front-proxy-client.csr"
printf '%s\n' "$client_ext" >"$pki/front-proxy-client.ext"
openssl_quiet x509 -req -in "$pki/front-proxy-client.csr" -CA "$pki/front-proxy-ca.crt" -CAkey "$pki/front-proxy-ca.key" \
  -CAcreateserial -days 3650 -sha256 -extfile "$pki/front-proxy-client.ext" -out "$pki/front-proxy-client.crt"
openssl_quiet genrsa -out "$pki/sa.key" 2048
openssl_quiet rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

write_kubeconfig() { # <file> <cert name>
  local file="$1" name="$2"
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: reinhardt-test
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: $name
  user:
    client-certificate: $pki/$name.crt
    client-key: $pki/$name.key
contexts:
- name: reinhardt-test
  context:
    cluster: reinhardt-test
    user: $name
    namespace: default
current-context: reinhardt-test
EOF
}
write_kubeconfig "$state/controller-manager.kubeconfig" controller-manager
write_kubeconfig "$state/scheduler.kubeconfig" scheduler
write_kubeconfig "$state/kwok.kubeconfig" kwok
write_kubeconfig "$kubeconfig.tmp" admin

# ---- processes: each in its own session/process group so down.sh can stop it and its children ----
start() { # <name> <command...>
  local name="$1"
  shift
  # 8<&- : the child must not inherit the up/down lock
  setsid "$@" </dev/null >"$state/logs/$name.log" 2>&1 8<&- &
  echo $! >"$state/pids/$name.pid"
}
fail_with_log() { # <name> <message>
  log "$2; last lines of $state/logs/$1.log:"
  tail -n 30 "$state/logs/$1.log" >&2 || true
  REINHARDT_CLUSTER_LOCKED=1 bash "$here/down.sh" --keep-logs >&2 || true
  if grep -qi 'address already in use' "$state/logs/$1.log" 2>/dev/null; then exit 75; fi
  exit 1
}
wait_for() { # <name> <seconds> <command...>
  local name="$1" seconds="$2"
  shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$(cat "$state/pids/$name.pid")" 2>/dev/null || fail_with_log "$name" "$name exited"
    (($(date +%s) < deadline)) || fail_with_log "$name" "$name not ready after ${seconds}s"
    sleep 0.2
  done
}

start etcd "$bin/etcd" \
  --name reinhardt-test \
  --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "reinhardt-test=http://127.0.0.1:$etcd_peer_port" \
  --unsafe-no-fsync \
  --snapshot-count 10000 \
  --log-level warn
wait_for etcd 30 curl -fsS --max-time 2 "http://127.0.0.1:$etcd_port/health"

start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 \
  --secure-port "$api_port" \
  --advertise-address 10.96.255.254 \
  --tls-cert-file "$pki/apiserver.crt" \
  --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" \
  --service-account-key-file "$pki/sa.pub" \
  --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range 10.96.0.0/16 \
  --requestheader-client-ca-file "$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User \
  --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$pki/front-proxy-client.crt" \
  --proxy-client-key-file "$pki/front-proxy-client.key" \
  --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction \
  --allow-privileged=true \
  --profiling=false \
  --v=1
wait_for kube-apiserver 90 curl -fsS --max-time 2 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
  "https://127.0.0.1:$api_port/readyz"
mv "$kubeconfig.tmp" "$kubeconfig"
kubectl=("$bin/kubectl" --kubeconfig "$kubeconfig" --request-timeout=5s)

start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$state/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 \
  --secure-port "$kcm_port" \
  --leader-elect=false \
  --use-service-account-credentials=true \
  --service-account-private-key-file "$pki/sa.key" \
  --root-ca-file "$pki/ca.crt" \
  --cluster-signing-cert-file "$pki/ca.crt" \
  --cluster-signing-key-file "$pki/ca.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --kube-api-qps 100 \
  --kube-api-burst 200 \
  --profiling=false \
  --v=1

start kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig "$state/scheduler.kubeconfig" \
  --authentication-kubeconfig "$state/scheduler.kubeconfig" \
  --authorization-kubeconfig "$state/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 \
  --secure-port "$sched_port" \
  --leader-elect=false \
  --profiling=false \
  --v=1

start kwok "$bin/kwok" \
  --kubeconfig "$state/kwok.kubeconfig" \
  --config "$bin/../kwok-stages.yaml" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
  --manage-nodes-with-label-selector "" \
  --disregard-status-with-annotation-selector kwok.x-k8s.io/status=custom \
  --disregard-status-with-label-selector "" \
  --cidr 10.244.0.0/16 \
  --node-ip 10.240.0.1 \
  --node-lease-duration-seconds 40 \
  --server-address "127.0.0.1:$kwok_port"

# ---- fake nodes (no taint: ordinary workloads schedule onto them without tolerations) ----
nodes_yaml=""
for i in $(seq 1 "$node_count"); do
  nodes_yaml+="
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: \"\"
    topology.kubernetes.io/zone: zone-$(((i - 1) % 3 + 1))
    type: kwok
status:
  allocatable: {cpu: \"32\", memory: 256Gi, pods: \"110\", ephemeral-storage: 1Ti}
  capacity: {cpu: \"32\", memory: 256Gi, pods: \"110\", ephemeral-storage: 1Ti}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: fake, kubeProxyVersion: fake}
"
done
"${kubectl[@]}" apply -f - <<<"$nodes_yaml" >/dev/null
wait_for kwok 60 "${kubectl[@]}" wait --for=condition=Ready node --all --timeout=1s
# Pods need the namespace's default ServiceAccount, which the controller-manager creates.
wait_for kube-controller-manager 60 "${kubectl[@]}" -n default get serviceaccount default
wait_for kube-scheduler 30 curl -fsSk --max-time 2 "https://127.0.0.1:$sched_port/healthz"

log "cluster up in $(($(date +%s) - started))s: $(("${kubectl[@]}" version -o json 2>/dev/null || true) | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1), $node_count kwok nodes, API https://127.0.0.1:$api_port"
}

# (not `(boot) || …`: errexit would be ignored inside boot in that context)
run_boot() {
  set +e
  (
    set -e
    boot
  )
  status=$?
  set -e
}
run_boot
if [[ $status == 75 ]]; then
  log "a port was taken while starting; retrying with new ports"
  run_boot
fi
[[ $status == 0 ]] || exit "$status"
print_usage
