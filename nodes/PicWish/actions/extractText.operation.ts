/** Extract Text (`document/ocr`, async only): text from a label, a spec sheet or a PDF, as txt/pdf/docx/xlsx/pptx. */
import type { OperationSpec, Params } from '../engine/spec';
import { textUpTo } from '../helpers/fieldChecks';

/** Language names are case-sensitive in the API (English, ChinesePRC, Digits, …): at most 10. */
function languagesOf(p: Params): string {
	const list = String(p.get('ocrLanguages', 'English,ChinesePRC,Digits'))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (list.length === 0 || list.length > 10 || list.some((name) => !/^[A-Za-z][A-Za-z_-]*$/.test(name))) {
		p.fail(
			'The field "Languages" must list 1 to 10 language names separated by commas',
			'Write them as PicWish names them, case-sensitive, e.g. English,ChinesePRC,Digits.',
		);
	}
	return list.join(',');
}

export const spec: OperationSpec = {
	name: 'extractText',
	path: '/api/tasks/document/ocr',
	modes: 'asyncOnly',
	defaultTimeoutSeconds: 120,
	input: {
		fileField: 'image_file',
		urlField: 'image_url',
		limits: { kinds: ['jpg', 'png', 'bmp', 'gif', 'tiff', 'webp', 'pdf', 'zip', 'ole'], maxMegabytes: 200 },
	},
	fields: [
		{
			displayName: 'Languages',
			name: 'ocrLanguages',
			type: 'string',
			default: 'English,ChinesePRC,Digits',
			description: 'Up to 10 languages, comma-separated and case-sensitive (PicWish\'s names, e.g. English, ChinesePRC, Digits)',
		},
		{
			displayName: 'Result Format',
			name: 'ocrFormat',
			type: 'options',
			options: [
				{ name: 'Excel (XLSX)', value: 'xlsx' },
				{ name: 'PDF', value: 'pdf' },
				{ name: 'PowerPoint (PPTX)', value: 'pptx' },
				{ name: 'Text (TXT)', value: 'txt' },
				{ name: 'Word (DOCX)', value: 'docx' },
			],
			default: 'txt',
			description: 'The document PicWish makes from the text',
		},
		{
			displayName: 'Document Password',
			name: 'documentPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'For a password-protected document (at most 32 characters)',
		},
	],
	apiFields(p) {
		const url = String(p.get('imageUrl', ''));
		if (p.get('inputSource', 'binary') === 'url' && /^https?:\/\/[^/]+:(?!80\/|443\/|80$|443$)\d+/i.test(url.trim())) {
			p.fail('The field "Image URL" uses a port PicWish\'s OCR cannot reach', 'OCR downloads only from the standard ports 80 and 443: use a link without a port number.');
		}
		return {
			language: languagesOf(p),
			format: p.get('ocrFormat', 'txt'),
			password: textUpTo(p, 'documentPassword', 'Document Password', 32),
		};
	},
	results: [{ field: 'file', property: 'output', label: 'document', kind: 'document' }],
	wantedResults: () => ['file'],
};
