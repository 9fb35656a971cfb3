// The OpenAI Agents SDK (JavaScript) against the gateway's Responses API: one blocking run with a
// function tool offered, one streamed run. Not part of ./mvnw verify (it needs npm); run by hand:
//   cd "$(mktemp -d)" && npm install @openai/agents zod && cp <repo>/scripts/clients/agents-sdk.mjs .
//   OPENAI_BASE_URL=http://127.0.0.1:4000/v1 OPENAI_API_KEY=<a gateway key> node agents-sdk.mjs
// (bin/gateway prints demo keys; model-balanced is in the coding tier.)
import { Agent, run, tool, setTracingDisabled, setDefaultOpenAIClient, setOpenAIAPI } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

setTracingDisabled(true); // traces would otherwise go to OpenAI with the gateway key
setDefaultOpenAIClient(new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY }));
setOpenAIAPI('responses');

const weather = tool({
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `sunny in ${city}`,
});
const agent = new Agent({ name: 'Helper', instructions: 'Be brief.', model: process.env.MODEL ?? 'model-balanced', tools: [weather] });

const blocking = await run(agent, 'What is the weather in Paris?');
console.log('blocking:', JSON.stringify(blocking.finalOutput));
const streamed = await run(agent, 'Say hello', { stream: true });
let events = 0;
for await (const _ of streamed) events++;
await streamed.completed;
console.log('streamed:', events, 'events,', JSON.stringify(streamed.finalOutput));
