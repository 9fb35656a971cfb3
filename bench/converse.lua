-- POST the equivalent Converse call straight to the Bedrock stub (the baseline).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"messages":[{"role":"user","content":[{"text":"Say hello to the benchmark"}]}],"inferenceConfig":{"maxTokens":16}}'
