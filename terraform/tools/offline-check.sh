#!/usr/bin/env bash
# Offline validation of the Terraform, for machines without access to the Terraform registry.
#
#   terraform/tools/offline-check.sh [PLUGIN_DIR]     (default PLUGIN_DIR: /opt/tf-plugins)
#
# PLUGIN_DIR must hold hashicorp/aws in the filesystem-mirror layout
# (registry.terraform.io/hashicorp/aws/<version>/<os_arch>/). If hashicorp/random is missing too,
# a temporary copy replaces the random_password resources with terraform_data stand-ins; if AWS
# credentials are missing, the plan uses fake ones and a fixed account id instead of
# data.aws_caller_identity (the only data source that calls AWS). Nothing is created anywhere:
# this runs `terraform validate` on every module and three plans of environments/dev: the dev
# example (must plan), the seed's HTTP-only tfvars without allow_insecure_http (must be refused),
# and environment = "prod" (every production switch must be on in the plan).
# With a real AWS account, run `terraform init && terraform plan` in environments/dev instead.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
plugins="${1:-/opt/tf-plugins}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here" "$work/terraform"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 AWS_EC2_METADATA_DISABLED=true
export TF_CLI_CONFIG_FILE="$work/terraformrc"   # no ~/.terraformrc needed (and no warning about it)
: >"$TF_CLI_CONFIG_FILE"

python3 - "$work/terraform" "$plugins" <<'PY'
import os, re, sys
root, plugins = sys.argv[1], sys.argv[2]
have_random = os.path.isdir(os.path.join(plugins, "registry.terraform.io/hashicorp/random"))
def edit(path, fn):
    p = os.path.join(root, path); s = open(p).read(); open(p, "w").write(fn(s))
if not have_random:
    stub = lambda s: re.sub(r'random_password\.(\w+)\.(result|bcrypt_hash)', r'terraform_data.\1.output',
        re.sub(r'resource "random_password" "(\w+)" \{.*?\n\}',
               lambda m: 'resource "terraform_data" "%s" {\n  input = "stub-%s"\n}' % (m.group(1), m.group(1)), s, flags=re.S))
    edit("modules/secrets/main.tf", stub)
    edit("modules/secrets/outputs.tf", stub)
    edit("environments/dev/main.tf", lambda s: re.sub(r'    random = \{.*?\n    \}\n', '', s, flags=re.S))
    print("offline-check: hashicorp/random not in %s, random_password stubbed" % plugins)
for path in ("modules/ecs/iam.tf", "modules/logs/main.tf"):
    edit(path, lambda s: s.replace('data "aws_caller_identity" "current" {}', '')
         .replace('data.aws_caller_identity.current.account_id', '"123456789012"'))
edit("environments/dev/main.tf", lambda s: s.replace('provider "aws" {\n',
     'provider "aws" {\n  access_key = "offline"\n  secret_key = "offline"\n  skip_credentials_validation = true\n'
     '  skip_requesting_account_id = true\n  skip_metadata_api_check = true\n', 1)
     .replace('profile = var.aws_profile == "" ? null : var.aws_profile', ''))
PY

status=0
for dir in "$work"/terraform/modules/* "$work"/terraform/environments/dev; do
  name="${dir#"$work"/terraform/}"
  if (cd "$dir" && terraform init -backend=false -input=false -plugin-dir="$plugins" >/dev/null \
      && terraform validate -no-color >/dev/null); then
    echo "validate $name: ok"
  else
    echo "validate $name: FAILED"; (cd "$dir" && terraform validate -no-color) || true; status=1
  fi
done

cd "$work/terraform/environments/dev"
image='container_image = "123456789012.dkr.ecr.ap-south-1.amazonaws.com/llm-gateway:0.1.0"'
plan() { # plan NAME TFVARS-TEXT [ARGS...]: writes $work/NAME.txt and, on success, $work/NAME.json
  local name="$1" vars="$2"; shift 2
  printf '%s\n' "$vars" >terraform.tfvars
  if terraform plan -input=false -no-color -lock=false -out="$work/$name.bin" "$@" >"$work/$name.txt" 2>&1; then
    terraform show -json "$work/$name.bin" >"$work/$name.json"
  else
    return 1
  fi
}

# 1. The dev example as documented (seed layout, allow_insecure_http = true): plans.
if plan dev "$(cat terraform.tfvars.example)"; then
  echo "plan environments/dev (terraform.tfvars.example): $(grep -E '^Plan:' "$work/dev.txt")"
else
  echo "plan environments/dev: FAILED"; cat "$work/dev.txt"; status=1
fi

# 2. The seed's tfvars without allow_insecure_http: HTTP open to 0.0.0.0/0 must be refused.
if plan insecure "$(grep -v '^allow_insecure_http' terraform.tfvars.example)"; then
  echo "plan without allow_insecure_http: planned, but must be refused"; status=1
elif grep -q 'HTTP-only listener open to the internet' "$work/insecure.txt"; then
  echo "plan without allow_insecure_http: refused (HTTP-only listener open to the internet)"
else
  echo "plan without allow_insecure_http: FAILED for another reason"; cat "$work/insecure.txt"; status=1
fi

# 3. environment = "prod" with a certificate: every production switch on, read from the plan.
if plan prod "$(printf '%s\nenvironment = "prod"\ncertificate_arn = "arn:aws:acm:ap-south-1:123456789012:certificate/0"\n' "$image")"; then
  echo "plan environment = prod: $(grep -E '^Plan:' "$work/prod.txt")"
  python3 - "$work/dev.json" "$work/prod.json" <<'PY' || status=1
import json, sys
def facts(path):
    plan = json.load(open(path))
    res = {}
    def walk(m):
        for r in m.get("resources", []):
            res.setdefault(r["type"], []).append(r.get("values", {}))
        for c in m.get("child_modules", []):
            walk(c)
    walk(plan["planned_values"]["root_module"])
    db = res["aws_db_instance"][0]
    lb = res["aws_lb"][0]
    # Attributes unknown until apply are absent from planned values; these are all known.
    # The container definitions are unknown until apply (secret ARNs); the ecs module's
    # precondition ties GATEWAY_IDLE_TIMEOUT_SECONDS to this variable.
    server_idle = plan["variables"]["gateway_idle_timeout_seconds"]["value"]
    return {
        "rds deletion_protection": db.get("deletion_protection"),
        "rds skip_final_snapshot": db["skip_final_snapshot"],
        "rds multi_az": db["multi_az"],
        "secret recovery windows": sorted({s["recovery_window_in_days"] for s in res["aws_secretsmanager_secret"]}),
        "vpc flow logs": len(res.get("aws_flow_log", [])),
        "alb access logs": [a["enabled"] for a in lb.get("access_logs", [])],
        "alb deletion protection": lb["enable_deletion_protection"],
        "/metrics blocked at the alb": len(res.get("aws_lb_listener_rule", [])),
        "alb idle_timeout < GATEWAY_IDLE_TIMEOUT_SECONDS": (lb["idle_timeout"], server_idle),
    }
dev, prod = facts(sys.argv[1]), facts(sys.argv[2])
for k in dev:
    print("  %-48s dev %-14s prod %s" % (k, dev[k], prod[k]))
want = {"rds deletion_protection": True, "rds skip_final_snapshot": False, "rds multi_az": True,
        "secret recovery windows": [30], "vpc flow logs": 1, "alb access logs": [True],
        "alb deletion protection": True, "/metrics blocked at the alb": 1}
bad = [k for k, v in want.items() if prod[k] != v]
bad += [k for k in ("alb idle_timeout < GATEWAY_IDLE_TIMEOUT_SECONDS",) for p in (dev, prod) if not p[k][0] < p[k][1]]
if bad:
    print("  NOT production-safe with environment = prod: %s" % bad); sys.exit(1)
PY
else
  echo "plan environment = prod: FAILED"; cat "$work/prod.txt"; status=1
fi
exit $status
