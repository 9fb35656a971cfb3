package io.llmgateway.bedrock;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;

/**
 * One mapped request, ready to become a Converse or a ConverseStream call (the two request types
 * share their fields but not a builder). {@code jsonMode} says the answer is the input of the
 * synthetic response-format tool; {@code estimatedInputTokens} is a conservative prompt estimate.
 * Immutable.
 */
record ConverseInput(
    String modelId,
    List<Message> messages,
    List<SystemContentBlock> system,
    InferenceConfiguration inference,
    Optional<ToolConfiguration> tools,
    Optional<Document> additionalFields,
    boolean jsonMode,
    long estimatedInputTokens) {

  ConverseRequest converse() {
    ConverseRequest.Builder b =
        ConverseRequest.builder().modelId(modelId).messages(messages).inferenceConfig(inference);
    if (!system.isEmpty()) {
      b.system(system);
    }
    tools.ifPresent(b::toolConfig);
    additionalFields.ifPresent(b::additionalModelRequestFields);
    return b.build();
  }

  ConverseStreamRequest converseStream() {
    ConverseStreamRequest.Builder b =
        ConverseStreamRequest.builder()
            .modelId(modelId)
            .messages(messages)
            .inferenceConfig(inference);
    if (!system.isEmpty()) {
      b.system(system);
    }
    tools.ifPresent(b::toolConfig);
    additionalFields.ifPresent(b::additionalModelRequestFields);
    return b.build();
  }
}
