// Extract Text (OCR): POST /api/tasks/document/ocr (FAMILY.md §2.9). Async only; images and documents
// (pdf, doc(x), xls(x), ppt(x), jpg, png, gif, bmp, webp, tiff) up to 200 MB; `language` up to 10
// comma-separated names (case-sensitive); `password` ≤ 32; `format` txt/pdf/docx/xlsx/pptx. The
// result field `file` is a link to a document of that format. sim-state-4 / sim-state-6 end the task
// in −4 (could not be submitted) / −6 (wrong password).
const { documentFile } = require('../documents');
const { fail } = require('../fields');
const { MiB } = require('../engine');

const LANGUAGES = [
	'ChinesePRC', 'ChineseTaiwan', 'English', 'Digits', 'Japanese', 'Korean', 'French', 'German', 'Spanish', 'Italian',
	'Portuguese', 'Russian', 'Dutch', 'Polish', 'Turkish', 'Swedish', 'Danish', 'Norwegian', 'Finnish', 'Czech', 'Greek',
	'Hungarian', 'Arabic', 'Thai', 'Vietnamese', 'Indonesian', 'Malay', 'Ukrainian', 'Romanian',
];

/** What the upload is: an image the OCR reads, a document, or undefined. */
function documentKind(bytes) {
	const head = bytes.subarray(0, 8);
	if (head.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
	if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'office';
	if (head.readUInt32BE(0) === 0xd0cf11e0) return 'ole';
	return undefined;
}

module.exports = {
	path: 'document/ocr',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 200 * MiB,
	asyncOnly: true,
	returnTypes: undefined,
	resultFields: ['file'],
	LANGUAGES,
	parse(v) {
		let languages = ['ChinesePRC', 'English', 'Digits'];
		if (v.has('language')) {
			languages = v.raw('language').split(',').map((name) => name.trim());
			if (languages.length > 10) fail(`Invalid language: ${languages.length} languages, at most 10`);
			const unknown = languages.filter((name) => !LANGUAGES.includes(name));
			if (unknown.length) fail(`Invalid language: ${unknown.join(', ')} (names are case-sensitive, e.g. English,ChinesePRC,Digits)`);
		}
		return { languages, password: v.text('password', 32, undefined), format: v.oneOf('format', ['txt', 'pdf', 'docx', 'xlsx', 'pptx'], 'txt') };
	},
	echo: (params) => ({ format: params.format }),
	make(input, params, { TaskFailure }) {
		const kind = input.kind ?? documentKind(input.bytes);
		if (!kind) throw new TaskFailure(-7, 'not an image or a document');
		const lines = [
			'ORGANIC COTTON T-SHIRT',
			'100% cotton - machine wash 30 C',
			'Made in Portugal',
			'SKU 4006381333931  Price 19.90 EUR',
			`(text recognised by the PicWish simulator from ${input.name || 'the upload'}, ${kind}, languages ${params.languages.join(',')})`,
		];
		return { file: documentFile(params.format, lines) };
	},
	documentKind,
};
