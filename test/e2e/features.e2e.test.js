// Every node feature in a real n8n 2.x against the simulator: URL in/out, JPG on a colour, crop,
// Get Task, the node as an AI Agent's tool, and the credential test (a wrong key fails, the right
// one passes).
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const { startWorld, binaryBytes, CREDENTIALS } = require('./world');
const { startFakeOpenAi } = require('./fakeOpenAi');
const { chain, manualTrigger, node, picwish, readFiles, PICWISH_TYPE } = require('./workflows');

const VERSION = process.env.PICWISH_E2E_FEATURES_VERSION || '2.41.1';

/** Width and height of a PNG or JPG. */
function pictureSize(bytes) {
	const { width, height } = bytes[0] === 0x89 ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
	return { width, height };
}

async function download(url) {
	const response = await fetch(url);
	return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe(`n8n ${VERSION}: features`, () => {
	let world;

	beforeAll(async () => {
		world = await startWorld({ version: VERSION, binaryDataMode: 'filesystem' });
	});

	afterAll(async () => {
		await world?.close();
	});

	it('URL in, URL out: PicWish downloads the photo, the node returns a working, repaired link', async () => {
		const { n8n, dirs, sim } = world;
		const result = await n8n.run(
			chain('url to url', [
				manualTrigger(),
				readFiles('Read photos', `${dirs.photos}/*`),
				picwish('PicWish', {
					inputSource: 'url',
					imageUrl: `={{ "${sim.storageUrl}/samples/" + $json.fileName }}`,
					returnType: 'url',
					outputType: 'imageAndMask',
				}),
			]),
		);
		expect(result.ok).toBe(true);
		const items = result.outputs('PicWish').main;
		expect(items).toHaveLength(world.photos().length);
		for (const item of items) {
			expect(item.binary).toBeUndefined();
			expect(item.json.image).toMatch(new RegExp(`^${sim.storageUrl}/.*Expires=\\d+&`));
			expect(item.json.image).not.toContain('\\u0026');
			const { status, bytes } = await download(item.json.image);
			expect(status).toBe(200);
			expect(PNG.sync.read(bytes).width).toBeGreaterThan(0);
			expect(item.json.mask).toMatch(/^http/);
		}
	});

	it('JPG on a chosen colour, cropped to the subject', async () => {
		const { n8n, dirs } = world;
		const result = await n8n.run(
			chain('jpg red crop', [
				manualTrigger(),
				readFiles('Read photos', `${dirs.photos}/*`),
				picwish('PicWish', { format: 'jpg', backgroundColor: '#FF0000', crop: true, segmentationType: 'object' }),
			]),
		);
		expect(result.ok).toBe(true);
		const reads = result.outputs('Read photos').main;
		for (const [index, item] of result.outputs('PicWish').main.entries()) {
			expect(item.binary.data.mimeType).toBe('image/jpeg');
			expect(item.binary.data.fileName).toMatch(/\.jpg$/);
			const image = jpeg.decode(binaryBytes(n8n, item.binary.data), { useTArray: true });
			const original = reads[index].binary.data;
			const input = fs.readFileSync(path.join(dirs.photos, original.fileName));
			const inputSize = input[0] === 0x89 ? PNG.sync.read(input) : jpeg.decode(input, { useTArray: true });
			// Cropped: smaller than the photo; coloured: the corner (background) is red.
			expect(image.width * image.height).toBeLessThan(inputSize.width * inputSize.height);
			const [r, g, b] = image.data.subarray(0, 3);
			expect(r).toBeGreaterThan(200);
			expect(g).toBeLessThan(60);
			expect(b).toBeLessThan(60);
		}
	});

	it('Get Task: an async task created without waiting is fetched later as binary', async () => {
		const { n8n, dirs } = world;
		const create = picwish('Create tasks', {
			processingMode: 'async',
			returnType: 'url',
			options: { waitForCompletion: false },
		});
		const get = picwish('Get results', {
			operation: 'getTask',
			taskId: '={{ $json.task_id }}',
			returnType: 'binary',
			options: { pollIntervalMs: 300 },
		});
		const result = await n8n.run(
			chain('get task later', [manualTrigger(), readFiles('Read photos', `${dirs.photos}/*`), create, get]),
		);
		expect(result.ok).toBe(true);
		const created = result.outputs('Create tasks').main;
		expect(created.every((item) => typeof item.json.task_id === 'string' && item.json.state !== 1)).toBe(true);
		const fetched = result.outputs('Get results').main;
		expect(fetched.map((item) => item.json.task_id)).toEqual(created.map((item) => item.json.task_id));
		for (const item of fetched) {
			expect(item.binary.data.fileName).toBe(`picwish-${item.json.task_id}.png`);
			expect(PNG.sync.read(binaryBytes(n8n, item.binary.data)).width).toBeGreaterThan(0);
		}
		expect(world.sim.stats().keyLeaks).toBe(0);
	});

	it('an AI Agent calls PicWish as a tool: URL in, URL out (scripted local model)', async () => {
		const { n8n, sim } = world;
		const photoUrl = `${sim.storageUrl}/samples/${world.photos()[0]}`;
		const model = await startFakeOpenAi({ toolArguments: { imageUrl: photoUrl } });
		try {
			await n8n.importCredentials([{ id: 'fakeopenai', name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'not-a-real-key', url: model.url } }]);
			const tool = picwish('Remove background', {
				inputSource: 'url',
				imageUrl: "={{ $fromAI('imageUrl', 'Public http(s) URL of the product photo', 'string') }}",
				returnType: 'url',
			});
			tool.type = `${PICWISH_TYPE}Tool`;
			const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, {
				promptType: 'define',
				text: `Cut out the product in ${photoUrl} and give me the link.`,
				options: {},
			});
			const chatModel = node(
				'Model',
				'@n8n/n8n-nodes-langchain.lmChatOpenAi',
				1.2,
				{ model: { __rl: true, mode: 'id', value: 'scripted' }, options: {} },
				{ credentials: { openAiApi: { id: 'fakeopenai', name: 'Scripted model' } } },
			);
			const start = manualTrigger();
			const workflow = {
				id: 'aiagenttool',
				name: 'agent with PicWish tool',
				nodes: [start, agent, chatModel, tool],
				connections: {
					[start.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
					Model: { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
					'Remove background': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
				active: false,
			};
			const result = await n8n.run(workflow);
			expect(result.ok).toBe(true);
			// The schema n8n derived for the model from our node and its $fromAI parameter.
			const offered = model.requests[0].tools.map((entry) => entry.function);
			expect(offered).toHaveLength(1);
			expect(offered[0].description).toMatch(/background/i);
			expect(offered[0].parameters.properties.imageUrl).toMatchObject({ type: 'string' });
			// The tool ran against the simulator with the model's URL and returned a working link.
			expect(sim.stats().createRequests).toBeGreaterThanOrEqual(1);
			const answer = String(result.outputs('AI Agent').main[0].json.output);
			const link = /https?:\/\/127\.0\.0\.1:\d+\/[^"\s\\]+/.exec(answer.replace(sim.apiUrl, ''))?.[0];
			expect(link).toBeDefined();
			expect(link.startsWith(sim.storageUrl)).toBe(true);
			const { status, bytes } = await download(link.replace(/&amp;/g, '&'));
			expect(status).toBe(200);
			expect(PNG.sync.read(bytes).width).toBeGreaterThan(0);
		} finally {
			await model.close();
		}
	});

	it('an AI Agent picks the right one of two PicWish tools from their descriptions: "upscale" → Enhance', async () => {
		const { n8n, sim } = world;
		await sim.reset();
		const photoUrl = `${sim.storageUrl}/samples/${world.photos()[0]}`;
		const model = await startFakeOpenAi({ toolArguments: { imageUrl: photoUrl }, pickTool: /upscale/i });
		try {
			await n8n.importCredentials([{ id: 'fakeopenai', name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'not-a-real-key', url: model.url } }]);
			const tool = (name, operation) => {
				const made = picwish(name, {
					operation,
					inputSource: 'url',
					imageUrl: "={{ $fromAI('imageUrl', 'Public http(s) URL of the photo', 'string') }}",
					returnType: 'url',
				});
				made.type = `${PICWISH_TYPE}Tool`;
				return made;
			};
			const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, { promptType: 'define', text: `Upscale ${photoUrl} for the shop.`, options: {} });
			const chatModel = node('Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.2, { model: { __rl: true, mode: 'id', value: 'scripted' }, options: {} }, { credentials: { openAiApi: { id: 'fakeopenai', name: 'Scripted model' } } });
			const start = manualTrigger();
			const result = await n8n.run({
				id: 'aiagenttwotools',
				name: 'agent with two PicWish tools',
				nodes: [start, agent, chatModel, tool('Cut out', 'removeBackground'), tool('Upscale', 'enhance')],
				connections: {
					[start.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
					Model: { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
					'Cut out': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
					Upscale: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
				active: false,
			});
			expect(result.ok).toBe(true);
			// Two tools offered, each described by its operation's action.
			const offered = model.requests[0].tools.map((entry) => entry.function.description).sort();
			expect(offered).toEqual(['Enhance and upscale an image in PicWish', 'Remove the background of an image in PicWish']);
			const stats = sim.stats();
			expect(stats.byEndpoint['visual/scale'].creates).toBe(1);
			expect(stats.byEndpoint['visual/segmentation']?.creates ?? 0).toBe(0);
			const answer = String(result.outputs('AI Agent').main[0].json.output);
			const link = /https?:\/\/127\.0\.0\.1:\d+\/[^"\s\\]+/.exec(answer.replace(sim.apiUrl, ''))?.[0];
			expect(link?.startsWith(sim.storageUrl)).toBe(true);
			const { status, bytes } = await download(link.replace(/&amp;/g, '&'));
			expect(status).toBe(200);
			const original = (await download(photoUrl)).bytes;
			expect(pictureSize(bytes).width).toBeGreaterThan(pictureSize(original).width);
		} finally {
			await model.close();
		}
	});

	it('the editor: the credential Test button passes with the right key and fails clearly with a wrong one; the AI-tool variant exists', async () => {
		const { n8n, sim } = world;
		const server = await n8n.startServer();
		try {
			// The editor sends the stored credential's id with the form's current values.
			const good = await server.testCredential({ ...CREDENTIALS.sim, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } });
			expect(good.status).toBe('OK');
			const bad = await server.testCredential({ ...CREDENTIALS.wrongKey, type: 'picWishApi', data: { apiKey: 'wrong', region: 'custom', baseUrl: sim.apiUrl } });
			expect(bad.status).toBe('Error');
			expect(bad.message).toMatch(/rejected this API key \(HTTP 401\)/);
			// Answers a working key never gets fail the test too: an HTML page, a server error.
			sim.configure({ credentialTestAnswer: 'html' });
			const html = await server.testCredential({ ...CREDENTIALS.sim, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } });
			expect(html).toMatchObject({ status: 'Error', message: expect.stringMatching(/did not answer like the PicWish API/) });
			sim.configure({ credentialTestAnswer: '500' });
			const failing = await server.testCredential({ ...CREDENTIALS.sim, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } });
			expect(failing).toMatchObject({ status: 'Error', message: expect.stringMatching(/server error \(HTTP 500\)/) });
			sim.configure({ credentialTestAnswer: 'normal' });
			// usableAsTool: n8n derives an AI-tool node type from ours, offered to AI Agents.
			const types = await (await fetch(`${server.url}/types/nodes.json`, { headers: { cookie: server.cookie } })).json();
			const tool = types.find((type) => type.name === 'n8n-nodes-picwish.picWishTool');
			expect(tool).toBeDefined();
			expect(tool.outputs).toEqual(['ai_tool']);
			expect(tool.properties.map((property) => property.name)).toEqual(expect.arrayContaining(['toolDescription', 'imageUrl']));
		} finally {
			await server.stop();
		}
	});
});
