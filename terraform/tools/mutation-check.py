#!/usr/bin/env python3
"""Mutation check for the Terraform policy tests: break each policy once, expect its test to fail.

    JAVA_HOME=... terraform/tools/mutation-check.py [INDEX ...]

Each entry below edits one file (exact text, must occur once), runs the deploy tests
(gateway-server, package io.llmgateway.server.deploy) offline, reads the Surefire reports, and
checks that a test matching the expected name failed. The file is restored afterwards, also on
error. Exit status 1 if any mutation went unnoticed. Takes ~12 s per mutation.
"""
import glob
import os
import re
import subprocess
import sys

R=os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
M=[
 ('terraform/modules/rds/main.tf','publicly_accessible    = false','publicly_accessible    = true','databaseIsNotPubliclyAccessible'),
 ('terraform/modules/rds/main.tf','storage_encrypted     = true','storage_encrypted     = false','storageIsEncrypted'),
 ('terraform/modules/rds/main.tf','name  = "rds.force_ssl"','name  = "rds.force_sslx"','connectionsMustUseTls'),
 ('terraform/modules/security-groups/main.tf','''  description                  = "Gateway port, from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.alb.id''','''  description                  = "Gateway port, from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  cidr_ipv4 = "0.0.0.0/0"''','tasksAcceptTrafficOnlyFromTheAlbOnTheContainerPort|addressRangesReachOnlyTheAlbOnPorts80And443|worldOpenRanges'),
 ('terraform/modules/security-groups/main.tf','''  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value''','''  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.value''','addressRangesReachOnlyTheAlbOnPorts80And443'),
 ('terraform/modules/security-groups/main.tf','''  description       = "HTTPS to AWS APIs (Bedrock cross-Region, ECR, Secrets Manager, CloudWatch Logs)"
  ip_protocol       = "tcp"''','''  description       = "HTTPS to AWS APIs (Bedrock cross-Region, ECR, Secrets Manager, CloudWatch Logs)"
  ip_protocol       = "-1"''','noRuleOpensAllProtocolsOrPortRanges'),
 ('terraform/modules/security-groups/main.tf','''  description                  = "PostgreSQL from the gateway tasks only"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  referenced_security_group_id = aws_security_group.ecs.id''','''  description                  = "PostgreSQL from the gateway tasks only"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  cidr_ipv4                    = "10.0.0.0/8"''','databaseAcceptsOnlyTheTasksOnPort5432AndSendsNothing'),
 ('terraform/modules/ecs/iam.tf','''    sid       = "InvokeInferenceProfiles"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]''','''    sid       = "InvokeInferenceProfiles"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "s3:GetObject"]''','taskRoleMayOnlyInvokeBedrockModels'),
 ('terraform/modules/ecs/iam.tf','::foundation-model/${model}','::foundation-model/*','bedrockResourcesAreOnlyInferenceProfilesAndTheirFoundationModels'),
 ('terraform/modules/ecs/iam.tf','''      variable = "bedrock:InferenceProfileArn"''','''      variable = "aws:SourceVpc"''','foundationModelsCanOnlyBeInvokedThroughTheInferenceProfiles'),
 ('terraform/modules/ecs/iam.tf','''    actions   = ["secretsmanager:GetSecretValue"]''','''    actions   = ["secretsmanager:*"]''','executionRoleMayOnlyPullTheImageReadTheTaskSecretsAndLog|noActionIsAWildcard'),
 ('terraform/modules/ecs/main.tf','''    GATEWAY_MODE          = "production"''','''    GATEWAY_MODE          = "production"
    GATEWAY_MASTER_KEY    = "sk-oops"''','noSecretLikeValueIsAPlainEnvironmentVariable'),
 ('terraform/modules/ecs/main.tf','''    GATEWAY_MODE          = "production"''','''    GATEWAY_MODE          = "demo"''','taskGetsTheGatewaySettings'),
 ('terraform/modules/ecs/main.tf','''  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"''','''  capacity_provider_strategy {
    capacity_provider = "FARGATE"''','serviceRunsOnFargateSpotWithAnOnDemandShare'),
 ('terraform/modules/ecs/main.tf','stopTimeout = 120','stopTimeout = 30','tasksDrainWithinTheSpotWarning'),
 ('terraform/modules/ecs/main.tf','readonlyRootFilesystem = true','readonlyRootFilesystem = false','rootFilesystemIsReadOnlyWithAWritableTmp'),
 ('terraform/modules/alb/main.tf','drop_invalid_header_fields = true','drop_invalid_header_fields = false','albDropsInvalidHeadersAndOutlastsSilentStreams'),
 ('terraform/modules/alb/variables.tf','default     = "/health/readiness"','default     = "/health"','healthCheckUsesTheReadinessEndpoint'),
 ('terraform/modules/alb/main.tf','      protocol    = "HTTPS"\n      status_code','      protocol    = "HTTP"\n      status_code','httpsWhenACertificateIsGivenAndHttpThenOnlyRedirects'),
 ('terraform/environments/dev/variables.tf','variable "task_memory" {','variable "task_mem" {','devEnvironmentDeclaresEverySeedVariableWithTheSeedDefault|tfvarsExampleSetsEverySeedVariable|moduleCalls'),
 ('terraform/environments/dev/variables.tf','''  default     = "16"''','''  default     = "15"''','devEnvironmentDeclaresEverySeedVariableWithTheSeedDefault|engineIsPostgresql16'),
 ('terraform/environments/dev/main.tf','  db_name                 = var.db_name\n  username','  db_name                 = var.db_name\n  db_nam                  = "x"\n  username','moduleCallsPassOnlyDeclaredVariablesAndEveryRequiredOne'),
 ('terraform/modules/vpc/main.tf','  cidr_block           = var.vpc_cidr','  cidr_block   =   var.vpc_cidr','terraformFilesAreCanonicallyFormatted'),
 ('terraform/modules/alb/main.tf','#checkov:skip=CKV_AWS_91:Access logs need an S3 bucket with its own policy; enable for production (docs/DEPLOYMENT.md)','#checkov:skip=CKV_AWS_91:dev','everyCheckovSkipNamesACheckAndAReason'),
 ('terraform/modules/ecs/variables.tf','variable "task_memory" {','variable "task_mem" {','everyReferencedVariableLocalAndModuleOutputExists|moduleCalls'),
 ('terraform/modules/secrets/outputs.tf','output "master_key_secret_arn" {','output "master_key_arn" {','everyReferencedVariableLocalAndModuleOutputExists|outputsGiveTheAlbUrl'),
 ('gateway-server/pom.xml','<GATEWAY_MODE>production</GATEWAY_MODE>','<GATEWAY_MODE>demo</GATEWAY_MODE>','entrypointEnvironmentSelectsProductionModeAndTheBakedInConfig'),
 ('gateway-server/pom.xml','<user>10001:10001</user>','<user>root</user>','runsTheServerAsANonRootUser'),
 # issue 15, finding 8: environment = "prod" turns the production switches on
 ('terraform/environments/dev/main.tf','var.db_deletion_protection != null ? var.db_deletion_protection : local.production','var.db_deletion_protection != null ? var.db_deletion_protection : false','prodTurnsOnDeletionProtection'),
 ('terraform/environments/dev/main.tf','var.db_multi_az != null ? var.db_multi_az : local.production','var.db_multi_az != null ? var.db_multi_az : false','prodTurnsOnDeletionProtection'),
 ('terraform/environments/dev/main.tf','(local.production ? 30 : 0)','(local.production ? 3 : 0)','prodKeepsDeletedSecretsRestorable'),
 ('terraform/environments/dev/main.tf','var.alb_access_logs != null ? var.alb_access_logs : local.production','var.alb_access_logs != null ? var.alb_access_logs : false','prodWritesAlbAccessLogs'),
 ('terraform/modules/vpc/main.tf','traffic_type         = "ALL"','traffic_type         = "REJECT"','prodWritesVpcFlowLogs'),
 ('terraform/modules/logs/main.tf','block_public_policy     = true','block_public_policy     = false','logBucketExistsWhenNeeded'),
 ('terraform/modules/logs/main.tf','effect    = "Deny"','effect    = "Allow"','noActionIsAWildcard'),
 ('terraform/modules/alb/main.tf','condition     = var.allow_insecure_http || !local.internet_facing_clients','condition     = true','httpOnlyListenerOpenToTheInternetNeedsAllowInsecureHttp'),
 ('terraform/environments/dev/terraform.tfvars.example','allow_insecure_http = true','allow_insecure_http = false','theDevExampleAllowsInsecureHttpAndSaysWhy'),
 # issue 15, finding 7: the server's idle timeout outlasts the ALB's
 ('terraform/environments/dev/variables.tf','default     = 330','default     = 290','serverIdleTimeoutOutlastsTheAlbs'),
 ('terraform/modules/ecs/main.tf','GATEWAY_IDLE_TIMEOUT_SECONDS = tostring(var.idle_timeout)','GATEWAY_IDLE_TIMEOUT_SECONDS = tostring(var.alb_idle_timeout)','serverIdleTimeoutOutlastsTheAlbs'),
 ('terraform/modules/ecs/main.tf','condition     = var.idle_timeout > var.alb_idle_timeout','condition     = var.idle_timeout >= var.alb_idle_timeout','serverIdleTimeoutOutlastsTheAlbs'),
 # issue 15, finding 6: /metrics is not routed through the public ALB by default
 ('terraform/modules/alb/main.tf','count = var.expose_metrics ? 0 : 1','count = var.expose_metrics ? 1 : 0','metricsAreNotRoutedThroughThePublicAlbByDefault'),
 ('terraform/modules/alb/main.tf','values = ["/metrics", "/metrics/*", "/metrics?*"]','values = ["/metric"]','metricsAreNotRoutedThroughThePublicAlbByDefault'),
 ('terraform/modules/secrets/outputs.tf','    GATEWAY_METRICS_TOKEN          = aws_secretsmanager_secret_version.metrics_token.arn\n','','secretsReachTheTaskOnlyThroughEcsSecretsFromSecretsManager'),
]
only = sys.argv[1:]
env=dict(os.environ)
results=[]
missed = 0
for i, (f, old, new, expect) in enumerate(M):
    if only and str(i) not in only: continue
    p=os.path.join(R,f); orig=open(p).read()
    assert orig.count(old)==1, (i,f,old,orig.count(old))
    open(p,'w').write(orig.replace(old,new))
    try:
        subprocess.run(['./mvnw','-o','-q','-pl','gateway-server','-am','test','-Dtest=io.llmgateway.server.deploy.*Test','-Dsurefire.failIfNoSpecifiedTests=false'],cwd=R,env=env,capture_output=True)
        failed=set()
        for x in glob.glob(R+'/gateway-server/target/surefire-reports/TEST-*.xml'):
            s=open(x).read()
            for m in re.finditer(r'<testcase name="(\w+)"[^>]*?(/>|>(.*?)</testcase>)',s,re.S):
                if m.group(3) and ('<failure' in m.group(3) or '<error' in m.group(3)): failed.add(m.group(1))
        ok = any(re.fullmatch(e, t) or t.startswith(e) for e in expect.split('|') for t in failed)
        results.append((i,ok,sorted(failed)))
        missed += 0 if ok else 1
        print(i, 'CAUGHT' if ok else 'MISSED', f, '->', sorted(failed), flush=True)
    finally:
        open(p,'w').write(orig)

print('%d/%d mutations caught' % (len(results) - missed, len(results)))
sys.exit(1 if missed else 0)
