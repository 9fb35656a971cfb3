package io.llmgateway.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code gateway-admin completion}: prints a bash/zsh completion script. */
@Command(
    name = "completion",
    description = {
      "Prints a bash (and zsh, via bashcompinit) completion script for gateway-admin.",
      "Install: gateway-admin completion > ~/.local/share/bash-completion/completions/gateway-admin",
      "   or:   source <(gateway-admin completion)"
    })
public final class CompletionCommand extends BaseCommand {
  @Override
  boolean worksOverApi() {
    return true;
  }

  @Override
  int execute() {
    out().print(AutoComplete.bash("gateway-admin", spec.root().commandLine()));
    return ok();
  }
}
