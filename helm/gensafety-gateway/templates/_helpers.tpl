{{/* Chart name. */}}
{{- define "gensafety.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "gensafety.fullname" -}}
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

{{/* Selector labels. */}}
{{- define "gensafety.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gensafety.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels. */}}
{{- define "gensafety.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "gensafety.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Service account name. */}}
{{- define "gensafety.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gensafety.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Container image: the GPU variant when gpu.enabled. */}}
{{- define "gensafety.image" -}}
{{- if .Values.gpu.enabled }}
{{- printf "%s:%s" .Values.gpu.image.repository (default (printf "%s-gpu" .Chart.AppVersion) .Values.gpu.image.tag) }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the gateway's secrets. */}}
{{- define "gensafety.secretName" -}}
{{- default (include "gensafety.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* "true" when the secret entry named by .key is available (given in values, or declared present in the existing Secret). */}}
{{- define "gensafety.hasSecret" -}}
{{- $s := .root.Values.secrets }}
{{- if or (eq .key "adminToken") (eq .key "keyPepper") }}true
{{- else if $s.existingSecret }}{{ if index $s.existingSecretHas .key }}true{{ end }}
{{- else if index $s .key }}true
{{- end }}
{{- end }}

{{/* Directory where the Secret is mounted. */}}
{{- define "gensafety.secretDir" -}}/var/run/secrets/gensafety{{- end }}
