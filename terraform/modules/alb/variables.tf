variable "name" {
  description = "Name prefix for every resource (project-environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets for the ALB (two or more AZs)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the ALB."
  type        = string
}

variable "container_port" {
  description = "Port the gateway container listens on."
  type        = number
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS. Empty: HTTP only. Set: HTTPS on 443, and port 80 redirects to it."
  type        = string
  default     = ""
}

variable "client_cidrs" {
  description = "Client ranges allowed to reach the ALB (the security group's ingress); decides whether an HTTP-only listener is internet-facing."
  type        = list(string)
}

variable "allow_insecure_http" {
  description = "Accept an HTTP-only listener (no certificate) reachable from the internet. Dev only: API keys travel in clear text."
  type        = bool
  default     = false
}

variable "expose_metrics" {
  description = "Forward /metrics to the gateway (scrapers then need the bearer token GATEWAY_METRICS_TOKEN). False: the ALB answers /metrics with 404."
  type        = bool
  default     = false
}

variable "access_logs_enabled" {
  description = "Write ALB access logs to access_logs_bucket (prefix alb/)."
  type        = bool
  default     = false
}

variable "access_logs_bucket" {
  description = "S3 bucket for access logs; empty when they are off."
  type        = string
  default     = ""
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener (TLS 1.3 and 1.2 with forward secrecy)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "health_check_path" {
  description = "Readiness endpoint of the gateway (database reachable, catalog loaded)."
  type        = string
  default     = "/health/readiness"
}

variable "idle_timeout" {
  description = "Seconds an idle connection stays open. Must exceed the longest gap between SSE chunks (a slow model thinking before its first token) and stay below the gateway's idle timeout (GATEWAY_IDLE_TIMEOUT_SECONDS)."
  type        = number
  default     = 300
}

variable "deregistration_delay" {
  description = "Seconds a draining task keeps its in-flight requests. Below the 120 s Fargate Spot warning so draining ends before the task is reclaimed."
  type        = number
  default     = 60

  validation {
    condition     = var.deregistration_delay < 120
    error_message = "Fargate Spot reclaims a task 120 s after the warning; drain faster than that."
  }
}

variable "enable_deletion_protection" {
  description = "Refuse to delete the ALB. Dev: false, for easy teardown. Production: true."
  type        = bool
  default     = false
}
