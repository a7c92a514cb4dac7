{{/* Names: DNS-1123 labels of at most 63 characters. */}}
{{- define "eco2.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "eco2.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "eco2.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "eco2.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eco2
{{- end -}}

{{- define "eco2.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eco2.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector of one component's pods: (dict "ctx" $ "component" "api") */}}
{{- define "eco2.componentSelector" -}}
{{ include "eco2.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "eco2.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "eco2.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "eco2.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "eco2.secretName" -}}
{{- default (printf "%s-secrets" (include "eco2.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* True (non-empty) when the LLM provider needs the key file: any provider but the simulated one. */}}
{{- define "eco2.usesLlmKey" -}}
{{- $llm := default dict .Values.config.llm -}}
{{- if ne (toString (default "simulated" $llm.provider)) "simulated" -}}true{{- end -}}
{{- end -}}

{{/*
The engine configuration: what the chart derives from its values, with .Values.config merged over it (a key set
there wins). Rendered as YAML into the ConfigMap; every key the engine accepts is reachable through config.
*/}}
{{- define "eco2.config" -}}
{{- $derived := dict
  "mode" "distributed"
  "http" (dict "host" "0.0.0.0" "port" (int .Values.service.port))
  "log" (dict "format" .Values.log.format "job-level" .Values.log.jobLevel)
  "scaling" (dict "min-replicas" (int .Values.keda.minReplicaCount) "max-replicas" (int .Values.keda.maxReplicaCount)
                  "grpc-port" (ternary (int .Values.service.grpcPort) -1 (eq .Values.keda.trigger "external")))
-}}
{{- if include "eco2.usesLlmKey" . -}}
{{- $_ := set $derived "llm" (dict "api-key-file" "/var/run/secrets/eco2/llm-api-key") -}}
{{- end -}}
{{- $merged := mustMergeOverwrite $derived (deepCopy (default dict .Values.config)) -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* pipeline.drain-seconds as configured, else the engine's default. */}}
{{- define "eco2.drainSeconds" -}}
{{- $p := default dict .Values.config.pipeline -}}
{{- int (default .Values.engineDefaults.drainSeconds (index $p "drain-seconds")) -}}
{{- end -}}

{{/* The longest stage attempt in seconds: the largest configured stages.*.timeout-ms, at least the engine's default. */}}
{{- define "eco2.longestAttemptSeconds" -}}
{{- $max := int .Values.engineDefaults.longestStageTimeoutMs -}}
{{- range $name, $stage := (default dict .Values.config.stages) -}}
{{- if and (kindIs "map" $stage) (hasKey $stage "timeout-ms") -}}
{{- $max = max $max (int (index $stage "timeout-ms")) -}}
{{- end -}}
{{- end -}}
{{- div (add $max 999) 1000 -}}
{{- end -}}

{{/* Worker grace period: preStop pause + drain + the longest stage attempt + 10 s for closing connections. */}}
{{- define "eco2.workerGraceSeconds" -}}
{{- if gt (int .Values.worker.terminationGracePeriodSeconds) 0 -}}
{{- int .Values.worker.terminationGracePeriodSeconds -}}
{{- else -}}
{{- add (int .Values.worker.preStopSeconds) (include "eco2.drainSeconds" . | int) (include "eco2.longestAttemptSeconds" . | int) 10 -}}
{{- end -}}
{{- end -}}

{{/* The endpoint KEDA reads: the scaler Service in front of the always-on API pods. */}}
{{- define "eco2.scalerHost" -}}
{{- printf "%s-scaler.%s.svc.cluster.local" (include "eco2.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/* The RabbitMQ queue prefix as the engine will use it. */}}
{{- define "eco2.queuePrefix" -}}
{{- $r := default dict .Values.config.rabbitmq -}}
{{- default "scan" (index $r "queue-prefix") -}}
{{- end -}}
