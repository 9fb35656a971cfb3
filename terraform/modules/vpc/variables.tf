variable "name" {
  description = "Name prefix for every resource (project-environment)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (two or more)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "The ALB and the RDS subnet group need subnets in at least two availability zones."
  }
}

variable "public_subnet_cidrs" {
  description = "One public subnet CIDR per availability zone (ALB, NAT gateway)."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "One private subnet CIDR per availability zone (ECS tasks, RDS)."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheap, one AZ is a single point of failure for egress) instead of one per AZ."
  type        = bool
  default     = true
}

variable "flow_logs_enabled" {
  description = "Write VPC flow logs (all traffic) to flow_logs_bucket_arn. Dev: off (cost). Production: on."
  type        = bool
  default     = false
}

variable "flow_logs_bucket_arn" {
  description = "ARN of the S3 bucket for flow logs (objects go under vpc-flow-logs/); empty when flow logs are off."
  type        = string
  default     = ""
}
