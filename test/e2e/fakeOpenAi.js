// A scripted stand-in for an OpenAI-compatible chat model, so that a real n8n AI Agent can call our
// node as a tool without a real model or network. First answer: call the tool whose description
// matches `pickTool` (the first tool when none is given), with the arguments the test gives. Second answer (once a tool result is in the conversation): a final text
// that quotes the tool's result. It records every request, so the test can read the tool schema n8n
// derived from our node and what the tool returned.
const http = require('node:http');

async function startFakeOpenAi({ toolArguments, pickTool }) {
	const requests = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => { body += chunk; });
		req.on('end', () => {
			if (!req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				return res.end('{"error":{"message":"not here"}}');
			}
			const request = JSON.parse(body || '{}');
			requests.push(request);
			const toolResult = (request.messages ?? []).filter((message) => message.role === 'tool').at(-1);
			const offered = (request.tools ?? []).map((entry) => entry.function);
			const tool = pickTool ? offered.find((candidate) => pickTool.test(candidate.description ?? '')) : offered[0];
			const message = toolResult
				? { role: 'assistant', content: `Done. The tool answered: ${typeof toolResult.content === 'string' ? toolResult.content : JSON.stringify(toolResult.content)}` }
				: {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: 'call_picwish_1', type: 'function', function: { name: tool?.name ?? 'missing_tool', arguments: JSON.stringify(toolArguments) } }],
				};
			const finish = message.tool_calls ? 'tool_calls' : 'stop';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: request.model ?? 'fake' };
			if (request.stream) {
				res.writeHead(200, { 'Content-Type': 'text/event-stream' });
				const delta = message.tool_calls
					? { role: 'assistant', tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
					: { role: 'assistant', content: message.content };
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
				return res.end('data: [DONE]\n\n');
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({
				...base,
				object: 'chat.completion',
				choices: [{ index: 0, message, finish_reason: finish }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			}));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		close: async () => {
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startFakeOpenAi };
