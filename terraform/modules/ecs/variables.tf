variable "name" {
  description = "Name prefix for every resource (project-environment)."
  type        = string
}

variable "aws_region" {
  description = "Region the service runs in (log group, ARNs)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the tasks."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "target_group_arn" {
  description = "ALB target group the service registers its tasks with."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB, for request-count scaling."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the target group, for request-count scaling."
  type        = string
}

# --- container ----------------------------------------------------------------------------------

variable "container_image" {
  description = "Image of the gateway, e.g. <account>.dkr.ecr.<region>.amazonaws.com/llm-gateway:0.1.0 (built with Jib, docs/DEPLOYMENT.md)."
  type        = string
}

variable "container_port" {
  description = "Port the gateway listens on (GATEWAY_PORT)."
  type        = number
}

variable "task_cpu" {
  description = "Task CPU units (512 = 0.5 vCPU)."
  type        = number
}

variable "task_memory" {
  description = "Task memory in MiB."
  type        = number
}

variable "secret_arns" {
  description = "Environment variable name -> Secrets Manager ARN, injected through the task definition's `secrets`."
  type        = map(string)
}

variable "db_pool_size" {
  description = "Database connections per task (GATEWAY_DB_POOL_SIZE). db.t4g.micro allows ~80 in total."
  type        = number
  default     = 5
}

variable "gateway_timezone" {
  description = "Time zone of the daily and monthly budget windows (GATEWAY_TIMEZONE). The database keeps the first one a task starts with; a task with another refuses to start (change: gateway-admin settings timezone, tasks stopped)."
  type        = string
  default     = "UTC"
}

variable "idle_timeout" {
  description = "Seconds the gateway keeps an idle connection open (GATEWAY_IDLE_TIMEOUT_SECONDS); must exceed alb_idle_timeout."
  type        = number
  default     = 330
}

variable "trusted_proxy_cidrs" {
  description = "CIDRs of the load balancer's subnets (GATEWAY_TRUSTED_PROXIES): only requests from these have their X-Forwarded-For and X-Forwarded-Proto believed."
  type        = list(string)
}

variable "alb_idle_timeout" {
  description = "Idle timeout of the ALB in front, in seconds (checked against idle_timeout)."
  type        = number
}

variable "ui_admin_user" {
  description = "User name of the admin UI (GATEWAY_UI_ADMIN_USER); its password is generated."
  type        = string
  default     = "admin"
}

variable "extra_environment" {
  description = "Further non-secret environment variables for the gateway (e.g. GATEWAY_LOG_LEVEL). Secrets never go here."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the gateway's logs."
  type        = number
  default     = 30
}

# --- Bedrock ------------------------------------------------------------------------------------

variable "bedrock_region" {
  description = "Region the gateway calls Bedrock in (AWS_REGION of the task): the source Region of the inference profiles."
  type        = string
}

variable "bedrock_inference_profile_ids" {
  description = "Cross-Region inference profiles the gateway may invoke (the models.yaml deployments)."
  type        = list(string)
}

variable "bedrock_in_region_model_ids" {
  description = "Foundation models invoked directly in bedrock_region, without an inference profile (the embedding model)."
  type        = list(string)
  default     = []
}

variable "bedrock_destination_regions" {
  description = "Every Region the inference profiles route to; the task role needs the foundation model in each."
  type        = list(string)
}

# --- service ------------------------------------------------------------------------------------

variable "desired_count" {
  description = "Tasks at first deployment; autoscaling owns the number afterwards."
  type        = number
}

variable "min_capacity" {
  description = "Autoscaling floor."
  type        = number
}

variable "max_capacity" {
  description = "Autoscaling ceiling."
  type        = number
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation for target tracking."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "Target ALB requests per task per minute for target tracking."
  type        = number
  default     = 600
}

variable "spot_weight" {
  description = "Capacity-provider weight of FARGATE_SPOT."
  type        = number
  default     = 3
}

variable "on_demand_weight" {
  description = "Capacity-provider weight of on-demand FARGATE (the share that survives a Spot reclaim wave)."
  type        = number
  default     = 1
}

variable "on_demand_base" {
  description = "Tasks always placed on on-demand FARGATE before weights apply. Dev: 0 (all Spot is fine). Production: 1."
  type        = number
  default     = 0
}

variable "health_check_grace_period" {
  description = "Seconds the ALB health check is ignored after a task starts (JVM start + Flyway migrations)."
  type        = number
  default     = 90
}

# sso
variable "oidc" {
  description = "Single sign-on to the admin UI (GATEWAY_OIDC_*, docs/ui/sso.md), or null for none. The client secret is not here: it is in secret_arns as GATEWAY_OIDC_CLIENT_SECRET."
  type = object({
    issuer            = string
    client_id         = string
    redirect_uri      = string
    scopes            = string
    groups_claim      = string
    display_name      = string
    client_auth       = string
    email_verified    = string
    admin_groups      = string
    viewer_groups     = string
    team_admin_groups = string
  })
  default = null
}
