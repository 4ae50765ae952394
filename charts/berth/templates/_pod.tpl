{{/* Merged plain configuration of one service, as sorted YAML. Args: (dict "ctx" $ "key" "deploy") */}}
{{- define "berth.configData" -}}
{{- $common := fromYaml (include "berth.config.common" .ctx) -}}
{{- $own := fromYaml (include (printf "berth.config.%s" .key) .ctx) | default dict -}}
{{- toYaml (merge $own $common) -}}
{{- end -}}

{{/*
The Berth service's container. Args: (dict "ctx" $ "key" "deploy" "mounts" <extra volumeMounts YAML or "">)
*/}}
{{- define "berth.serviceContainer" -}}
{{- $svc := get (fromJson (include "berth.services" .ctx)) .key -}}
{{- $values := get .ctx.Values.services .key -}}
- name: {{ $svc.component }}
  image: {{ include "berth.image" (dict "ctx" .ctx "image" $values.image) | quote }}
  imagePullPolicy: {{ .ctx.Values.image.pullPolicy }}
  ports:
    - {name: http, containerPort: {{ $svc.port }}, protocol: TCP}
  envFrom:
    - configMapRef:
        name: {{ include "berth.componentName" (dict "ctx" .ctx "component" $svc.component) }}
  env:
    {{- include "berth.secretEnv.common" .ctx | nindent 4 }}
    {{- with include (printf "berth.secretEnv.%s" .key) .ctx }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- include "berth.probes" .ctx | nindent 2 }}
  resources:
    {{- toYaml $values.resources | nindent 4 }}
  securityContext:
    {{- include "berth.containerSecurityContext" .ctx | nindent 4 }}
  volumeMounts:
    # the JVM and Vert.x write temporary files; the root filesystem is read-only
    - {name: tmp, mountPath: /tmp}
    {{- with .mounts }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* Pod-level settings every Berth pod shares. Args: (dict "ctx" $ "key" "deploy") */}}
{{- define "berth.podCommon" -}}
{{- $svc := get (fromJson (include "berth.services" .ctx)) .key -}}
serviceAccountName: {{ include "berth.componentName" (dict "ctx" .ctx "component" $svc.component) }}
# only the services that call the Kubernetes API get a token (templates/rbac.yaml)
automountServiceAccountToken: {{ $svc.kubernetesApi | default false }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
