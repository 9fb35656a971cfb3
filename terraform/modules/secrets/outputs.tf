output "db_password" {
  description = "Generated master password for the RDS instance."
  value       = random_password.db.result
  sensitive   = true
}

output "master_key_secret_arn" {
  description = "Secret holding GATEWAY_MASTER_KEY."
  value       = aws_secretsmanager_secret.master_key.arn
}

output "database_url_secret_arn" {
  description = "Secret holding DATABASE_URL."
  value       = aws_secretsmanager_secret.database_url.arn
}

output "db_password_secret_arn" {
  description = "Secret holding the RDS master password (operators only)."
  value       = aws_secretsmanager_secret.db_password.arn
}

output "ui_admin_password_secret_arn" {
  description = "Secret holding the admin UI password in plain text (operators only)."
  value       = aws_secretsmanager_secret.ui_admin_password.arn
}

output "metrics_token_secret_arn" {
  description = "Secret holding GATEWAY_METRICS_TOKEN (the bearer token for /metrics)."
  value       = aws_secretsmanager_secret.metrics_token.arn
}

output "ui_admin_password_hash_secret_arn" {
  description = "Secret holding GATEWAY_UI_ADMIN_PASSWORD_HASH."
  value       = aws_secretsmanager_secret.ui_admin_password_hash.arn
}

# The ECS task definition must only start once every value exists: reference the versions, not just
# the secrets, so a task can never read an empty secret.
output "task_secret_arns" {
  description = "Environment variable name -> secret ARN, for the task definition's `secrets`."
  value = merge({
    GATEWAY_MASTER_KEY             = aws_secretsmanager_secret_version.master_key.arn
    DATABASE_URL                   = aws_secretsmanager_secret_version.database_url.arn
    GATEWAY_UI_ADMIN_PASSWORD_HASH = aws_secretsmanager_secret_version.ui_admin_password_hash.arn
    GATEWAY_METRICS_TOKEN          = aws_secretsmanager_secret_version.metrics_token.arn
    }, var.oidc_enabled ? {
    # sso
    GATEWAY_OIDC_CLIENT_SECRET = aws_secretsmanager_secret_version.oidc_client_secret[0].arn
  } : {})
}
