{{- define "berth.haproxyImage" -}}
{{- $i := .Values.gateway.haproxy.image -}}
{{- if $i.registry -}}{{ printf "%s/%s:%s" $i.registry $i.repository $i.tag }}{{- else -}}{{ printf "%s:%s" $i.repository $i.tag }}{{- end -}}
{{- end -}}

{{/* The controller's render with no app (HaproxyConfigRenderer.render of an empty layout), for the paths and binds the chart sets. */}}
{{- define "berth.haproxyConfig" -}}
# Rendered by the Berth gateway controller (gateway/). Do not edit: the controller rewrites
# this file when an app is added and reloads HAProxy through the master socket; pool
# membership changes go through the Runtime API and never show up here until the next render.
global
    master-worker
    pidfile /run/haproxy/pid
    stats socket /run/haproxy/admin.sock mode 600 level admin expose-fd listeners
    stats timeout 30s
    # an old worker left by a reload ends at the latest this long after it
    hard-stop-after 60s
    # Access and alert logs go to HAProxy's stdout (bin/berth-dev: haproxy.log).
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    option dontlognull
    # On a reload, the old worker answers one more request on each idle keep-alive
    # connection with "Connection: close" instead of closing it under the client's feet.
    option idle-close-on-response
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout check 2s

frontend gateway
    bind :8000
    # route by the Host header without its port: <app>.{{ .Values.gateway.domain }}
    http-request set-var(txn.berth_host) req.hdr(host),field(1,:),lower
    default_backend berth_no_app

# A Host that names no app gets a short JSON 503.
backend berth_no_app
    http-request return status 503 content-type application/json string '{"status":503,"title":"no app is routed for this Host","detail":"no Berth app matches this request yet"}'

frontend stats
    bind 127.0.0.1:8404
    http-request set-log-level silent
    stats enable
    stats uri /stats
    stats refresh 10s
{{- if .Values.gateway.haproxy.prometheusExporter }}
    http-request use-service prometheus-exporter if { path /metrics }
{{- end }}
{{- end -}}
