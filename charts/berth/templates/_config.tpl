{{/*
Each service's configuration as environment variables. Every name is a key the service reads
(BERTH_FOO_BAR sets berth.foo.bar; docs/architecture.md, "Configuration"), and the chart's tests
check each against the service's application.properties and @ConfigProperty names.

"berth.config.<service>" renders the plain ones (a ConfigMap per service); "berth.secretEnv.<service>"
the ones taken from Secrets.
*/}}

{{- define "berth.config.common" -}}
# listen on the pod's address, not loopback, so that probes and Services reach the service
BERTH_HTTP_HOST: "0.0.0.0"
BERTH_KAFKA_BOOTSTRAP_SERVERS: {{ .Values.kafka.bootstrapServers | quote }}
{{- end -}}

{{- define "berth.config.postgres" -}}
BERTH_POSTGRES_HOST: {{ .Values.postgresql.host | quote }}
BERTH_POSTGRES_PORT: {{ .Values.postgresql.port | quote }}
BERTH_POSTGRES_DATABASE: {{ .Values.postgresql.database | quote }}
BERTH_POSTGRES_USER: {{ .Values.postgresql.user | quote }}
{{- end -}}

{{- define "berth.config.deploy" -}}
{{ include "berth.config.postgres" . }}
BERTH_DEPLOY_RUNTIME: kubernetes
BERTH_KUBERNETES_NAMESPACE: {{ include "berth.appsNamespace" . | quote }}
BERTH_KUBERNETES_NAMESPACE_PER_TEAM: {{ .Values.apps.namespacePerTeam | quote }}
BERTH_KUBERNETES_TEAM_NAMESPACE_PREFIX: {{ .Values.apps.teamNamespacePrefix | quote }}
# what the apps' NetworkPolicy admits: the gateway's pods (this release's namespace and pod
# labels), and HAProxy's port there for apps that call each other by their public names
BERTH_KUBERNETES_GATEWAY_NAMESPACE: {{ .Release.Namespace | quote }}
BERTH_KUBERNETES_GATEWAY_POD_LABELS: {{ include "berth.gatewayPodLabels" . | quote }}
BERTH_KUBERNETES_GATEWAY_PORT: "8000"
{{- with .Values.apps.networkPolicy.egressExcept }}
BERTH_KUBERNETES_EGRESS_EXCEPT: {{ join "," . | quote }}
{{- end }}
BERTH_GATEWAY_URL: {{ include "berth.serviceUrl" (dict "ctx" . "service" "gateway") | quote }}
{{- end -}}

{{/* The gateway pods' selector labels as key=value,...: the same labels its Deployment selects. */}}
{{- define "berth.gatewayPodLabels" -}}
{{- $labels := fromYaml (include "berth.selectorLabels" (dict "ctx" . "component" "gateway")) -}}
{{- $pairs := list -}}
{{- range $key := keys $labels | sortAlpha -}}
{{- $pairs = append $pairs (printf "%s=%s" $key (get $labels $key)) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{- define "berth.config.registrar" -}}
BERTH_REGISTRAR_SOURCE: kubernetes
BERTH_KUBERNETES_NAMESPACE: {{ include "berth.appsNamespace" . | quote }}
BERTH_REGISTRAR_OWNER: {{ .Values.registry.owner | quote }}
BERTH_REGISTRAR_DNS_ENABLED: {{ .Values.registry.dns.enabled | quote }}
{{- if .Values.registry.dns.enabled }}
BERTH_DNS_SERVER: {{ .Values.registry.dns.server | quote }}
BERTH_DNS_PORT: {{ .Values.registry.dns.port | quote }}
BERTH_DNS_ZONE: {{ .Values.registry.dns.zone | quote }}
BERTH_DNS_TTL: {{ .Values.registry.dns.ttl | quote }}
BERTH_DNS_TSIG_KEY_FILE: /etc/berth/dns/tsig.key
{{- end }}
BERTH_REGISTRAR_CONSUL_ENABLED: {{ .Values.registry.consul.enabled | quote }}
{{- if .Values.registry.consul.enabled }}
BERTH_REGISTRAR_CONSUL_HOST: {{ .Values.registry.consul.host | quote }}
BERTH_REGISTRAR_CONSUL_PORT: {{ .Values.registry.consul.port | quote }}
{{- end }}
{{- end -}}

{{- define "berth.config.autoscaler" -}}
{{ include "berth.config.postgres" . }}
BERTH_DEPLOY_URL: {{ include "berth.serviceUrl" (dict "ctx" . "service" "deploy") | quote }}
{{- end -}}

{{- define "berth.config.logIndexer" -}}
BERTH_ELASTICSEARCH_URL: {{ .Values.elasticsearch.url | quote }}
BERTH_LOGS_RETENTION_DAYS: {{ .Values.logIndexer.retentionDays | quote }}
{{- end -}}

{{- define "berth.config.gateway" -}}
# HAProxy's sockets and configuration live in the pod's shared emptyDir (templates/deployments.yaml)
BERTH_HAPROXY_ADMIN_SOCKET: /run/haproxy/admin.sock
BERTH_HAPROXY_MASTER_SOCKET: /run/haproxy/master.sock
BERTH_HAPROXY_CONFIG: /run/haproxy/haproxy.cfg
BERTH_GATEWAY_DOMAIN: {{ .Values.gateway.domain | quote }}
# HAProxy serves apps on every address of the pod; its stats page stays inside the pod
BERTH_GATEWAY_BIND: ":8000"
BERTH_GATEWAY_STATS_BIND: "127.0.0.1:8404"
BERTH_GATEWAY_REGISTRY: registrar
BERTH_REGISTRAR_URL: {{ include "berth.serviceUrl" (dict "ctx" . "service" "registrar") | quote }}
{{- end -}}

{{- define "berth.config.logCollector" -}}
BERTH_LOG_COLLECTOR_LAYOUT: kubernetes
BERTH_LOG_COLLECTOR_LOG_DIR: /var/log/pods
BERTH_LOG_COLLECTOR_STATE_DIR: /var/lib/berth/log-collector
BERTH_LOG_COLLECTOR_START_AT: {{ .Values.logCollector.startAt | quote }}
{{- end -}}

{{- define "berth.config.console" -}}
# the services whose readiness the console shows (there is no agent on Kubernetes)
{{- range $service := list "deploy" "registrar" "autoscaler" "logIndexer" "gateway" "identity" }}
BERTH_CONSOLE_SERVICES_{{ $service | snakecase | upper }}: {{ include "berth.serviceUrl" (dict "ctx" $ "service" $service) | quote }}
{{- end }}
{{- end -}}

{{- define "berth.config.identity" -}}
{{ include "berth.config.postgres" . }}
{{- end -}}

{{/* Args: (dict "name" <env name> "secret" <Secret name> "key" <key>) */}}
{{- define "berth.secretEnvVar" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef: {name: {{ .secret | quote }}, key: {{ .key | quote }}}
{{- end -}}

{{/* The credentials every service needs: the admin token's hash and the service token. */}}
{{- define "berth.secretEnv.common" -}}
{{ include "berth.secretEnvVar" (dict "name" "BERTH_AUTH_ADMIN_TOKEN_SHA256" "secret" (include "berth.platformSecretName" .) "key" "admin-token-sha256") }}
{{ include "berth.secretEnvVar" (dict "name" "BERTH_AUTH_SERVICE_TOKEN" "secret" (include "berth.platformSecretName" .) "key" "service-token") }}
{{- end -}}

{{- define "berth.secretEnv.postgres" -}}
{{ include "berth.secretEnvVar" (dict "name" "BERTH_POSTGRES_PASSWORD" "secret" (include "berth.postgresSecretName" .) "key" (include "berth.postgresSecretKey" .)) }}
{{- end -}}

{{- define "berth.secretEnv.deploy" -}}
{{ include "berth.secretEnv.postgres" . }}
{{ include "berth.secretEnvVar" (dict "name" "BERTH_SECRETS_KEYS" "secret" (include "berth.platformSecretName" .) "key" "secrets-keys") }}
{{- end -}}

{{- define "berth.secretEnv.registrar" -}}
{{- if and .Values.registry.consul.enabled .Values.registry.consul.aclToken }}
{{ include "berth.secretEnvVar" (dict "name" "BERTH_REGISTRAR_CONSUL_ACL_TOKEN" "secret" (include "berth.fullname" .) "key" "consul-acl-token") }}
{{- end }}
{{- end -}}

{{- define "berth.secretEnv.autoscaler" -}}
{{ include "berth.secretEnv.postgres" . }}
{{- end -}}

{{- define "berth.secretEnv.identity" -}}
{{ include "berth.secretEnv.postgres" . }}
{{- end -}}

{{- define "berth.secretEnv.logIndexer" -}}{{- end -}}
{{- define "berth.secretEnv.gateway" -}}{{- end -}}
{{- define "berth.secretEnv.logCollector" -}}{{- end -}}
{{- define "berth.secretEnv.console" -}}{{- end -}}
