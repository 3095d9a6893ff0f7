// Generate Background: POST /api/tasks/visual/background (FAMILY.md §2.13). Async only; `batch_size`
// 1–4 (default 2); `prompt` (≤ 1024) XOR `scene_type` (a template id, an integer); `negative_prompt`.
// The subject is the input's alpha (a transparent PNG; for an opaque input, the background found by
// colour). `image` is an ARRAY of batch_size results (links, or base64 with return_type 2): opaque JPGs
// of the input's size, the subject on a gradient of its own colours per variant. Tokens: sim-bg-objects
// answers [{ url, width, height }] (url holds the base64 with return_type 2), sim-bg-string a single
// string when batch_size is 1.
const crypto = require('node:crypto');

const images = require('../images');
const ops = require('../imageops');
const { fail } = require('../fields');
const { MiB } = require('../engine');

/** Two colours per variant, derived from the prompt or template, so results differ and repeat. */
function palette(seed, variant) {
	const hash = crypto.createHash('sha1').update(`${seed}#${variant}`).digest();
	const top = [hash[0], hash[1], hash[2]].map((value) => 90 + (value % 150));
	const bottom = top.map((value, channel) => Math.max(0, value - 60 - (hash[3 + channel] % 40)));
	return { top, bottom };
}

module.exports = {
	path: 'visual/background',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	asyncOnly: true,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse(v) {
		const batchSize = v.number('batch_size', 1, 4, 2, { integer: true });
		const prompt = v.text('prompt', 1024, undefined);
		const sceneType = v.has('scene_type') ? v.number('scene_type', 0, 999999999, undefined, { integer: true }) : undefined;
		if (prompt !== undefined && sceneType !== undefined) fail('Send prompt or scene_type, not both');
		if (prompt === undefined && sceneType === undefined) fail('prompt or scene_type is required');
		return { batchSize, prompt, sceneType, negativePrompt: v.text('negative_prompt', 1024, undefined) };
	},
	echo: (params) => ({ return_type: params.returnType, batch_size: params.batchSize }),
	make(input, params) {
		const picture = input.picture();
		const alpha = ops.alphaOf(picture) ?? images.segment(picture);
		const seed = params.prompt ?? `scene-${params.sceneType}`;
		const results = [];
		for (let variant = 0; variant < params.batchSize; variant++) {
			const { top, bottom } = palette(seed, variant);
			const scene = ops.compose(picture, alpha, ops.gradient(picture.width, picture.height, top, bottom));
			results.push(ops.jpgFile(scene, 90));
		}
		return { image: results };
	},
	shape(values, task) {
		const { faults, files, params } = task;
		if (!Array.isArray(values.image)) return values;
		if (faults.bgObjects) {
			return { ...values, image: values.image.map((value, index) => ({ url: value, width: files.image[index].width, height: files.image[index].height })) };
		}
		if (faults.bgString && params.batchSize === 1) return { ...values, image: values.image[0] };
		return values;
	},
};
