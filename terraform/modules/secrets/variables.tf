variable "name" {
  description = "Name prefix for every resource (project-environment); secrets are named <name>/<secret>."
  type        = string
}

variable "db_username" {
  description = "Master user name of the database (goes into DATABASE_URL)."
  type        = string
}

variable "db_name" {
  description = "Database name (goes into DATABASE_URL)."
  type        = string
}

variable "db_address" {
  description = "Host name of the RDS instance (goes into DATABASE_URL)."
  type        = string
}

variable "db_port" {
  description = "Port of the RDS instance."
  type        = number
  default     = 5432
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored. 0 deletes at once, so destroy + apply can recreate the same names (dev); use 7-30 in production."
  type        = number
  default     = 0

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "Secrets Manager accepts a recovery window of 0 or 7-30 days."
  }
}

# sso: single sign-on's client secret (GATEWAY_OIDC_CLIENT_SECRET), only when SSO is on.
variable "oidc_enabled" {
  description = "Whether the admin UI signs in with an OpenID Connect provider: creates the client secret's secret."
  type        = bool
  default     = false
}

variable "oidc_client_secret" {
  description = "The OIDC client secret from the identity provider's app registration (GATEWAY_OIDC_CLIENT_SECRET); kept in Secrets Manager and in the Terraform state, like the generated secrets."
  type        = string
  default     = ""
  sensitive   = true
}
