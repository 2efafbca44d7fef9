-- wrk script for bench/alertmanager-ratio.ts: every request carries two new alerts (fresh
-- alertname and fingerprint), in Alertmanager's own API shape (BODY_KIND=am, POST /api/v2/alerts)
-- or its webhook shape as Failsafe receives it (BODY_KIND=webhook). Same labels, same text.
local kind = os.getenv("BODY_KIND")
local prefix = os.getenv("RUN_PREFIX") or "r"
local token = os.getenv("ALERT_TOKEN") or ""
local n = 0
local started = "2026-11-23T07:25:29.847Z"

local function labels(id, region, feature)
  return string.format(
    '{"ai_feature":"%s","alertname":"Bench%s","env":"production","model":"gpt-x-2026-09","severity":"critical"%s}',
    feature, id, region)
end

local function alert(id, fp, region, summary, feature)
  if kind == "am" then
    return string.format('{"labels":%s,"annotations":{"summary":"%s"},"startsAt":"%s","generatorURL":"http://prometheus.example.com/graph"}',
      labels(id, region, feature), summary, started)
  end
  return string.format('{"status":"firing","labels":%s,"annotations":{"summary":"%s"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example.com/graph","fingerprint":"%s"}',
    labels(id, region, feature), summary, started, fp)
end

request = function()
  n = n + 1
  local id = prefix .. "-" .. n
  local feature = "a" .. (n % 50)
  local a = alert(id, id .. "-1", "", "Refund offers without policy up 4x", feature)
  local b = alert(id, id .. "-2", ',"region":"eu-west-1"', "Refund offers without policy up 4x (eu)", feature)
  local body, path
  local headers = { ["content-type"] = "application/json" }
  if kind == "am" then
    path = "/api/v2/alerts"
    body = "[" .. a .. "," .. b .. "]"
  else
    path = "/alerts/alertmanager"
    headers["authorization"] = "Bearer " .. token
    body = '{"receiver":"failsafe","status":"firing","alerts":[' .. a .. "," .. b ..
      '],"groupLabels":{"ai_feature":"' .. feature .. '"},"commonLabels":{"ai_feature":"' .. feature ..
      '"},"commonAnnotations":{},"externalURL":"http://vm:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}'
  end
  return wrk.format("POST", path, headers, body)
end
