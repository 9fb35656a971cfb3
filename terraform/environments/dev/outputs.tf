output "alb_url" {
  description = "Base URL of the gateway (GATEWAY_URL for scripts and clients)."
  value       = module.alb.url
}

output "alb_dns_name" {
  description = "DNS name of the ALB (CNAME/alias target for your own domain)."
  value       = module.alb.dns_name
}

output "master_key_secret_arn" {
  description = "Secrets Manager secret holding the master key: aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text"
  value       = module.secrets.master_key_secret_arn
}

output "ui_admin_password_secret_arn" {
  description = "Secrets Manager secret holding the admin UI password (user: ui_admin_user)."
  value       = module.secrets.ui_admin_password_secret_arn
}

output "database_url_secret_arn" {
  description = "Secrets Manager secret holding DATABASE_URL (for the admin CLI through a bastion or tunnel)."
  value       = module.secrets.database_url_secret_arn
}

output "db_password_secret_arn" {
  description = "Secrets Manager secret holding the RDS master password."
  value       = module.secrets.db_password_secret_arn
}

output "rds_endpoint" {
  description = "host:port of the database (private subnets only)."
  value       = module.rds.endpoint
}

output "ecs_cluster_name" {
  description = "ECS cluster (aws ecs update-service --force-new-deployment after pushing an image)."
  value       = module.ecs.cluster_name
}

output "ecs_service_name" {
  description = "ECS service of the gateway."
  value       = module.ecs.service_name
}

output "log_group_name" {
  description = "CloudWatch log group: aws logs tail <name> --follow"
  value       = module.ecs.log_group_name
}

output "task_role_arn" {
  description = "Role of the gateway tasks (Bedrock invoke on the configured profiles only)."
  value       = module.ecs.task_role_arn
}

output "nat_public_ips" {
  description = "Egress IPs of the tasks."
  value       = module.vpc.nat_public_ips
}

output "metrics_token_secret_arn" {
  description = "Secrets Manager secret holding GATEWAY_METRICS_TOKEN, the bearer token for /metrics (routed through the ALB only with expose_metrics = true)."
  value       = module.secrets.metrics_token_secret_arn
}

output "log_bucket_name" {
  description = "S3 bucket with ALB access logs (alb/) and VPC flow logs (vpc-flow-logs/); empty when both are off."
  value       = module.logs.bucket_name
}
