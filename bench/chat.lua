-- POST one chat completion to the gateway, rotating over the keys in KEYS (comma-separated).
-- BODY, if set, replaces the default body (e.g. one without max_tokens, as the seed's users send).
local keys = {}
for k in string.gmatch(os.getenv("KEYS"), "[^,]+") do keys[#keys + 1] = k end
local body = os.getenv("BODY")
if body == nil or body == "" then
  body = '{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
end
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. keys[(n % #keys) + 1]
  return wrk.format("POST", nil, headers, body)
end
