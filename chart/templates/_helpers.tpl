{{/* The one place for names, labels, the image reference and the webhook certificate. */}}

{{- define "waf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "waf.fullname" -}}
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

{{- define "waf.controller.fullname" -}}
{{- printf "%s-controller" (include "waf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "waf.postanalytics.fullname" -}}
{{- printf "%s-postanalytics" (include "waf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "waf.postanalytics.selectorLabels" -}}
app.kubernetes.io/name: {{ include "waf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postanalytics
{{- end }}

{{- define "waf.postanalytics.tokenSecret" -}}
{{- default (printf "%s-token" (include "waf.postanalytics.fullname" .)) .Values.postanalytics.token.existingSecret }}
{{- end }}

{{/* Where the sidecars report: proxy.postanalytics, else this release's postanalytics Service. */}}
{{- define "waf.postanalytics.address" -}}
{{- if .Values.proxy.postanalytics }}
{{- .Values.proxy.postanalytics }}
{{- else if .Values.postanalytics.enabled }}
{{- printf "%s.%s.svc:%d" (include "waf.postanalytics.fullname" .) .Release.Namespace (int .Values.postanalytics.ingestPort) }}
{{- end }}
{{- end }}

{{- define "waf.webhook.secretName" -}}
{{- if eq .Values.webhook.tls.source "secret" }}
{{- required "webhook.tls.secret.name is required when webhook.tls.source is secret" .Values.webhook.tls.secret.name }}
{{- else }}
{{- printf "%s-webhook-tls" (include "waf.fullname" .) }}
{{- end }}
{{- end }}

{{- define "waf.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "waf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "waf.controller.selectorLabels" -}}
app.kubernetes.io/name: {{ include "waf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "waf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "waf.controller.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository@digest when a digest is set (it pins the image), else repository:tag. */}}
{{- define "waf.image" -}}
{{- $repository := required "image.repository is required" .Values.image.repository }}
{{- if .Values.image.digest }}
{{- if not (hasPrefix "sha256:" .Values.image.digest) }}
{{- fail (printf "image.digest must start with sha256:, got %q" .Values.image.digest) }}
{{- end }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" or "false": native sidecars (restartPolicy: Always init containers) are on by default from 1.29. */}}
{{- define "waf.nativeSidecar" -}}
{{- $value := toString .Values.injectionStrategy.nativeSidecar }}
{{- if eq $value "auto" }}
{{- $version := .Capabilities.KubeVersion.Version }}
{{- if regexMatch "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$" $version }}
{{- semverCompare ">=1.29.0-0" $version }}
{{- else }}
{{- /* An unstamped development build of Kubernetes is newer than any release. */}}
{{- true }}
{{- end }}
{{- else }}
{{- $value }}
{{- end }}
{{- end }}

{{/* Namespaces that never get a sidecar, as a JSON list: the system ones, this release's and the user's. */}}
{{- define "waf.excludedNamespaces" -}}
{{- concat (list "kube-system" "kube-public" "kube-node-lease" .Release.Namespace) .Values.excludedNamespaces | uniq | toJson }}
{{- end }}

{{/*
The chart-generated webhook certificate as a dict {ca, cert, key} (PEM). It is generated once per
render (the Secret and the webhook's caBundle must agree) and reused from the existing Secret on
upgrades, so an upgrade does not rotate it behind the API server's back.
*/}}
{{- define "waf.webhook.generatedTLS" -}}
{{- if not (hasKey .Values "__wafGeneratedTLS") }}
{{- $secretName := include "waf.webhook.secretName" . }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $secretName }}
{{- if and $existing (index $existing.data "ca.crt") (index $existing.data "tls.crt") (index $existing.data "tls.key") }}
{{- $_ := set .Values "__wafGeneratedTLS" (dict "ca" (index $existing.data "ca.crt" | b64dec) "cert" (index $existing.data "tls.crt" | b64dec) "key" (index $existing.data "tls.key" | b64dec)) }}
{{- else }}
{{- $service := include "waf.controller.fullname" . }}
{{- $dnsNames := list $service (printf "%s.%s" $service .Release.Namespace) (printf "%s.%s.svc" $service .Release.Namespace) }}
{{- $ca := genCA (printf "%s-webhook-ca" (include "waf.fullname" .)) (int .Values.webhook.tls.validityDays) }}
{{- $cert := genSignedCert (printf "%s.%s.svc" $service .Release.Namespace) .Values.webhook.tls.ipAddresses $dnsNames (int .Values.webhook.tls.validityDays) $ca }}
{{- $_ := set .Values "__wafGeneratedTLS" (dict "ca" $ca.Cert "cert" $cert.Cert "key" $cert.Key) }}
{{- end }}
{{- end }}
{{- toYaml (index .Values "__wafGeneratedTLS") }}
{{- end }}

{{/* The webhook's caBundle (base64 PEM), or nothing when cert-manager injects it. */}}
{{- define "waf.webhook.caBundle" -}}
{{- if eq .Values.webhook.tls.source "helm" }}
{{- (include "waf.webhook.generatedTLS" . | fromYaml).ca | b64enc }}
{{- else if eq .Values.webhook.tls.source "secret" }}
{{- required "webhook.tls.secret.caBundle is required when webhook.tls.source is secret" .Values.webhook.tls.secret.caBundle }}
{{- end }}
{{- end }}
