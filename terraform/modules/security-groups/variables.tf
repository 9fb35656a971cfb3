variable "name" {
  description = "Name prefix for every resource (project-environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC the security groups belong to."
  type        = string
}

variable "alb_ingress_cidrs" {
  description = "Client IPv4 ranges allowed to reach the ALB on ports 80 and 443."
  type        = list(string)
}

variable "container_port" {
  description = "Port the gateway container listens on."
  type        = number
}

variable "db_port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432
}
