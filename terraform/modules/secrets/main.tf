# Generated credentials, stored in Secrets Manager and injected into the task by ECS (`secrets`),
# never as plain environment values. The task reads: master key, DATABASE_URL, UI admin password
# hash, /metrics bearer token. The plain UI admin password and the DB password are for operators only.
#
# The values also sit in the Terraform state (the random provider keeps `result`): keep the state in
# an encrypted, access-controlled backend (docs/DEPLOYMENT.md).
#
# Rotation is manual (replace the random_password, apply, force a new ECS deployment), hence the
# CKV2_AWS_57 skips; the AWS-managed key aws/secretsmanager encrypts them (CKV_AWS_149 skips).

# --- values -------------------------------------------------------------------------------------

resource "random_password" "master_key" {
  # 48 alphanumerics = ~285 bits; no specials so it pastes into shells and headers untouched.
  length  = 48
  special = false
}

resource "random_password" "db" {
  # Alphanumerics only: the password is embedded in DATABASE_URL (no URL escaping needed) and RDS
  # rejects '/', '@', '"' and spaces anyway.
  length  = 40
  special = false
}

resource "random_password" "ui_admin" {
  # bcrypt reads at most 72 bytes; 24 alphanumerics = ~142 bits.
  length  = 24
  special = false
}

resource "random_password" "metrics_token" {
  # Bearer token for /metrics (GATEWAY_METRICS_TOKEN): 48 alphanumerics, like the master key but
  # without its sk- prefix, since it is no API key.
  length  = 48
  special = false
}

locals {
  master_key   = "sk-${random_password.master_key.result}"
  database_url = "postgresql://${var.db_username}:${random_password.db.result}@${var.db_address}:${var.db_port}/${var.db_name}?sslmode=require"
}

# --- secrets ------------------------------------------------------------------------------------

resource "aws_secretsmanager_secret" "master_key" {
  #checkov:skip=CKV2_AWS_57:Manual rotation (docs/DEPLOYMENT.md); the gateway accepts one master key at a time
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/master-key"
  description             = "GATEWAY_MASTER_KEY: admin credential of the LLM gateway"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "master_key" {
  secret_id     = aws_secretsmanager_secret.master_key.id
  secret_string = local.master_key
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV2_AWS_57:Derived from the DB password; rotated together with it (docs/DEPLOYMENT.md)
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/database-url"
  description             = "DATABASE_URL (libpq form, includes the DB password), read by the gateway tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.id
  secret_string = local.database_url
}

resource "aws_secretsmanager_secret" "db_password" {
  #checkov:skip=CKV2_AWS_57:Manual rotation (docs/DEPLOYMENT.md); RDS-managed rotation would break the static DATABASE_URL
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/db-password"
  description             = "Master password of the RDS instance, for operators (psql); not given to the tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "db_password" {
  secret_id     = aws_secretsmanager_secret.db_password.id
  secret_string = random_password.db.result
}

resource "aws_secretsmanager_secret" "ui_admin_password" {
  #checkov:skip=CKV2_AWS_57:Manual rotation (docs/DEPLOYMENT.md)
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/ui-admin-password"
  description             = "Admin UI password in plain text, for operators; not given to the tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "ui_admin_password" {
  secret_id     = aws_secretsmanager_secret.ui_admin_password.id
  secret_string = random_password.ui_admin.result
}

resource "aws_secretsmanager_secret" "ui_admin_password_hash" {
  #checkov:skip=CKV2_AWS_57:Rotated together with the UI admin password (docs/DEPLOYMENT.md)
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/ui-admin-password-hash"
  description             = "GATEWAY_UI_ADMIN_PASSWORD_HASH: bcrypt hash of the admin UI password, read by the gateway tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "ui_admin_password_hash" {
  secret_id     = aws_secretsmanager_secret.ui_admin_password_hash.id
  secret_string = random_password.ui_admin.bcrypt_hash
}

resource "aws_secretsmanager_secret" "metrics_token" {
  #checkov:skip=CKV2_AWS_57:Manual rotation (docs/DEPLOYMENT.md), together with the scraper's copy
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  name                    = "${var.name}/metrics-token"
  description             = "GATEWAY_METRICS_TOKEN: bearer token a scraper sends to /metrics, read by the gateway tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "metrics_token" {
  secret_id     = aws_secretsmanager_secret.metrics_token.id
  secret_string = random_password.metrics_token.result
}

# sso: the OIDC client secret, given to the tasks as GATEWAY_OIDC_CLIENT_SECRET. It comes from the
# identity provider (it cannot be generated here); rotate it there, then here, then roll the tasks.
resource "aws_secretsmanager_secret" "oidc_client_secret" {
  #checkov:skip=CKV2_AWS_57:Rotated at the identity provider (docs/ui/sso.md)
  #checkov:skip=CKV_AWS_149:AWS-managed key aws/secretsmanager; a CMK is a production option
  count                   = var.oidc_enabled ? 1 : 0
  name                    = "${var.name}/oidc-client-secret"
  description             = "GATEWAY_OIDC_CLIENT_SECRET: the admin UI's OpenID Connect client secret, read by the gateway tasks"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "oidc_client_secret" {
  count         = var.oidc_enabled ? 1 : 0
  secret_id     = aws_secretsmanager_secret.oidc_client_secret[0].id
  secret_string = var.oidc_client_secret
}
