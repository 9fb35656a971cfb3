package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Least-privilege security groups and subnet placement: the world reaches only the ALB on 80/443,
 * the tasks only from the ALB, the database only from the tasks; tasks leave only on 443 and 5432.
 */
class NetworkPolicyTest {

  private static final TerraformTree TF = TerraformTree.load();
  private static final String ALB_SG = "aws_security_group.alb.id";
  private static final String ECS_SG = "aws_security_group.ecs.id";
  private static final String RDS_SG = "aws_security_group.rds.id";

  /** One security-group rule, normalised from the rule resources. */
  record Rule(
      String address,
      String direction,
      String group,
      String protocol,
      String fromPort,
      String toPort,
      String cidr,
      String peerGroup) {

    boolean hasCidr() {
      return cidr != null;
    }

    boolean port(String port) {
      return port.equals(fromPort) && port.equals(toPort);
    }
  }

  private static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (String direction : List.of("ingress", "egress")) {
      for (var r : TF.resources("aws_vpc_security_group_" + direction + "_rule")) {
        var body = r.body();
        String cidr =
            body.attribute("cidr_ipv4")
                .or(() -> body.attribute("cidr_ipv6"))
                .or(() -> body.attribute("prefix_list_id"))
                .orElse(null);
        rules.add(
            new Rule(
                r.address(),
                direction,
                r.attr("security_group_id"),
                Expr.string(r.attr("ip_protocol")).orElse(r.attr("ip_protocol")),
                body.attribute("from_port").orElse(null),
                body.attribute("to_port").orElse(null),
                cidr,
                body.attribute("referenced_security_group_id").orElse(null)));
      }
    }
    return rules;
  }

  @Test
  void rulesAreSeparateDescribedResourcesNotInlineBlocksOrLegacyRules() {
    assertThat(TF.resources("aws_security_group_rule")).isEmpty();
    assertThat(TF.resources("aws_security_group"))
        .allSatisfy(
            sg -> {
              assertThat(sg.body().blocks("ingress")).as(sg.address()).isEmpty();
              assertThat(sg.body().blocks("egress")).as(sg.address()).isEmpty();
              assertThat(sg.body().attribute("description")).as(sg.address()).isPresent();
            });
    assertThat(rules()).isNotEmpty().allSatisfy(r -> assertThat(r.address()).isNotBlank());
    assertThat(TF.resources("aws_vpc_security_group_ingress_rule"))
        .allSatisfy(r -> assertThat(r.body().attribute("description")).as(r.address()).isPresent());
    assertThat(TF.resources("aws_vpc_security_group_egress_rule"))
        .allSatisfy(r -> assertThat(r.body().attribute("description")).as(r.address()).isPresent());
  }

  @Test
  void noRuleOpensAllProtocolsOrPortRanges() {
    assertThat(rules())
        .allSatisfy(
            r -> {
              assertThat(r.protocol()).as(r.address()).isEqualTo("tcp");
              assertThat(r.fromPort()).as(r.address() + " is a single port").isEqualTo(r.toPort());
            });
  }

  @Test
  void addressRangesReachOnlyTheAlbOnPorts80And443() {
    List<Rule> fromRanges =
        rules().stream().filter(r -> r.direction().equals("ingress") && r.hasCidr()).toList();

    assertThat(fromRanges).isNotEmpty();
    assertThat(fromRanges)
        .allSatisfy(
            r -> {
              assertThat(r.group()).as(r.address()).isEqualTo(ALB_SG);
              assertThat(r.port("80") || r.port("443")).as(r.address() + " port").isTrue();
            });
  }

  @Test
  void tasksAcceptTrafficOnlyFromTheAlbOnTheContainerPort() {
    List<Rule> ingress =
        rules().stream()
            .filter(r -> r.direction().equals("ingress") && r.group().equals(ECS_SG))
            .toList();

    assertThat(ingress)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.peerGroup()).isEqualTo(ALB_SG);
              assertThat(r.port("var.container_port")).isTrue();
            });
  }

  @Test
  void databaseAcceptsOnlyTheTasksOnPort5432AndSendsNothing() {
    List<Rule> rds = rules().stream().filter(r -> r.group().equals(RDS_SG)).toList();

    assertThat(rds)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.direction()).isEqualTo("ingress");
              assertThat(r.peerGroup()).isEqualTo(ECS_SG);
              assertThat(r.port("var.db_port")).isTrue();
            });
    assertThat(
            TF.module("modules/security-groups")
                .variable("db_port")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("5432");
  }

  @Test
  void tasksLeaveOnlyOnHttpsAndToTheDatabase() {
    List<Rule> egress =
        rules().stream()
            .filter(r -> r.direction().equals("egress") && r.group().equals(ECS_SG))
            .toList();

    assertThat(egress).hasSize(2);
    assertThat(egress)
        .anySatisfy(
            r -> {
              assertThat(r.port("443")).isTrue();
              assertThat(r.cidr()).isEqualTo("\"0.0.0.0/0\"");
            })
        .anySatisfy(
            r -> {
              assertThat(r.port("var.db_port")).isTrue();
              assertThat(r.peerGroup()).isEqualTo(RDS_SG);
            });
  }

  @Test
  void worldOpenRangesAppearOnlyOnAlbIngressAndTaskHttpsEgress() {
    List<Rule> world =
        rules().stream()
            .filter(
                r -> r.hasCidr() && (r.cidr().contains("0.0.0.0/0") || r.cidr().contains("::/0")))
            .toList();

    assertThat(world)
        .allSatisfy(
            r ->
                assertThat(
                        (r.direction().equals("ingress") && r.group().equals(ALB_SG))
                            || (r.direction().equals("egress")
                                && r.group().equals(ECS_SG)
                                && r.port("443")))
                    .as(r.address())
                    .isTrue());
  }

  @Test
  void albOnlyForwardsToTheTasks() {
    List<Rule> egress =
        rules().stream()
            .filter(r -> r.direction().equals("egress") && r.group().equals(ALB_SG))
            .toList();

    assertThat(egress)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.peerGroup()).isEqualTo(ECS_SG);
              assertThat(r.port("var.container_port")).isTrue();
            });
  }

  @Test
  void tasksAndDatabaseLiveInPrivateSubnetsAndTheAlbInPublicOnes() {
    var dev = TF.module("environments/dev");
    var calls = dev.blocks("module");
    var ecs = calls.stream().filter(m -> m.label(0).equals("ecs")).findFirst().orElseThrow();
    var rds = calls.stream().filter(m -> m.label(0).equals("rds")).findFirst().orElseThrow();
    var alb = calls.stream().filter(m -> m.label(0).equals("alb")).findFirst().orElseThrow();

    assertThat(ecs.body().attribute("private_subnet_ids"))
        .contains("module.vpc.private_subnet_ids");
    assertThat(rds.body().attribute("subnet_ids")).contains("module.vpc.private_subnet_ids");
    assertThat(alb.body().attribute("public_subnet_ids")).contains("module.vpc.public_subnet_ids");

    var service = TF.resources("aws_ecs_service").getFirst();
    assertThat(
            service
                .body()
                .blocks("network_configuration")
                .getFirst()
                .body()
                .attribute("assign_public_ip"))
        .contains("false");
    assertThat(TF.resources("aws_subnet"))
        .allSatisfy(s -> assertThat(s.attr("map_public_ip_on_launch")).isEqualTo("false"));
    assertThat(
            Set.copyOf(TF.resources("aws_subnet").stream().map(s -> s.block().label(1)).toList()))
        .containsExactlyInAnyOrder("public", "private");
  }
}
