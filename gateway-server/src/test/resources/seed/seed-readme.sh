#!/usr/bin/env bash
# The seed README's curl commands (shared/seed/000_ab8cf97e89ac6f89.txt), verbatim: step 6 (add
# models), step 7 (create teams, "Or manually"), step 8 (generate a key), "API Usage" (chat),
# "Admin Operations" and the troubleshooting chat with the master key.
#
# Environment, exactly as the seed uses it: LITELLM_URL, LITELLM_MASTER_KEY, and USER_API_KEY
# (taken from step 8's answer, as a reader would copy it). SEED_OUT: a directory where each call's
# HTTP status and body are recorded (NN.label, NN.status, NN.body) for SeedReadmeCurlTest to check.
#
# The commands below are byte-for-byte the README's. Two shell functions make that possible:
# `curl` runs /usr/bin/curl with the same arguments plus -o/-w to record status and body (and still
# prints the body), and `jq` falls back to `cat` when jq is not installed.
set -u
: "${LITELLM_URL:?set LITELLM_URL}" "${LITELLM_MASTER_KEY:?set LITELLM_MASTER_KEY}" "${SEED_OUT:?set SEED_OUT}"

label="unlabelled"
step() { label="$1"; }
# The call counter lives in a file: a command piped into jq runs in a subshell.
echo 0 > "$SEED_OUT/count"
curl() {
  local n id
  n=$(($(cat "$SEED_OUT/count") + 1))
  echo "$n" > "$SEED_OUT/count"
  id=$(printf '%02d' "$n")
  printf '%s\n' "$label" > "$SEED_OUT/$id.label"
  /usr/bin/curl -sS --max-time 60 -o "$SEED_OUT/$id.body" -w '%{http_code}' "$@" > "$SEED_OUT/$id.status"
  cat "$SEED_OUT/$id.body"
  echo
}
jq() { if command -v jq >/dev/null 2>&1; then command jq "$@"; else cat; fi; }
last_body() { cat "$SEED_OUT/$(printf '%02d' "$(cat "$SEED_OUT/count")").body"; }

# ---- 6. Add Models to LiteLLM ------------------------------------------------------------------
step "6 model/new model-cheap"
# Add model-cheap (Nova Micro)
curl -X POST "$LITELLM_URL/model/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model_name": "model-cheap",
    "litellm_params": {
      "model": "bedrock/converse/us.amazon.nova-micro-v1:0",
      "aws_region_name": "us-east-1"
    }
  }'

step "6 model/new model-balanced"
# Add model-balanced (Nova Lite)
curl -X POST "$LITELLM_URL/model/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model_name": "model-balanced",
    "litellm_params": {
      "model": "bedrock/converse/us.amazon.nova-lite-v1:0",
      "aws_region_name": "us-east-1"
    }
  }'

step "6 model/new model-reasoning"
# Add model-reasoning (Nova Pro)
curl -X POST "$LITELLM_URL/model/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model_name": "model-reasoning",
    "litellm_params": {
      "model": "bedrock/converse/us.amazon.nova-pro-v1:0",
      "aws_region_name": "us-east-1"
    }
  }'

# ---- 7. Create Teams (manually) ----------------------------------------------------------------
step "7 team/new drafting"
# Create Drafting team
curl -X POST "$LITELLM_URL/team/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "team_alias": "drafting",
    "models": ["model-cheap"],
    "max_budget": 0.017,
    "budget_duration": "1d"
  }'

step "7 team/new coding"
# Create Coding team
curl -X POST "$LITELLM_URL/team/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "team_alias": "coding",
    "models": ["model-balanced"],
    "max_budget": 0.033,
    "budget_duration": "1d"
  }'

step "7 team/new architect"
# Create Architect team
curl -X POST "$LITELLM_URL/team/new" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "team_alias": "architect",
    "models": ["model-reasoning"],
    "max_budget": 0.067,
    "budget_duration": "1d"
  }'

# ---- 8. Onboard Users (generate keys manually) -------------------------------------------------
step "8 key/generate"
curl -X POST "$LITELLM_URL/key/generate" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "user_id": "user@example.com",
    "team_id": "drafting",
    "key_alias": "User Name"
  }'
# The reader copies the "key" of that answer into USER_API_KEY.
USER_API_KEY=$(last_body | sed -n 's/.*"key":"\(sk-[^"]*\)".*/\1/p')
export USER_API_KEY

# ---- API Usage: Chat Completions (OpenAI-Compatible) -------------------------------------------
step "api chat/completions user key"
curl -X POST "$LITELLM_URL/chat/completions" \
  -H "Authorization: Bearer $USER_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "model-cheap",
    "messages": [{"role": "user", "content": "Hello!"}]
  }'

# ---- Admin Operations --------------------------------------------------------------------------
step "admin models"
curl -s "$LITELLM_URL/models" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" | jq

step "admin key/list"
curl -s "$LITELLM_URL/key/list" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" | jq

step "admin team/list"
curl -s "$LITELLM_URL/team/list" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" | jq

step "admin user/info"
curl -s "$LITELLM_URL/user/info" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{"user_ids": ["user@example.com"]}' | jq

step "admin health"
curl -s "$LITELLM_URL/health" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" | jq

step "admin model/delete placeholder"
curl -X POST "$LITELLM_URL/model/delete" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{"id": "model-id-here"}'

step "admin key/delete placeholder"
curl -X POST "$LITELLM_URL/key/delete" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{"keys": ["sk-key-to-delete"]}'

# ---- Troubleshooting: test with an actual chat completion --------------------------------------
step "troubleshooting chat/completions master key"
curl -X POST "$LITELLM_URL/chat/completions" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d '{"model": "model-cheap", "messages": [{"role": "user", "content": "test"}]}'

# ---- The two deletes again with real ids (the README's placeholders replaced) -------------------
MODEL_ID=$(cat "$SEED_OUT/01.body" | sed -n 's/.*"model_id":"\([^"]*\)".*/\1/p')
step "admin model/delete real id"
curl -X POST "$LITELLM_URL/model/delete" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d "{\"id\": \"$MODEL_ID\"}"

step "admin key/delete real key"
curl -X POST "$LITELLM_URL/key/delete" \
  -H "Authorization: Bearer $LITELLM_MASTER_KEY" \
  -H "Content-Type: application/json" \
  -d "{\"keys\": [\"$USER_API_KEY\"]}"

step "chat with the deleted key"
curl -X POST "$LITELLM_URL/chat/completions" \
  -H "Authorization: Bearer $USER_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"model": "model-balanced", "messages": [{"role": "user", "content": "Hello!"}]}'
