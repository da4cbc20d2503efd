{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "rco.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: fullnameOverride; the release name when it already contains the chart name; else <release>-<name>. */}}
{{- define "rco.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rco.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rco.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rco.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rco.labels" -}}
helm.sh/chart: {{ include "rco.chart" . }}
{{ include "rco.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: reinhardt-cloud
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rco.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rco.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rco.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "rco.leaseName" -}}
{{- default (include "rco.fullname" .) .Values.leaderElection.leaseName | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Cross-field checks that values.schema.json cannot express; each message says how to fix it. */}}
{{- define "rco.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "replicaCount is %d but leaderElection.enabled is false: several operators would reconcile the same Projects at once. Set leaderElection.enabled=true or replicaCount=1." (int .Values.replicaCount)) }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled=true (the ServiceMonitor scrapes the metrics Service)." }}
{{- end }}
{{- if and .Values.previews.enabled .Values.watchNamespaces }}
{{- fail "previews.enabled needs the operator to manage every namespace: preview namespaces are created per Project and cannot be listed in watchNamespaces. Set watchNamespaces=[] or previews.enabled=false." }}
{{- end }}
{{- if .Values.podDisruptionBudget.enabled }}
{{- $max := .Values.podDisruptionBudget.maxUnavailable }}
{{- $min := .Values.podDisruptionBudget.minAvailable }}
{{- if and (kindIs "invalid" $max) (kindIs "invalid" $min) }}
{{- fail "podDisruptionBudget.enabled needs one of podDisruptionBudget.maxUnavailable or podDisruptionBudget.minAvailable." }}
{{- end }}
{{- if and (not (kindIs "invalid" $max)) (not (kindIs "invalid" $min)) }}
{{- fail "podDisruptionBudget: set maxUnavailable or minAvailable, not both (set the other to null)." }}
{{- end }}
{{- end }}
{{- end }}

{{/* A map as `key=value,key=value` in key order (env vars the operator parses that way). */}}
{{- define "rco.keyValues" -}}
{{- $pairs := list }}
{{- range $key, $value := . }}
{{- $pairs = append $pairs (printf "%s=%s" $key (toString $value)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}
