/**
 * DEFAULT_TEMPLATES_NAME is the name errors give vigil's default templates.
 */
export const DEFAULT_TEMPLATES_NAME = 'vigil-defaults.tmpl';

/**
 * DEFAULT_TEMPLATES are vigil's definitions of the template names Alertmanager's configs call
 * most (`email.default.subject`, `slack.default.title`, `__subject`, ...), written for vigil.
 * Outputs that users match on keep Alertmanager's format exactly: the subject and Slack title are
 * `[FIRING:N] <group label values> (<common label values not in the group>)` (alertname first,
 * then by label name), as amtool 0.25 renders Alertmanager's default.tmpl. The email bodies are
 * vigil's own: a table of the alerts with their links; `email.default.html` runs with HTML
 * escaping (html/template), so label values are escaped.
 *
 * Every define trims the whitespace around it (`-}}`/`{{-`) so a call yields only its text.
 */
export const DEFAULT_TEMPLATES = String.raw`
{{- define "__alertmanager" }}vigil{{ end }}

{{- define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}{{ end }}

{{- define "__subject" -}}
[{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}] {{ join " " .GroupLabels.Values }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }}){{ end }}
{{- end }}

{{- define "__description" }}{{ end }}

{{- define "__vigil_time" }}{{ date "2006-01-02 15:04:05 MST" . }}{{ end }}

{{- define "__vigil_summary" }}{{ or .Annotations.summary .Annotations.description .Annotations.message }}{{ end }}

{{- define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{- define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{- define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{- define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{- define "slack.default.pretext" }}{{ end }}
{{- define "slack.default.text" }}{{ end }}
{{- define "slack.default.footer" }}{{ end }}
{{- define "slack.default.callbackid" }}{{ end }}
{{- define "slack.default.iconemoji" }}{{ end }}
{{- define "slack.default.iconurl" }}{{ end }}

{{- define "email.default.subject" }}{{ template "__subject" . }}{{ end }}

{{- define "email.default.text" -}}
{{ template "__subject" . }}

{{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved, receiver {{ .Receiver }}
{{ template "__alertmanagerURL" . }}
{{ range .Alerts }}
{{ toUpper .Status }} {{ .Labels.alertname }}{{ with .Labels.severity }} ({{ . }}){{ end }}
{{- with .Annotations.summary }}
  Summary:   {{ . }}{{ end }}
{{- with .Annotations.description }}
  Details:   {{ . }}{{ end }}
  Labels:    {{ range $i, $p := .Labels.SortedPairs }}{{ if $i }}, {{ end }}{{ $p.Name }}="{{ $p.Value }}"{{ end }}
  Started:   {{ template "__vigil_time" .StartsAt }}
{{- if eq .Status "resolved" }}
  Ended:     {{ template "__vigil_time" .EndsAt }}{{ end }}
{{- with or .Annotations.runbook_url .Annotations.runbook }}
  Runbook:   {{ . }}{{ end }}
{{- with or .Annotations.dashboard_url .Annotations.dashboard }}
  Dashboard: {{ . }}{{ end }}
{{- with .GeneratorURL }}
  Source:    {{ . }}{{ end }}
  Silence:   {{ silenceURL $.ExternalURL .Labels }}
{{ end }}
{{- end }}

{{- /* __vigil_link is called with (args URL TEXT); only web and mail links are written out. */ -}}
{{- define "__vigil_link" }}{{ if match "^(https?|mailto):" .arg0 }}<a href="{{ .arg0 }}" style="color:#1565c0">{{ .arg1 }}</a><br>{{ end }}{{ end }}

{{- define "email.default.html" -}}
<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ template "__subject" . }}</title>
</head>
<body style="margin:0;padding:16px;background:#f4f4f4;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:14px;color:#222">
<table role="presentation" style="width:100%;max-width:1000px;margin:0 auto;border-collapse:collapse;background:#fff;border:1px solid #ddd">
<tr><td style="padding:12px 16px;background:{{ if eq .Status "firing" }}#c62828{{ else }}#2e7d32{{ end }};color:#fff;font-size:16px;font-weight:bold">{{ template "__subject" . }}</td></tr>
<tr><td style="padding:12px 16px">
<p style="margin:0 0 12px">{{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved, receiver <b>{{ .Receiver }}</b>. <a href="{{ template "__alertmanagerURL" . }}" style="color:#1565c0">View in vigil</a></p>
<table style="width:100%;border-collapse:collapse;font-size:13px">
<thead><tr style="background:#eee;text-align:left">
<th style="padding:6px;border:1px solid #ddd">Status</th><th style="padding:6px;border:1px solid #ddd">Alert</th><th style="padding:6px;border:1px solid #ddd">Severity</th><th style="padding:6px;border:1px solid #ddd">Summary</th><th style="padding:6px;border:1px solid #ddd">Labels</th><th style="padding:6px;border:1px solid #ddd">Started</th><th style="padding:6px;border:1px solid #ddd">Links</th>
</tr></thead>
<tbody>
{{- range .Alerts }}
<tr style="vertical-align:top">
<td style="padding:6px;border:1px solid #ddd;font-weight:bold;color:{{ if eq .Status "firing" }}#c62828{{ else }}#2e7d32{{ end }}">{{ toUpper .Status }}</td>
<td style="padding:6px;border:1px solid #ddd">{{ .Labels.alertname }}</td>
<td style="padding:6px;border:1px solid #ddd">{{ .Labels.severity }}</td>
<td style="padding:6px;border:1px solid #ddd">{{ template "__vigil_summary" . }}</td>
<td style="padding:6px;border:1px solid #ddd;font-family:monospace">{{ range .Labels.SortedPairs }}{{ .Name }}="{{ .Value }}"<br>{{ end }}</td>
<td style="padding:6px;border:1px solid #ddd;white-space:nowrap">{{ template "__vigil_time" .StartsAt }}{{ if eq .Status "resolved" }}<br>ended {{ template "__vigil_time" .EndsAt }}{{ end }}</td>
<td style="padding:6px;border:1px solid #ddd;white-space:nowrap">
{{- template "__vigil_link" (args (or .Annotations.runbook_url .Annotations.runbook) "runbook") }}
{{- template "__vigil_link" (args (or .Annotations.dashboard_url .Annotations.dashboard) "dashboard") }}
{{- template "__vigil_link" (args .GeneratorURL "source") }}
{{- template "__vigil_link" (args (silenceURL $.ExternalURL .Labels) "silence") }}</td>
</tr>
{{- end }}
</tbody>
</table>
</td></tr>
</table>
</body>
</html>
{{- end }}
`;
