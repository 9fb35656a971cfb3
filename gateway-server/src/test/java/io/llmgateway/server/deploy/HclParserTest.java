package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HclParserTest {

  @Test
  void readsBlocksWithLabelsAndAttributesAsSourceText() {
    Hcl.Body body =
        Hcl.parse(
            """
            resource "aws_lb" "this" {
              internal = false
              name     = "${var.name}-alb" # trailing comment
              count    = var.cert == "" ? 0 : 1
              health_check {
                path = "/health/readiness"
              }
            }
            """,
            "t.tf");

    Hcl.Block lb = body.blocks().getFirst();
    assertThat(lb.type()).isEqualTo("resource");
    assertThat(lb.labels()).containsExactly("aws_lb", "this");
    assertThat(lb.body().attributes())
        .containsEntry("internal", "false")
        .containsEntry("name", "\"${var.name}-alb\"")
        .containsEntry("count", "var.cert == \"\" ? 0 : 1");
    assertThat(lb.body().blocks("health_check").getFirst().body().attribute("path"))
        .contains("\"/health/readiness\"");
  }

  @Test
  void keepsMultiLineExpressionsWholeAndDropsTheirComments() {
    Hcl.Body body =
        Hcl.parse(
            """
            locals {
              arns = [
                # one per region
                for r in var.regions : "arn:aws:bedrock:${r}::foundation-model/x"
              ]
              next = 1
            }
            """,
            "t.tf");

    var locals = body.blocks().getFirst().body();
    assertThat(locals.attribute("arns").orElseThrow())
        .startsWith("[")
        .endsWith("]")
        .contains("for r in var.regions")
        .doesNotContain("one per region");
    assertThat(locals.attribute("next")).contains("1");
  }

  @Test
  void ignoresBracesAndHashesInsideStringsAndTemplates() {
    Hcl.Body body =
        Hcl.parse(
            """
            output "x" {
              value = "}{ # not a comment ${join(",", ["}"])}"
            }
            """,
            "t.tf");

    assertThat(body.blocks().getFirst().body().attribute("value"))
        .contains("\"}{ # not a comment ${join(\",\", [\"}\"])}\"");
  }

  @Test
  void readsHeredocs() {
    Hcl.Body body =
        Hcl.parse(
            """
            resource "x" "y" {
              policy = <<-EOT
                { "Statement": [ { "Action": "*" } ] }
              EOT
              after = true
            }
            """,
            "t.tf");

    var attrs = body.blocks().getFirst().body().attributes();
    assertThat(attrs.get("policy")).contains("\"Action\": \"*\"");
    assertThat(attrs).containsEntry("after", "true");
  }

  @Test
  void keepsTheCommentsOfEachBlockForCheckovSkips() {
    Hcl.Body body =
        Hcl.parse(
            """
            resource "aws_lb" "this" {
              #checkov:skip=CKV_AWS_91:no bucket in dev
              internal = false
            }
            """,
            "t.tf");

    assertThat(body.blocks().getFirst().body().comments())
        .containsExactly("#checkov:skip=CKV_AWS_91:no bucket in dev");
  }

  @Test
  void readsOneLineBlocks() {
    Hcl.Body body = Hcl.parse("variable \"x\" { type = string }\n", "t.tf");

    assertThat(body.blocks().getFirst().body().attribute("type")).contains("string");
  }

  @Test
  void rejectsUnbalancedBracesWithTheLine() {
    assertThatThrownBy(() -> Hcl.parse("resource \"a\" \"b\" {\n  x = 1\n", "broken.tf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.tf")
        .hasMessageContaining("missing '}'");
  }
}
