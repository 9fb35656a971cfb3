# The seed's variables come first, with the seed's values as defaults; the rest are hardening and
# production switches with dev defaults.

# --- AWS (seed) ---------------------------------------------------------------------------------

variable "aws_region" {
  description = "Region to deploy into."
  type        = string
  default     = "ap-south-1"
}

variable "aws_profile" {
  description = "AWS CLI profile for credentials; empty uses the default credential chain."
  type        = string
  default     = ""
}

variable "project_name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "llm-gateway"
}

variable "environment" {
  description = "Environment name (dev, staging, prod); part of every resource name. \"prod\" (or \"production\") turns every production switch below on unless that switch is set explicitly."
  type        = string
  default     = "dev"
}

# --- VPC (seed) ---------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Two (or more) availability zones of aws_region."
  type        = list(string)
  default     = ["ap-south-1a", "ap-south-1b"]
}

variable "private_subnet_cidrs" {
  description = "Private subnets, one per availability zone (ECS tasks, RDS)."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24"]
}

variable "public_subnet_cidrs" {
  description = "Public subnets, one per availability zone (ALB, NAT gateway)."
  type        = list(string)
  default     = ["10.0.101.0/24", "10.0.102.0/24"]
}

# --- RDS (seed) ---------------------------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class (db.t4g.micro: ~80 connections, hence pool size 5 per task)."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage" {
  description = "Initial database storage in GiB."
  type        = number
  default     = 20
}

variable "db_engine_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"
}

variable "db_name" {
  description = "Database name."
  type        = string
  default     = "gateway"
}

variable "db_username" {
  description = "Database master user name (the password is generated)."
  type        = string
  default     = "gateway"
}

# --- ECS (seed) ---------------------------------------------------------------------------------

variable "container_image" {
  description = "Gateway image, e.g. 123456789012.dkr.ecr.ap-south-1.amazonaws.com/llm-gateway:0.1.0 (build: docs/DEPLOYMENT.md)."
  type        = string
}

variable "container_port" {
  description = "Port the gateway listens on in the container."
  type        = number
  default     = 4000
}

variable "task_cpu" {
  description = "Task CPU units (512 = 0.5 vCPU)."
  type        = number
  default     = 512
}

variable "task_memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 1024
}

variable "desired_count" {
  description = "Tasks at first deployment."
  type        = number
  default     = 1
}

variable "min_capacity" {
  description = "Autoscaling floor."
  type        = number
  default     = 1
}

variable "max_capacity" {
  description = "Autoscaling ceiling. Each task holds db_pool_size connections."
  type        = number
  default     = 3
}

# --- TLS (seed) ---------------------------------------------------------------------------------

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on the ALB; empty serves HTTP only (dev). When set, HTTP redirects to HTTPS."
  type        = string
  default     = ""
}

variable "allow_insecure_http" {
  description = "Accept an HTTP-only listener (no certificate_arn) reachable from 0.0.0.0/0 or any range wider than /8: API keys then cross the internet in clear text. Off by default, so such a plan fails; the dev example sets it."
  type        = bool
  default     = false
}

# --- beyond the seed: network -------------------------------------------------------------------

variable "alb_ingress_cidrs" {
  description = "Client IPv4 ranges allowed to reach the ALB on 80/443. Narrow this to your offices/VPN where possible."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both AZs (dev, cheaper). Production: false, one per AZ."
  type        = bool
  default     = true
}

variable "alb_idle_timeout" {
  description = "ALB idle timeout in seconds; must exceed the longest silence in an SSE stream and stay below gateway_idle_timeout_seconds."
  type        = number
  default     = 300
}

variable "gateway_idle_timeout_seconds" {
  description = "Idle timeout of the gateway's own connections (GATEWAY_IDLE_TIMEOUT_SECONDS). Must exceed alb_idle_timeout: a server that closes a kept-alive connection first races the ALB's next request on it, which the ALB answers with 502."
  type        = number
  default     = 330
}

variable "expose_metrics" {
  description = "Route /metrics through the public ALB (scraped with the bearer token in metrics_token_secret_arn). Off: the ALB answers /metrics with 404 itself."
  type        = bool
  default     = false
}

variable "alb_deletion_protection" {
  description = "ALB deletion protection. Null: on when environment is prod."
  type        = bool
  default     = null
}

variable "alb_access_logs" {
  description = "ALB access logs to the S3 log bucket. Null: on when environment is prod."
  type        = bool
  default     = null
}

variable "vpc_flow_logs" {
  description = "VPC flow logs (all traffic) to the S3 log bucket. Null: on when environment is prod."
  type        = bool
  default     = null
}

variable "log_bucket_retention_days" {
  description = "Days the S3 log bucket keeps ALB access logs and VPC flow logs."
  type        = number
  default     = 365
}

# --- beyond the seed: database lifecycle ---------------------------------------------------------
# Each switch is null by default, which follows `environment`: dev keeps the seed's teardown-friendly
# values, prod gets db_deletion_protection = true, db_skip_final_snapshot = false, db_multi_az = true
# and secret_recovery_window_days = 30. An explicit value always wins.

variable "db_multi_az" {
  description = "RDS Multi-AZ standby. Null: on when environment is prod (dev: single AZ, as in the seed)."
  type        = bool
  default     = null
}

variable "db_backup_retention_period" {
  description = "Days of automated RDS backups. Production: 7 or more."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "RDS deletion protection. Null: on when environment is prod (dev: off, as in the seed)."
  type        = bool
  default     = null
}

variable "db_skip_final_snapshot" {
  description = "Skip the final RDS snapshot on destroy. Null: skip unless environment is prod (dev: skip, as in the seed)."
  type        = bool
  default     = null
}

variable "secret_recovery_window_days" {
  description = "Days deleted secrets stay restorable: 0 (deleted at once, so destroy + apply can reuse the names) or 7-30. Null: 30 when environment is prod, else 0."
  type        = number
  default     = null

  validation {
    condition     = var.secret_recovery_window_days == null || try(var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30), false)
    error_message = "Secrets Manager accepts a recovery window of 0 or 7-30 days."
  }
}

# --- beyond the seed: gateway settings ----------------------------------------------------------

variable "db_pool_size" {
  description = "Database connections per task (GATEWAY_DB_POOL_SIZE)."
  type        = number
  default     = 5
}

variable "gateway_timezone" {
  description = "Time zone of the daily/monthly budget windows (GATEWAY_TIMEZONE). The database keeps the first one a task starts with; a task with another refuses to start (change: gateway-admin settings timezone, tasks stopped)."
  type        = string
  default     = "UTC"
}

variable "ui_admin_user" {
  description = "Admin UI user name (GATEWAY_UI_ADMIN_USER); the password is generated into Secrets Manager."
  type        = string
  default     = "admin"
}

variable "extra_environment" {
  description = "More non-secret environment variables for the gateway. Secrets never go here."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for name in keys(var.extra_environment) :
      length(regexall("(?i)(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL|DATABASE_URL)", name)) == 0
    ])
    error_message = "extra_environment is for plain settings; secrets go through Secrets Manager (module secrets)."
  }
}

variable "log_retention_days" {
  description = "CloudWatch log retention of the gateway. Production: 365 or more."
  type        = number
  default     = 30
}

# --- beyond the seed: Bedrock -------------------------------------------------------------------

variable "bedrock_region" {
  description = "Region the gateway calls Bedrock in (the seed uses US cross-Region inference from us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "bedrock_inference_profile_ids" {
  description = "Inference profiles the task role may invoke: the deployments in config/models.yaml."
  type        = list(string)
  default = [
    "us.amazon.nova-micro-v1:0",
    "us.amazon.nova-lite-v1:0",
    "us.amazon.nova-pro-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.amazon.nova-2-lite-v1:0",
  ]
}

variable "bedrock_in_region_model_ids" {
  description = "Foundation models the task role may invoke directly in bedrock_region (no inference profile): the embedding model of config/models.yaml."
  type        = list(string)
  default     = ["amazon.titan-embed-text-v2:0"]
}

variable "bedrock_destination_regions" {
  description = "Regions the US inference profiles route to (the foundation model must be allowed in each)."
  type        = list(string)
  default     = ["us-east-1", "us-east-2", "us-west-2"]
}

# --- beyond the seed: capacity ------------------------------------------------------------------

variable "spot_weight" {
  description = "FARGATE_SPOT capacity-provider weight."
  type        = number
  default     = 3
}

variable "on_demand_weight" {
  description = "On-demand FARGATE weight: the share of tasks that survives a Spot reclaim."
  type        = number
  default     = 1
}

variable "on_demand_base" {
  description = "Tasks always on on-demand FARGATE. Dev: 0. Production: 1, so Spot reclaims never empty the service."
  type        = number
  default     = 0
}

# sso: single sign-on to the admin UI with an OpenID Connect provider (docs/ui/sso.md). Empty
# issuer: off (the break-glass account above still signs in).
variable "oidc_issuer" {
  description = "OIDC issuer URL (GATEWAY_OIDC_ISSUER), e.g. https://corp.okta.com/oauth2/default; empty turns single sign-on off."
  type        = string
  default     = ""

  validation {
    condition     = var.oidc_issuer == "" || startswith(var.oidc_issuer, "https://")
    error_message = "oidc_issuer must be an https URL (or empty)."
  }
}

variable "oidc_client_id" {
  description = "The gateway's client id at the provider (GATEWAY_OIDC_CLIENT_ID)."
  type        = string
  default     = ""
}

variable "oidc_client_secret" {
  description = "The client secret from the provider (GATEWAY_OIDC_CLIENT_SECRET), stored in Secrets Manager; pass it as TF_VAR_oidc_client_secret, never in a committed tfvars file."
  type        = string
  default     = ""
  sensitive   = true
}

variable "oidc_redirect_uri" {
  description = "https://<the gateway's public host>/ui/oidc/callback, registered at the provider exactly (GATEWAY_OIDC_REDIRECT_URI)."
  type        = string
  default     = ""

  validation {
    condition     = var.oidc_redirect_uri == "" || endswith(var.oidc_redirect_uri, "/ui/oidc/callback")
    error_message = "oidc_redirect_uri must end in /ui/oidc/callback."
  }
}

variable "oidc_scopes" {
  description = "Requested scopes (GATEWAY_OIDC_SCOPES), openid among them."
  type        = string
  default     = "openid email profile"
}

variable "oidc_groups_claim" {
  description = "ID token claim with the person's groups (GATEWAY_OIDC_GROUPS_CLAIM): groups (Okta, Entra ID) or cognito:groups (Cognito)."
  type        = string
  default     = "groups"
}

variable "oidc_display_name" {
  description = "Provider name on the sign-in button (GATEWAY_OIDC_DISPLAY_NAME)."
  type        = string
  default     = "single sign-on"
}

variable "oidc_client_auth" {
  description = "client_secret_basic or client_secret_post (GATEWAY_OIDC_CLIENT_AUTH)."
  type        = string
  default     = "client_secret_basic"

  validation {
    condition     = contains(["client_secret_basic", "client_secret_post"], var.oidc_client_auth)
    error_message = "oidc_client_auth must be client_secret_basic or client_secret_post."
  }
}

variable "oidc_email_verified" {
  description = "if_claimed or required (GATEWAY_OIDC_EMAIL_VERIFIED): whether email_verified must be present for the e-mail to count."
  type        = string
  default     = "if_claimed"
}

variable "oidc_admin_groups" {
  description = "Groups whose members are proxy admins, comma-separated (GATEWAY_OIDC_ADMIN_GROUPS)."
  type        = string
  default     = ""
}

variable "oidc_viewer_groups" {
  description = "Groups whose members are read-only viewers, comma-separated (GATEWAY_OIDC_VIEWER_GROUPS)."
  type        = string
  default     = ""
}

variable "oidc_team_admin_groups" {
  description = "group=team-id[,team-id];group2=team-id (GATEWAY_OIDC_TEAM_ADMIN_GROUPS)."
  type        = string
  default     = ""
}
