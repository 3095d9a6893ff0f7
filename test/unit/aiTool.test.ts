/**
 * The node as an AI Agent tool. No model runs here, so this checks what n8n derives for the agent:
 * the node is marked usableAsTool, its description says what it does, and the parameters a user lets
 * the model fill with $fromAI() become the tool's input schema, which n8n builds with n8n-workflow's
 * own traverseNodeParameters/generateZodSchema. Then the node runs with what the agent would send
 * (URL in) and returns a link (URL out). The real n8n derives the `picWishTool` node type from the
 * same description: test/e2e/features.e2e.test.js checks that.
 */
import nock from 'nock';
import { generateZodSchema, NodeHelpers, traverseNodeParameters } from 'n8n-workflow';
import type { FromAIArgument, INode } from 'n8n-workflow';
import { z } from 'zod';

import { PicWish } from '../../nodes/PicWish/PicWish.node';
import { createContext } from '../support/executeContext';

const API = 'http://picwish.test';
const PATH = '/api/tasks/visual/segmentation';
const node = new PicWish();

/** The parameters of a PicWish tool node wired to an AI Agent: the model supplies the image URL. */
const toolParameters = {
	operation: 'removeBackground',
	inputSource: 'url',
	imageUrl: "={{ $fromAI('imageUrl', 'Public http(s) URL of the product photo to cut out', 'string') }}",
	processingMode: 'sync',
	segmentationType: 'auto',
	outputType: 'image',
	returnType: 'url',
	crop: false,
	format: 'png',
	options: { maxRequestsPerSecond: 50 },
};

afterEach(() => nock.cleanAll());

describe('PicWish as an AI Agent tool', () => {
	it('is usable as a tool, with a description an agent can act on', () => {
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.description).toMatch(/background/i);
		expect(node.description.description).toMatch(/URL/);
		const names = node.description.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['inputSource', 'imageUrl', 'returnType']));
	});

	it.each([
		['removeBackground', 'Remove the background of an image in PicWish'],
		['enhance', 'Enhance and upscale an image in PicWish'],
		['extractText', 'Extract text from an image or document in PicWish'],
	])('as a tool, operation %s is described to the agent by its action: "%s"', (operation, description) => {
		// n8n's own rule (descriptionType "auto"): the chosen operation's action, found through the resource.
		const tool = { name: 'tool', type: 'n8n-nodes-picwish.picWishTool', typeVersion: 1, position: [0, 0], parameters: { resource: 'image', operation } } as unknown as INode;
		expect(NodeHelpers.getToolDescriptionForNode(tool, node)).toBe(description);
		// A workflow saved without "resource" gets its default, and so the same description.
		const resourceField = node.description.properties.find((property) => property.name === 'resource');
		expect(resourceField?.default).toBe('image');
	});

	it('the $fromAI parameters become the tool schema n8n gives the model', () => {
		const collected: FromAIArgument[] = [];
		traverseNodeParameters(toolParameters, collected);
		expect(collected).toEqual([
			expect.objectContaining({ key: 'imageUrl', type: 'string', description: expect.stringMatching(/URL of the product photo/) }),
		]);
		const schema = z.object(Object.fromEntries(collected.map((argument) => [argument.key, generateZodSchema(argument)])));
		expect(schema.safeParse({ imageUrl: 'https://shop.test/p/1.jpg' }).success).toBe(true);
		expect(schema.safeParse({}).success).toBe(false);
	});

	it('runs with what the agent sends: URL in, URL out', async () => {
		const link = 'https://storage.test/cut.png?Expires=1\\u0026Signature=s';
		let sentUrl: string | undefined;
		nock(API)
			.post(PATH)
			.reply(function (_uri, body) {
				sentUrl = /name="image_url"\r\n\r\n([^\r]+)/.exec(String(body))?.[1];
				return [200, { status: 200, message: 'success', data: { task_id: 't-ai', state: 1, image: link } }];
			});
		// n8n resolves the $fromAI expression to the model's argument before the node runs.
		const { context } = createContext({ parameters: { ...toolParameters, imageUrl: 'https://shop.test/p/1.jpg' } });
		const [output] = await node.execute.call(context);
		expect(sentUrl).toBe('https://shop.test/p/1.jpg');
		expect(output).toHaveLength(1);
		expect(output[0].json.image).toBe('https://storage.test/cut.png?Expires=1&Signature=s');
	});
});
