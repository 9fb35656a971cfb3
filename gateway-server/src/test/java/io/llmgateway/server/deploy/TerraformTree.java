package io.llmgateway.server.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The repository's {@code terraform/} tree, parsed: one {@link Module} per directory holding {@code
 * .tf} files ({@code environments/dev}, {@code modules/ecs}, ...).
 *
 * <p>The repository root is found by walking up from the working directory (Surefire runs tests in
 * the module directory) to the first directory that contains {@code terraform/}.
 *
 * <p>Immutable once loaded; safe to share between tests.
 */
final class TerraformTree {

  /**
   * A block with the module it lives in, for messages such as {@code modules/rds:
   * aws_db_instance.this}.
   */
  record Located(String module, Hcl.Block block) {
    String address() {
      return module + ": " + String.join(".", block.labels());
    }

    Hcl.Body body() {
      return block.body();
    }

    String attr(String name) {
      return block
          .body()
          .attribute(name)
          .orElseThrow(() -> new AssertionError(address() + " has no attribute " + name));
    }
  }

  /** All top-level blocks of one directory (Terraform reads every .tf file of it as one). */
  record Module(String path, Map<String, String> sources, List<Hcl.Block> blocks) {
    List<Hcl.Block> blocks(String type) {
      return blocks.stream().filter(b -> b.type().equals(type)).toList();
    }

    List<Hcl.Block> resources(String resourceType) {
      return blocks("resource").stream().filter(b -> b.label(0).equals(resourceType)).toList();
    }

    List<Hcl.Block> data(String dataType) {
      return blocks("data").stream().filter(b -> b.label(0).equals(dataType)).toList();
    }

    Optional<Hcl.Block> variable(String name) {
      return blocks("variable").stream().filter(b -> b.label(0).equals(name)).findFirst();
    }

    /**
     * The expression this module passes as {@code argument} to its call of module {@code name}
     * ({@code module "name" { argument = ... }}); an assertion error if it passes none.
     */
    String moduleArgument(String name, String argument) {
      return blocks("module").stream()
          .filter(m -> m.label(0).equals(name))
          .findFirst()
          .orElseThrow()
          .body()
          .attribute(argument)
          .orElseThrow(() -> new AssertionError("module " + name + " gets no " + argument));
    }

    /** The expression of {@code local.<name>}, from any locals block of the module. */
    Optional<String> local(String name) {
      return blocks("locals").stream()
          .map(b -> b.body().attribute(name))
          .flatMap(Optional::stream)
          .findFirst();
    }
  }

  private final Path root;
  private final Map<String, Module> modules;

  private TerraformTree(Path root, Map<String, Module> modules) {
    this.root = root;
    this.modules = modules;
  }

  static TerraformTree load() {
    return load(repositoryRoot().resolve("terraform"));
  }

  static TerraformTree load(Path terraformDir) {
    Map<String, Module> modules = new TreeMap<>();
    try (Stream<Path> files = Files.walk(terraformDir)) {
      List<Path> tf =
          files
              .filter(p -> p.toString().endsWith(".tf"))
              .filter(p -> !p.toString().contains(".terraform"))
              .sorted()
              .toList();
      Map<String, List<Path>> byDir = new TreeMap<>();
      for (Path p : tf) {
        String dir = terraformDir.relativize(p.getParent()).toString().replace('\\', '/');
        byDir.computeIfAbsent(dir, d -> new ArrayList<>()).add(p);
      }
      for (var entry : byDir.entrySet()) {
        Map<String, String> sources = new TreeMap<>();
        List<Hcl.Block> blocks = new ArrayList<>();
        for (Path p : entry.getValue()) {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          sources.put(p.getFileName().toString(), text);
          Hcl.Body body = Hcl.parse(text, terraformDir.relativize(p).toString());
          if (!body.attributes().isEmpty()) {
            throw new AssertionError(p + ": top-level attributes are not valid Terraform");
          }
          blocks.addAll(body.blocks());
        }
        modules.put(entry.getKey(), new Module(entry.getKey(), sources, List.copyOf(blocks)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TerraformTree(terraformDir, modules);
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("terraform"))) {
        return p;
      }
    }
    throw new AssertionError("no terraform/ directory above " + dir);
  }

  Path root() {
    return root;
  }

  Map<String, Module> modules() {
    return modules;
  }

  Module module(String path) {
    Module m = modules.get(path);
    if (m == null) {
      throw new AssertionError("no Terraform files in terraform/" + path);
    }
    return m;
  }

  /** Every resource of a type, in every module. */
  List<Located> resources(String resourceType) {
    return modules.values().stream()
        .flatMap(m -> m.resources(resourceType).stream().map(b -> new Located(m.path(), b)))
        .toList();
  }

  /** Every data source of a type, in every module. */
  List<Located> data(String dataType) {
    return modules.values().stream()
        .flatMap(m -> m.data(dataType).stream().map(b -> new Located(m.path(), b)))
        .toList();
  }
}
