package io.llmgateway.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The requests a hostile (or merely unlucky) client sends, as OpenAI chat bodies. Each names the
 * hole it probes (docs/CORE.md, issue 14). The prompt always starts with the account's {@link
 * StubBill#tag}, so that what the Bedrock stub bills can be traced back to a budget. {@code huge}
 * is the size of the big fields, in characters.
 */
public enum Attack {
  /** A blocking request with a short answer. */
  PLAIN,
  /** The same, streamed and read to the end. */
  STREAM,
  /**
   * A long streamed answer (the stub echoes one token per word: up to 5,000 short words, as many as
   * {@code max_tokens}) whose client hangs up after the first chunk: the model keeps generating
   * what nobody reads.
   */
  CUT_STREAM,
  /** A long blocking answer whose client gives up after 300 ms (the gateway may be stalled). */
  CLIENT_TIMEOUT,
  /** A huge system prompt and a one-word question. */
  HUGE_SYSTEM,
  /** One tool whose description is huge: Bedrock bills tool definitions as input. */
  TOOL_DESCRIPTION,
  /**
   * A tool description of control characters: counted as one byte each, sent JSON-escaped as six.
   */
  ESCAPED_TOOL_DESCRIPTION,
  /** {@code response_format: json_schema} with a huge description (sent as the JSON tool's). */
  JSON_SCHEMA_DESCRIPTION,
  // The same holes through POST /v1/responses (the Responses API), one admission.
  /** CUT_STREAM through the Responses API: hangs up after the first output_text delta. */
  RESPONSES_CUT_STREAM,
  /** HUGE_SYSTEM through the Responses API: huge {@code instructions}, a one-word input. */
  RESPONSES_HUGE_INSTRUCTIONS,
  // The same holes through POST /v1/messages (the Anthropic Messages API), one admission.
  /** CUT_STREAM through the Messages API: hangs up after the first text_delta. */
  MESSAGES_CUT_STREAM,
  /** HUGE_SYSTEM through the Messages API: a huge {@code system}, a one-word message. */
  MESSAGES_HUGE_SYSTEM;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the request asks for a stream. */
  public boolean streams() {
    return this == STREAM
        || this == CUT_STREAM
        || this == RESPONSES_CUT_STREAM
        || this == MESSAGES_CUT_STREAM;
  }

  /** The route the request is sent to. */
  public String path() {
    if (name().startsWith("RESPONSES_")) {
      return "/v1/responses";
    }
    return name().startsWith("MESSAGES_") ? "/v1/messages" : "/v1/chat/completions";
  }

  /** The request body for {@code model}, tagged with {@code account}. */
  public byte[] body(String account, String model, int huge) {
    ObjectNode body = JSON.createObjectNode().put("model", model);
    var messages = body.putArray("messages");
    String tag = StubBill.tag(account) + " ";
    switch (this) {
      case PLAIN, STREAM -> {
        user(messages, tag + "a ".repeat(200));
        body.put("max_tokens", 100);
      }
      case CUT_STREAM, CLIENT_TIMEOUT -> {
        int words = Math.min(huge, 10_000) / 2;
        user(messages, tag + "a ".repeat(words));
        body.put("max_tokens", words);
      }
      case HUGE_SYSTEM -> {
        messages.addObject().put("role", "system").put("content", "x".repeat(huge));
        user(messages, tag + "hi");
        body.put("max_tokens", 16);
      }
      case TOOL_DESCRIPTION, ESCAPED_TOOL_DESCRIPTION -> {
        user(messages, tag + "hi");
        String description =
            this == TOOL_DESCRIPTION ? "d".repeat(huge) : "\u0001".repeat(huge / 6);
        ObjectNode function =
            body.putArray("tools")
                .addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", "lookup")
                .put("description", description);
        function.putObject("parameters").put("type", "object");
        body.put("max_tokens", 1);
      }
      case JSON_SCHEMA_DESCRIPTION -> {
        user(messages, tag + "hi");
        ObjectNode schema =
            body.putObject("response_format")
                .put("type", "json_schema")
                .putObject("json_schema")
                .put("name", "answer")
                .put("description", "s".repeat(huge));
        schema.putObject("schema").put("type", "object");
        body.put("max_tokens", 1);
      }
      case RESPONSES_CUT_STREAM -> {
        int words = Math.min(huge, 10_000) / 2;
        body.remove("messages");
        body.put("input", tag + "a ".repeat(words)).put("max_output_tokens", words);
      }
      case RESPONSES_HUGE_INSTRUCTIONS -> {
        body.remove("messages");
        body.put("instructions", "x".repeat(huge)).put("input", tag + "hi");
        body.put("max_output_tokens", 16);
      }
      case MESSAGES_CUT_STREAM -> {
        int words = Math.min(huge, 10_000) / 2;
        user(messages, tag + "a ".repeat(words));
        body.put("max_tokens", words);
      }
      case MESSAGES_HUGE_SYSTEM -> {
        body.put("system", "x".repeat(huge));
        user(messages, tag + "hi");
        body.put("max_tokens", 16);
      }
    }
    if (streams()) {
      body.put("stream", true);
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void user(com.fasterxml.jackson.databind.node.ArrayNode messages, String text) {
    messages.addObject().put("role", "user").put("content", text);
  }
}
