package io.llmgateway.cli.commands;

import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import io.llmgateway.config.ConfigFiles;
import io.llmgateway.config.ConfigSync;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway-admin models list|sync}. */
@Command(
    name = "models",
    description = "Logical models and their Bedrock deployments: list, sync from models.yaml.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Sync.class})
public final class ModelsCommand {

  @Command(
      name = "list",
      description = "Lists logical models, deployments and prices (USD per 1M tokens).")
  static final class ListModels extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    int execute() {
      Table t =
          new Table(
              "model_name",
              "deployment_id",
              "provider",
              "provider_model",
              "region",
              "input_usd_per_1m",
              "output_usd_per_1m",
              "context_window",
              "max_output_tokens");
      for (LogicalModel m : admin().models()) {
        for (Deployment d : m.deployments()) {
          t.row(
              m.name(),
              d.id(),
              d.provider(),
              d.providerModelId(),
              d.region().orElse(null),
              d.pricing().input().perMillionUsd(),
              d.pricing().output().perMillionUsd(),
              d.contextWindow(),
              d.maxOutputTokens());
        }
      }
      Renderer.print(t, format, out());
      return ok();
    }
  }

  @Command(
      name = "sync",
      description =
          "Creates or updates the deployments of models.yaml (by deployment id); deployments"
              + " added through the API are left alone. Idempotent.")
  static final class Sync extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Override
    boolean changesData() {
      return true;
    }

    @Option(
        names = {"-f", "--file"},
        description =
            "Models file (LiteLLM model_list format). Default: $GATEWAY_MODELS_FILE, else config/models.yaml.")
    Path file;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Override
    int execute() {
      List<Deployment> wanted =
          ConfigFiles.models(configFile(file, "GATEWAY_MODELS_FILE", "config/models.yaml"));
      admin().requireProxyAdmin("'gateway-admin models sync'");
      List<ConfigSync.Change> plan = ConfigSync.syncModels(admin(), wanted, dryRun);
      SyncOutput.print(out(), plan, dryRun, ConfigSync.Change::detail);
      return ok();
    }
  }
}
