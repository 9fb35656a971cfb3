output "dns_name" {
  description = "DNS name of the ALB."
  value       = aws_lb.this.dns_name
}

output "url" {
  description = "Base URL of the gateway."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.this.dns_name}"
}

output "zone_id" {
  description = "Route 53 zone of the ALB (for an alias record)."
  value       = aws_lb.this.zone_id
}

output "arn_suffix" {
  description = "ARN suffix of the ALB (CloudWatch dimensions, request-count scaling)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn" {
  description = "Target group of the gateway tasks."
  value       = aws_lb_target_group.this.arn
  # An ECS service may only attach to a target group that a listener already uses.
  depends_on = [aws_lb_listener.http_forward, aws_lb_listener.http_redirect, aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (request-count scaling)."
  value       = aws_lb_target_group.this.arn_suffix
}
