# PostgreSQL 16 for the gateway: private subnets only, not publicly accessible, encrypted storage,
# TLS enforced, backups and deletion behaviour driven by variables (dev: easy teardown).

resource "aws_db_subnet_group" "this" {
  name        = "${var.name}-db"
  description = "Private subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = { Name = "${var.name}-db" }
}

locals {
  engine_major = split(".", var.engine_version)[0]
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${local.engine_major}-"
  family      = "postgres${local.engine_major}"
  description = "TLS-only connections, DDL and slow-statement logging without bind values"

  # Encryption in transit: the server refuses non-TLS connections (CKV2_AWS_69).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Query logging that is useful without leaking data (CKV2_AWS_30 vs. the CIS advice against
  # statement logging): schema changes, and statements slower than 5 s, but never bind values,
  # which could carry key hashes or budget data.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "5000"
  }

  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157:Multi-AZ is the multi_az variable; dev default false to halve cost (seed: single AZ)
  #checkov:skip=CKV_AWS_293:Deletion protection is the deletion_protection variable; dev default false for teardown/rebuild
  #checkov:skip=CKV_AWS_118:Enhanced monitoring needs an extra IAM role; CloudWatch metrics and log exports cover dev
  #checkov:skip=CKV_AWS_353:Performance Insights is the performance_insights_enabled variable
  #checkov:skip=CKV_AWS_354:Performance Insights is off by default; encrypted with the AWS-managed key when on
  identifier     = "${var.name}-db"
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.db_name
  username = var.username
  password = var.password
  port     = var.port

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage > 0 ? var.max_allocated_storage : null
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  allow_major_version_upgrade         = false
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  performance_insights_enabled        = var.performance_insights_enabled

  backup_retention_period = var.backup_retention_period
  backup_window           = "03:00-03:30"
  maintenance_window      = "sun:04:00-sun:04:30"
  copy_tags_to_snapshot   = true

  # Dev defaults (deletion_protection = false, skip_final_snapshot = true) let `terraform destroy`
  # remove everything. Production: deletion_protection = true, skip_final_snapshot = false.
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-db-final"

  tags = { Name = "${var.name}-db" }
}
