{{/*
The facts about each Berth service that are the code's, not the operator's: its component
name, HTTP port (berth.http.port in its application.properties), whether it talks to the
Kubernetes API, whether it may run more than one replica, and how it runs.
*/}}
{{- define "berth.catalog" -}}
deploy:       {component: deploy,        port: 8081, kubernetesApi: true}
registrar:    {component: registrar,     port: 8082, kubernetesApi: true}
autoscaler:   {component: autoscaler,    port: 8083}
logIndexer:   {component: log-indexer,   port: 8084}
gateway:      {component: gateway,       port: 8086}
logCollector: {component: log-collector, port: 8087, daemonSet: true}
console:      {component: console,       port: 8080}
identity:     {component: identity,      port: 8088}
{{- end -}}

{{- define "berth.services" -}}
{{- fromYaml (include "berth.catalog" .) | toJson -}}
{{- end -}}

{{- define "berth.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's prefix for every object: the release name, with the chart's name when it lacks it. */}}
{{- define "berth.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Object name of one component: <fullname>-<component>. Args: (dict "ctx" $ "component" "deploy") */}}
{{- define "berth.componentName" -}}
{{- printf "%s-%s" (include "berth.fullname" .ctx) .component -}}
{{- end -}}

{{- define "berth.appsNamespace" -}}
{{- .Values.apps.namespace | default .Release.Namespace -}}
{{- end -}}

{{- define "berth.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: berth
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "berth.labels" -}}
{{ include "berth.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Args: (dict "ctx" $ "component" "deploy") */}}
{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "berth.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "berth.componentLabels" -}}
{{ include "berth.commonLabels" .ctx }}
{{ include "berth.selectorLabels" . }}
{{- end -}}

{{/*
An image reference. Args: (dict "ctx" $ "image" <the service's image values>).
The service's tag, else the global tag, else the chart's appVersion.
*/}}
{{- define "berth.image" -}}
{{- $registry := .ctx.Values.image.registry -}}
{{- $tag := .image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Base URL of a service inside the release's namespace. Args: (dict "ctx" $ "service" "deploy") */}}
{{- define "berth.serviceUrl" -}}
{{- $catalog := fromJson (include "berth.services" .ctx) -}}
{{- $svc := get $catalog .service -}}
{{- printf "http://%s:%v" (include "berth.componentName" (dict "ctx" .ctx "component" $svc.component)) $svc.port -}}
{{- end -}}

{{- define "berth.platformSecretName" -}}
{{- .Values.platformSecrets.existingSecret | default (include "berth.fullname" .) -}}
{{- end -}}

{{- define "berth.postgresSecretName" -}}
{{- .Values.postgresql.existingSecret | default (include "berth.fullname" .) -}}
{{- end -}}

{{- define "berth.postgresSecretKey" -}}
{{- if .Values.postgresql.existingSecret -}}{{ .Values.postgresql.passwordKey }}{{- else -}}postgres-password{{- end -}}
{{- end -}}

{{- define "berth.tsigSecretName" -}}
{{- .Values.registry.dns.tsig.existingSecret | default (include "berth.fullname" .) -}}
{{- end -}}

{{- define "berth.tsigSecretKey" -}}
{{- if .Values.registry.dns.tsig.existingSecret -}}{{ .Values.registry.dns.tsig.key }}{{- else -}}tsig.key{{- end -}}
{{- end -}}

{{/*
A credential that is generated once: the value already in the release's Secret when there is
one (so an upgrade keeps it), else the given fallback. Args: (dict "ctx" $ "secret" <name>
"key" <key> "generated" <fresh value>)
*/}}
{{- define "berth.keptOrGenerated" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .secret -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- .generated -}}
{{- end -}}
{{- end -}}

{{/* Every container: no privilege, nothing written outside its volumes. */}}
{{- define "berth.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Quarkus' health endpoints (SmallRye Health): readiness waits for Kafka and the directories, liveness does not. */}}
{{- define "berth.probes" -}}
startupProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
{{- end -}}
