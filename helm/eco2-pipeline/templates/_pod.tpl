{{/*
The pod template of both Deployments (one image, one ConfigMap; the role and what depends on it differ):
(dict "ctx" $ "component" "api"|"worker" "values" .Values.api|.Values.worker "grace" N)
*/}}
{{- define "eco2.podTemplate" -}}
{{- $ := .ctx -}}
{{- $v := .values -}}
{{- $component := .component -}}
metadata:
  labels:
    {{- include "eco2.labels" $ | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    {{- with $.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # Rolls the pods when the configuration or the chart-made Secret changes.
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") $ | sha256sum }}
    checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") $ | sha256sum }}
    {{- with $.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "eco2.serviceAccountName" $ }}
  automountServiceAccountToken: false
  {{- with $.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .grace }}
  securityContext:
    {{- toYaml $.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .component }}
      image: {{ include "eco2.image" $ }}
      imagePullPolicy: {{ $.Values.image.pullPolicy }}
      args: ["--config", "/etc/eco2/application.yaml", "--role", {{ .component | quote }}]
      ports:
        - name: http
          containerPort: {{ $.Values.service.port }}
          protocol: TCP
        {{- if and (eq .component "api") (eq $.Values.keda.trigger "external") }}
        - name: grpc
          containerPort: {{ $.Values.service.grpcPort }}
          protocol: TCP
        {{- end }}
      env:
        - name: ECO2_REDIS_URL
          valueFrom:
            secretKeyRef: {name: {{ include "eco2.secretName" $ }}, key: {{ $.Values.secrets.keys.redisUrl }}}
        - name: ECO2_RABBITMQ_URL
          valueFrom:
            secretKeyRef: {name: {{ include "eco2.secretName" $ }}, key: {{ $.Values.secrets.keys.rabbitmqUrl }}}
        {{- if and (eq .component "api") (or $.Values.secrets.existingSecret $.Values.secrets.apiKeys) }}
        - name: ECO2_HTTP_API_KEYS
          valueFrom:
            secretKeyRef: {name: {{ include "eco2.secretName" $ }}, key: {{ $.Values.secrets.keys.apiKeys }}, optional: true}
        {{- end }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /health/live, port: http}
        periodSeconds: 2
        timeoutSeconds: 2
        failureThreshold: 60
      livenessProbe:
        httpGet: {path: /health/live, port: http}
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /health/ready, port: http}
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      lifecycle:
        preStop:
          # Keeps serving while the endpoints controller removes the pod, so no new request or delivery
          # reaches a process that is about to stop taking them; SIGTERM follows (the drain).
          exec:
            command: ["sleep", {{ $v.preStopSeconds | quote }}]
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- toYaml $.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/eco2
          readOnly: true
        - name: tmp
          mountPath: /tmp
        {{- if include "eco2.usesLlmKey" $ }}
        - name: secrets
          mountPath: /var/run/secrets/eco2
          readOnly: true
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "eco2.fullname" $ }}-config
        items:
          - {key: application.yaml, path: application.yaml}
    - name: tmp
      emptyDir:
        sizeLimit: {{ $.Values.tmpSizeLimit }}
    {{- if include "eco2.usesLlmKey" $ }}
    - name: secrets
      secret:
        secretName: {{ include "eco2.secretName" $ }}
        defaultMode: 0440
        items:
          - {key: {{ $.Values.secrets.keys.llmApiKey }}, path: llm-api-key}
    {{- end }}
  {{- if $.Values.topologySpread.enabled }}
  topologySpreadConstraints:
    {{- range $key := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
    - maxSkew: {{ $.Values.topologySpread.maxSkew }}
      topologyKey: {{ $key }}
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "eco2.componentSelector" (dict "ctx" $ "component" $component) | nindent 10 }}
    {{- end }}
  {{- end }}
  {{- with $.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
