// Interop check: the official OpenAI Node SDK (v4, beta Assistants API
// helpers) against cmd/assistants-emulator.
//
//   OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=anything node interop.mjs
//
// Every step asserts what the SDK got back and throws on a mismatch. A step
// whose prerequisite failed is counted as failed (never skipped silently).
// The last line is "interop: N passed, N failed"; the exit code is 1 when
// anything failed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { NotFoundError } from 'openai';
import { toFile } from 'openai/uploads';

const baseURL = process.env.OPENAI_BASE_URL;
const apiKey = process.env.OPENAI_API_KEY;
if (!baseURL || !apiKey) {
  console.error('interop: set OPENAI_BASE_URL (e.g. http://127.0.0.1:8089/v1) and OPENAI_API_KEY');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
// openai 4.x moved vector stores from client.beta.vectorStores to
// client.vectorStores in later 4.x releases; the wire protocol is the same.
const vectorStores = client.beta.vectorStores ?? client.vectorStores;
const vectorStoresPath = client.beta.vectorStores ? 'client.beta.vectorStores' : 'client.vectorStores';

// ---------------------------------------------------------------- harness

let passed = 0;
let failed = 0;
const state = {};

class AssertionError extends Error {}

function assert(cond, msg) {
  if (!cond) throw new AssertionError(msg);
}

function assertEq(got, want, what) {
  if (got !== want) throw new AssertionError(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function need(...keys) {
  for (const k of keys) {
    if (state[k] === undefined) throw new AssertionError(`prerequisite "${k}" missing (an earlier step failed)`);
  }
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t0} ms)${detail ? ': ' + detail : ''}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name} (${Date.now() - t0} ms): ${describe(err)}`);
  }
}

function describe(err) {
  if (err instanceof OpenAI.APIError) {
    return `${err.constructor.name} status=${err.status} ${err.message}`;
  }
  return (err && err.stack) || String(err);
}

function textOf(message) {
  return message.content
    .filter((c) => c.type === 'text')
    .map((c) => c.text.value)
    .join('\n');
}

// ---------------------------------------------------------------- fixtures

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_current_temperature',
    description: 'Get the current temperature for a specific location',
    strict: true,
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g., San Francisco, CA' },
        unit: {
          type: 'string',
          enum: ['Celsius', 'Fahrenheit'],
          description: "The temperature unit to use. Infer this from the user's location.",
        },
      },
      required: ['location', 'unit'],
      additionalProperties: false,
    },
  },
};

const rainTool = {
  type: 'function',
  function: {
    name: 'get_rain_probability',
    description: 'Get the probability of rain for a specific location',
    strict: true,
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g., San Francisco, CA' },
      },
      required: ['location'],
      additionalProperties: false,
    },
  },
};

const toolOutputs = {
  get_current_temperature: '57',
  get_rain_probability: '0.06',
};

const factsText =
  'Project Bluebird is the codename of the emulator interop effort. ' +
  'The Bluebird launch date is the 14th of March. ' +
  'Its mascot is a small blue heron called Pip.\n';
const notesText =
  'Release notes: the Kestrel build system compiles every package twice. ' +
  'Kestrel was written in Go.\n';
const batchText = 'Batch file: the Osprey dashboard shows vector store usage in bytes.\n';

// ---------------------------------------------------------------- steps

await step('assistants.create (function tools strict + code_interpreter + file_search)', async () => {
  const a = await client.beta.assistants.create({
    model: 'gpt-4o',
    name: 'Interop Assistant',
    instructions: 'You are a helpful assistant. Use the provided functions to answer weather questions.',
    tools: [{ type: 'code_interpreter' }, { type: 'file_search' }, weatherTool, rainTool],
    metadata: { suite: 'interop-node' },
  });
  assert(a.id.startsWith('asst_'), `assistant id ${a.id}`);
  assertEq(a.object, 'assistant', 'object');
  assertEq(a.model, 'gpt-4o', 'model');
  assertEq(a.name, 'Interop Assistant', 'name');
  assertEq(a.tools.length, 4, 'tools.length');
  const fn = a.tools.find((t) => t.type === 'function' && t.function.name === 'get_current_temperature');
  assert(fn, 'function tool get_current_temperature missing');
  assertEq(fn.function.strict, true, 'function.strict');
  assertEq(fn.function.parameters.additionalProperties, false, 'parameters.additionalProperties');
  assert(a.tools.some((t) => t.type === 'code_interpreter'), 'code_interpreter tool missing');
  assertEq(a.metadata.suite, 'interop-node', 'metadata.suite');
  assertEq(typeof a.created_at, 'number', 'typeof created_at');
  state.assistant = a;
  return a.id;
});

await step('assistants.retrieve + list (auto-pagination)', async () => {
  need('assistant');
  const got = await client.beta.assistants.retrieve(state.assistant.id);
  assertEq(got.id, state.assistant.id, 'retrieved id');
  // A second assistant makes the paginated walk (limit 1) take two pages.
  state.assistant2 = await client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'Second' });
  const ids = [];
  for await (const a of client.beta.assistants.list({ limit: 1, order: 'asc' })) ids.push(a.id);
  assert(ids.includes(state.assistant.id) && ids.includes(state.assistant2.id), `list ids ${ids}`);
  assertEq(new Set(ids).size, ids.length, 'no duplicate ids across pages');
  return `${ids.length} assistants over pages of 1`;
});

await step('threads.create + messages.create', async () => {
  need('assistant');
  const th = await client.beta.threads.create({ metadata: { step: 'poll' } });
  assert(th.id.startsWith('thread_'), `thread id ${th.id}`);
  assertEq(th.object, 'thread', 'object');
  const msg = await client.beta.threads.messages.create(th.id, {
    role: 'user',
    content: 'I need to solve the equation `3x + 11 = 14`. Can you help me?',
  });
  assert(msg.id.startsWith('msg_'), `message id ${msg.id}`);
  assertEq(msg.role, 'user', 'role');
  assertEq(msg.thread_id, th.id, 'thread_id');
  assertEq(textOf(msg), 'I need to solve the equation `3x + 11 = 14`. Can you help me?', 'text');
  state.thread = th;
  return `${th.id} ${msg.id}`;
});

await step('runs.createAndPoll -> completed', async () => {
  need('assistant', 'thread');
  const run = await client.beta.threads.runs.createAndPoll(state.thread.id, {
    assistant_id: state.assistant.id,
    instructions: 'Please address the user as Jane Doe. The user has a premium account.',
  });
  assertEq(run.status, 'completed', 'run.status');
  assertEq(run.thread_id, state.thread.id, 'run.thread_id');
  assertEq(run.assistant_id, state.assistant.id, 'run.assistant_id');
  assert(run.completed_at && run.completed_at >= run.created_at, 'completed_at set');
  assert(run.usage && typeof run.usage.total_tokens === 'number', 'usage.total_tokens');
  state.pollRun = run;
  return `${run.id} ${run.status}`;
});

await step('messages.list -> assistant reply', async () => {
  need('thread', 'pollRun');
  const page = await client.beta.threads.messages.list(state.thread.id, { run_id: state.pollRun.id });
  const replies = page.data.filter((m) => m.role === 'assistant');
  assert(replies.length >= 1, `no assistant message for run ${state.pollRun.id}`);
  const text = textOf(replies[0]);
  assert(text.length > 0, 'empty assistant reply');
  assert(/x\s*=\s*1\b/.test(text), `reply does not solve the equation: ${JSON.stringify(text)}`);
  assertEq(replies[0].run_id, state.pollRun.id, 'reply.run_id');
  assertEq(replies[0].assistant_id, state.assistant.id, 'reply.assistant_id');
  // Full walk, newest first by default, one per page.
  const all = [];
  for await (const m of client.beta.threads.messages.list(state.thread.id, { limit: 1 })) all.push(m.role);
  assertEq(all.join(','), 'assistant,user', 'roles newest first');
  return JSON.stringify(text);
});

await step('runs.steps.list -> message_creation step', async () => {
  need('thread', 'pollRun');
  const steps = await client.beta.threads.runs.steps.list(state.thread.id, state.pollRun.id);
  assert(steps.data.length >= 1, 'no run steps');
  const mc = steps.data.find((s) => s.type === 'message_creation');
  assert(mc, `no message_creation step: ${steps.data.map((s) => s.type)}`);
  assertEq(mc.status, 'completed', 'step.status');
  assert(mc.step_details.message_creation.message_id.startsWith('msg_'), 'step message_id');
  return `${steps.data.length} step(s)`;
});

await step('runs.createAndPoll with code_interpreter -> code step with logs', async () => {
  need('assistant');
  const th = await client.beta.threads.create({
    messages: [{ role: 'user', content: 'Write code to compute the first 10 Fibonacci numbers.' }],
  });
  state.threadCode = th;
  const run = await client.beta.threads.runs.createAndPoll(th.id, { assistant_id: state.assistant.id });
  assertEq(run.status, 'completed', 'run.status');
  const steps = await client.beta.threads.runs.steps.list(th.id, run.id, { order: 'asc' });
  const tc = steps.data.find((s) => s.type === 'tool_calls');
  assert(tc, `no tool_calls step: ${steps.data.map((s) => s.type)}`);
  const ci = tc.step_details.tool_calls.find((c) => c.type === 'code_interpreter');
  assert(ci, 'no code_interpreter call');
  assert(ci.code_interpreter.input.includes('fib'), 'code input');
  const logs = ci.code_interpreter.outputs.find((o) => o.type === 'logs');
  assert(logs && logs.logs.includes('34'), `logs: ${JSON.stringify(ci.code_interpreter.outputs)}`);
  const msgs = await client.beta.threads.messages.list(th.id, { run_id: run.id });
  assert(msgs.data.some((m) => m.role === 'assistant' && textOf(m).includes('34')), 'answer mentions 34');
  return JSON.stringify(logs.logs.trim());
});

await step('runs.stream -> requires_action (parallel function calls)', async () => {
  need('assistant');
  const th = await client.beta.threads.create();
  await client.beta.threads.messages.create(th.id, {
    role: 'user',
    content: "What's the weather in San Francisco today and the likelihood it'll rain?",
  });
  state.threadStream = th;
  const events = [];
  let toolCallDeltas = 0;
  const stream = client.beta.threads.runs.stream(th.id, { assistant_id: state.assistant.id });
  stream.on('toolCallDelta', () => toolCallDeltas++);
  for await (const ev of stream) events.push(ev.event);
  const run = await stream.finalRun();
  for (const want of ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress', 'thread.run.requires_action']) {
    assert(events.includes(want), `missing event ${want}; got ${events}`);
  }
  assertEq(events[events.length - 1], 'thread.run.requires_action', 'last event');
  assertEq(run.status, 'requires_action', 'finalRun().status');
  assertEq(stream.currentRun()?.id, run.id, 'currentRun id');
  const ra = run.required_action;
  assertEq(ra?.type, 'submit_tool_outputs', 'required_action.type');
  const calls = ra.submit_tool_outputs.tool_calls;
  const names = calls.map((c) => c.function.name).sort();
  assertEq(names.join(','), 'get_current_temperature,get_rain_probability', 'called functions');
  for (const c of calls) {
    assert(c.id.startsWith('call_'), `call id ${c.id}`);
    assertEq(c.type, 'function', 'call.type');
    const args = JSON.parse(c.function.arguments);
    assert(/San Francisco/.test(args.location), `location arg ${c.function.arguments}`);
    if (c.function.name === 'get_current_temperature') {
      assert(['Celsius', 'Fahrenheit'].includes(args.unit), `unit arg ${c.function.arguments}`);
      assertEq(Object.keys(args).sort().join(','), 'location,unit', 'strict schema keys');
    }
  }
  assert(events.includes('thread.run.step.created'), `no thread.run.step.created; got ${events}`);
  state.streamRun = run;
  return `${events.length} events, ${calls.length} calls, ${toolCallDeltas} toolCallDelta`;
});

await step('submitToolOutputsStream -> text deltas -> completed', async () => {
  need('threadStream', 'streamRun');
  const run = state.streamRun;
  const outputs = run.required_action.submit_tool_outputs.tool_calls.map((c) => ({
    tool_call_id: c.id,
    output: toolOutputs[c.function.name],
  }));
  const events = [];
  let deltas = '';
  let created = 0;
  const stream = client.beta.threads.runs.submitToolOutputsStream(state.threadStream.id, run.id, {
    tool_outputs: outputs,
  });
  stream.on('textCreated', () => created++);
  stream.on('textDelta', (delta) => {
    deltas += delta.value ?? '';
  });
  stream.on('event', (ev) => events.push(ev.event));
  const finalRun = await stream.finalRun();
  const finalMessages = await stream.finalMessages();
  assertEq(finalRun.status, 'completed', 'final run status');
  assertEq(finalRun.id, run.id, 'final run id');
  for (const want of ['thread.run.queued', 'thread.run.in_progress', 'thread.message.created', 'thread.message.delta', 'thread.message.completed', 'thread.run.completed']) {
    assert(events.includes(want), `missing event ${want}; got ${events}`);
  }
  assert(created >= 1, 'no textCreated');
  assert(deltas.length > 0, 'no text deltas');
  assert(deltas.includes('57') && deltas.includes('0.06'), `answer does not use the tool outputs: ${JSON.stringify(deltas)}`);
  assert(finalMessages.length >= 1, 'no final messages');
  const finalText = textOf(finalMessages[finalMessages.length - 1]);
  assertEq(deltas, finalText, 'concatenated deltas vs final message text');
  // The server's view agrees with the stream's.
  const stored = await client.beta.threads.runs.retrieve(state.threadStream.id, run.id);
  assertEq(stored.status, 'completed', 'retrieved run status');
  const msgs = await client.beta.threads.messages.list(state.threadStream.id, { run_id: run.id });
  assertEq(textOf(msgs.data[0]), finalText, 'stored message text');
  return JSON.stringify(deltas);
});

await step(`${vectorStoresPath}.create`, async () => {
  const vs = await vectorStores.create({ name: 'Interop docs', metadata: { suite: 'interop-node' } });
  assert(vs.id.startsWith('vs_'), `vector store id ${vs.id}`);
  assertEq(vs.object, 'vector_store', 'object');
  assertEq(vs.name, 'Interop docs', 'name');
  assertEq(vs.file_counts.total, 0, 'file_counts.total');
  state.vs = vs;
  state.fileIds = [];
  return vs.id;
});

await step('vectorStores.files.uploadAndPoll (toFile) -> completed', async () => {
  need('vs');
  const file = await toFile(Buffer.from(factsText, 'utf8'), 'bluebird-facts.txt', { type: 'text/plain' });
  const vf = await vectorStores.files.uploadAndPoll(state.vs.id, file);
  assertEq(vf.status, 'completed', 'vector store file status');
  assertEq(vf.object, 'vector_store.file', 'object');
  assertEq(vf.vector_store_id, state.vs.id, 'vector_store_id');
  assert(vf.id.startsWith('file-'), `file id ${vf.id}`);
  assertEq(vf.last_error, null, 'last_error');
  state.fileIds.push(vf.id);
  const f = await client.files.retrieve(vf.id);
  assertEq(f.filename, 'bluebird-facts.txt', 'filename');
  assertEq(f.purpose, 'assistants', 'purpose');
  assertEq(f.bytes, Buffer.byteLength(factsText), 'bytes');
  const content = await (await client.files.content(vf.id)).text();
  assertEq(content, factsText, 'downloaded content');
  state.factsFileId = vf.id;
  return `${vf.id} ${vf.status}, ${f.bytes} bytes round-tripped`;
});

await step('vectorStores.files.uploadAndPoll (fs.createReadStream) -> completed', async () => {
  need('vs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-node-'));
  const p = path.join(dir, 'kestrel-notes.txt');
  fs.writeFileSync(p, notesText);
  try {
    const vf = await vectorStores.files.uploadAndPoll(state.vs.id, fs.createReadStream(p));
    assertEq(vf.status, 'completed', 'vector store file status');
    state.fileIds.push(vf.id);
    const f = await client.files.retrieve(vf.id);
    assertEq(f.filename, 'kestrel-notes.txt', 'filename');
    assertEq(f.bytes, Buffer.byteLength(notesText), 'bytes');
    return `${vf.id} ${vf.status}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

await step('vectorStores.fileBatches.uploadAndPoll -> completed', async () => {
  need('vs');
  const file = await toFile(Buffer.from(batchText, 'utf8'), 'osprey.txt', { type: 'text/plain' });
  const batch = await vectorStores.fileBatches.uploadAndPoll(state.vs.id, { files: [file] });
  assertEq(batch.status, 'completed', 'batch status');
  assertEq(batch.object, 'vector_store.files_batch', 'object');
  assertEq(batch.file_counts.completed, 1, 'batch file_counts.completed');
  const files = await vectorStores.fileBatches.listFiles(state.vs.id, batch.id);
  assertEq(files.data.length, 1, 'batch files');
  state.fileIds.push(files.data[0].id);
  const vs = await vectorStores.retrieve(state.vs.id);
  assertEq(vs.status, 'completed', 'vector store status');
  assertEq(vs.file_counts.completed, 3, 'vector store file_counts.completed');
  assert(vs.usage_bytes > 0, 'usage_bytes');
  return `${batch.id}; store has ${vs.file_counts.completed} files, ${vs.usage_bytes} bytes`;
});

await step('file_search run -> answer with file_citation annotation', async () => {
  need('assistant', 'vs', 'factsFileId');
  const a = await client.beta.assistants.update(state.assistant.id, {
    tool_resources: { file_search: { vector_store_ids: [state.vs.id] } },
  });
  assertEq(a.tool_resources?.file_search?.vector_store_ids?.[0], state.vs.id, 'tool_resources saved');
  const th = await client.beta.threads.create({
    messages: [{ role: 'user', content: 'According to the uploaded files, what is the launch date of Project Bluebird?' }],
  });
  state.threadSearch = th;
  const run = await client.beta.threads.runs.createAndPoll(th.id, { assistant_id: state.assistant.id });
  assertEq(run.status, 'completed', 'run.status');
  const steps = await client.beta.threads.runs.steps.list(th.id, run.id);
  const fsStep = steps.data.find(
    (s) => s.type === 'tool_calls' && s.step_details.tool_calls.some((c) => c.type === 'file_search'),
  );
  assert(fsStep, `no file_search step: ${JSON.stringify(steps.data.map((s) => s.step_details))}`);
  const msgs = await client.beta.threads.messages.list(th.id, { run_id: run.id });
  const reply = msgs.data.find((m) => m.role === 'assistant');
  assert(reply, 'no assistant reply');
  const part = reply.content.find((c) => c.type === 'text');
  assert(part, 'no text part');
  assert(/14th of March/.test(part.text.value), `reply misses the fact: ${JSON.stringify(part.text.value)}`);
  const cites = part.text.annotations.filter((x) => x.type === 'file_citation');
  assert(cites.length >= 1, `no file_citation annotations: ${JSON.stringify(part.text)}`);
  const c = cites[0];
  assertEq(c.file_citation.file_id, state.factsFileId, 'cited file_id');
  assertEq(part.text.value.slice(c.start_index, c.end_index), c.text, 'annotation text vs start/end index');
  return `${JSON.stringify(part.text.value)} cites ${c.text}`;
});

await step('file_search via runs.stream -> annotation deltas', async () => {
  need('assistant', 'vs', 'factsFileId');
  const th = await client.beta.threads.create({
    messages: [{ role: 'user', content: 'Search the files: which small blue heron is the mascot?' }],
  });
  state.threadSearch2 = th;
  let annotationDeltas = 0;
  let text = '';
  const stream = client.beta.threads.runs.stream(th.id, { assistant_id: state.assistant.id });
  stream.on('textDelta', (d) => {
    text += d.value ?? '';
    annotationDeltas += d.annotations?.length ?? 0;
  });
  const run = await stream.finalRun();
  assertEq(run.status, 'completed', 'run.status');
  const [msg] = await stream.finalMessages();
  assert(msg, 'no final message');
  const part = msg.content.find((c) => c.type === 'text');
  assert(/Pip/.test(part.text.value), `reply misses the fact: ${JSON.stringify(part.text.value)}`);
  assert(part.text.annotations.some((x) => x.type === 'file_citation'), 'accumulated message has no file_citation');
  assert(annotationDeltas >= 1, 'no annotation in the text deltas');
  assertEq(text, part.text.value, 'concatenated deltas vs final text');
  return `${annotationDeltas} annotation delta(s)`;
});

await step('cleanup: delete threads, vector store, files, assistants', async () => {
  need('assistant');
  const results = [];
  for (const key of ['thread', 'threadCode', 'threadStream', 'threadSearch', 'threadSearch2']) {
    if (!state[key]) continue;
    const d = await client.beta.threads.del(state[key].id);
    assertEq(d.deleted, true, `${key} deleted`);
    assertEq(d.object, 'thread.deleted', `${key} object`);
    results.push(key);
  }
  if (state.vs) {
    for (const id of state.fileIds) {
      const d = await vectorStores.files.del(state.vs.id, id);
      assertEq(d.deleted, true, `vector store file ${id} deleted`);
      const f = await client.files.del(id);
      assertEq(f.deleted, true, `file ${id} deleted`);
    }
    const d = await vectorStores.del(state.vs.id);
    assertEq(d.deleted, true, 'vector store deleted');
    assertEq(d.object, 'vector_store.deleted', 'vector store delete object');
    results.push(`vs+${state.fileIds.length} files`);
  }
  for (const key of ['assistant', 'assistant2']) {
    if (!state[key]) continue;
    const d = await client.beta.assistants.del(state[key].id);
    assertEq(d.deleted, true, `${key} deleted`);
    assertEq(d.object, 'assistant.deleted', `${key} object`);
    results.push(key);
  }
  try {
    await client.beta.assistants.retrieve(state.assistant.id);
    throw new AssertionError('retrieving a deleted assistant succeeded');
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    assertEq(err.status, 404, 'status');
    assert(err.error && typeof err.error.message === 'string', 'error body has message');
  }
  return results.join(', ') + '; deleted assistant -> 404 NotFoundError';
});

console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
