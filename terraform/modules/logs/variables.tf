variable "name" {
  description = "Name prefix for every resource (project-environment); the bucket is <name>-logs-<account id>."
  type        = string
}

variable "create" {
  description = "Create the bucket (true when ALB access logs or VPC flow logs are on)."
  type        = bool
}

variable "retention_days" {
  description = "Days log objects are kept before they expire."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 1
    error_message = "Log objects must be kept at least one day."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete the bucket with its logs in it (dev teardown). Production: false, so logs outlive the stack."
  type        = bool
  default     = false
}
