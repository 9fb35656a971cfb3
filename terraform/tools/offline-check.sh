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
# this runs `terraform validate` on every module and `terraform plan` of environments/dev.
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
edit("modules/ecs/iam.tf", lambda s: s.replace('data "aws_caller_identity" "current" {}', '')
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
if terraform plan -input=false -no-color -lock=false \
    -var 'container_image=123456789012.dkr.ecr.ap-south-1.amazonaws.com/llm-gateway:0.1.0' >"$work/plan.txt" 2>&1; then
  echo "plan environments/dev: $(grep -E '^Plan:' "$work/plan.txt")"
else
  echo "plan environments/dev: FAILED"; cat "$work/plan.txt"; status=1
fi
exit $status
