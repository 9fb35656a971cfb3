output "cluster_name" {
  description = "ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service of the gateway."
  value       = aws_ecs_service.gateway.name
}

output "task_definition_arn" {
  description = "Current task definition."
  value       = aws_ecs_task_definition.gateway.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the gateway."
  value       = aws_cloudwatch_log_group.gateway.name
}

output "task_role_arn" {
  description = "Role the gateway code runs as (Bedrock invoke only)."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "Role ECS uses to start the task."
  value       = aws_iam_role.execution.arn
}
