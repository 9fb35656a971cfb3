package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The Jib configuration in gateway-server/pom.xml: JRE 21 base, non-root, production mode, the
 * config files in the image, and nothing bound to the build lifecycle (the build stays offline).
 */
class ContainerImageConfigTest {

  private static Element jib;

  @BeforeAll
  static void readPom() throws Exception {
    Path pom = TerraformTree.repositoryRoot().resolve("gateway-server/pom.xml");
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    jib =
        children(child(child(project, "build"), "plugins"), "plugin").stream()
            .filter(p -> text(p, "artifactId").equals("jib-maven-plugin"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("jib-maven-plugin is not configured"));
  }

  @Test
  void buildsOnAJre21BaseForX86() {
    Element from = child(child(jib, "configuration"), "from");
    assertThat(text(from, "image")).isEqualTo("eclipse-temurin:21-jre");
    assertThat(text(child(child(from, "platforms"), "platform"), "architecture"))
        .isEqualTo("amd64");
  }

  @Test
  void isNotBoundToTheBuildLifecycle() {
    assertThat(children(jib, "executions")).as("jib must be invoked explicitly").isEmpty();
  }

  @Test
  void runsTheServerAsANonRootUser() {
    Element container = child(child(jib, "configuration"), "container");
    assertThat(text(container, "mainClass")).isEqualTo("io.llmgateway.server.Main");
    String user = text(container, "user");
    assertThat(user).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
  }

  @Test
  void entrypointEnvironmentSelectsProductionModeAndTheBakedInConfig() {
    Element env = child(child(child(jib, "configuration"), "container"), "environment");
    assertThat(text(env, "GATEWAY_MODE")).isEqualTo("production");
    assertThat(text(env, "GATEWAY_HOST")).isEqualTo("0.0.0.0");
    assertThat(text(env, "GATEWAY_PORT")).isEqualTo("4000");
    assertThat(text(env, "GATEWAY_MODELS_FILE")).isEqualTo("/app/config/models.yaml");
    assertThat(text(env, "GATEWAY_TIERS_FILE")).isEqualTo("/app/config/tiers.yaml");
  }

  @Test
  void configDirectoryIsCopiedToAppConfig() {
    Element path =
        child(child(child(child(jib, "configuration"), "extraDirectories"), "paths"), "path");
    assertThat(text(path, "from")).endsWith("/../config");
    assertThat(text(path, "into")).isEqualTo("/app/config");
  }

  @Test
  void imagePortMatchesTheTerraformContainerPort() {
    Element ports = child(child(child(jib, "configuration"), "container"), "ports");
    String terraformPort =
        TerraformTree.load()
            .module("environments/dev")
            .variable("container_port")
            .orElseThrow()
            .body()
            .attribute("default")
            .orElseThrow();
    assertThat(text(ports, "port")).isEqualTo(terraformPort);
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).isNotEmpty();
    return found.getFirst();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().strip();
  }
}
