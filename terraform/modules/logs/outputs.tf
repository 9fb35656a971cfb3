# Both outputs wait for the bucket policy: the ALB checks that it may write when access logs are
# turned on, and the flow log's first delivery needs the policy too.

output "bucket_name" {
  description = "Name of the log bucket; empty when it is not created."
  value       = var.create ? aws_s3_bucket.this[0].id : ""
  depends_on  = [aws_s3_bucket_policy.this]
}

output "bucket_arn" {
  description = "ARN of the log bucket; empty when it is not created."
  value       = var.create ? aws_s3_bucket.this[0].arn : ""
  depends_on  = [aws_s3_bucket_policy.this]
}
