// Small but valid documents for OCR results and ZIP archives for mask sets: txt, pdf (one page of
// Helvetica text), docx / xlsx / pptx (Office Open XML packages) and plain ZIP (stored entries).
const zlib = require('node:zlib');

/** A ZIP archive of stored (uncompressed) entries: [{ name, data }]. */
function zip(entries) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
		const crc = zlib.crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4); // version needed
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(0, 8); // stored
		local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(0, 10);
		central.writeUInt32LE(0x00210000, 12);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		centrals.push(central, name);
		offset += local.length + name.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

function contentTypes(overrides) {
	return `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
		'<Default Extension="xml" ContentType="application/xml"/>' +
		overrides.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`).join('') +
		'</Types>';
}

const rels = (list) => `${HEAD}<Relationships xmlns="${PKG_REL}">${list.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('')}</Relationships>`;

function docx(lines) {
	const body = lines.map((line) => `<w:p><w:r><w:t xml:space="preserve">${xml(line)}</w:t></w:r></w:p>`).join('');
	return zip([
		{ name: '[Content_Types].xml', data: contentTypes([['/word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml']]) },
		{ name: '_rels/.rels', data: rels([['rId1', `${REL}/officeDocument`, 'word/document.xml']]) },
		{ name: 'word/document.xml', data: `${HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>` },
	]);
}

function xlsx(lines) {
	const rows = lines.map((line, index) => `<row r="${index + 1}"><c r="A${index + 1}" t="inlineStr"><is><t>${xml(line)}</t></is></c></row>`).join('');
	const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	return zip([
		{
			name: '[Content_Types].xml',
			data: contentTypes([
				['/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
				['/xl/worksheets/sheet1.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'],
			]),
		},
		{ name: '_rels/.rels', data: rels([['rId1', `${REL}/officeDocument`, 'xl/workbook.xml']]) },
		{ name: 'xl/workbook.xml', data: `${HEAD}<workbook xmlns="${main}" xmlns:r="${REL}"><sheets><sheet name="OCR" sheetId="1" r:id="rId1"/></sheets></workbook>` },
		{ name: 'xl/_rels/workbook.xml.rels', data: rels([['rId1', `${REL}/worksheet`, 'worksheets/sheet1.xml']]) },
		{ name: 'xl/worksheets/sheet1.xml', data: `${HEAD}<worksheet xmlns="${main}"><sheetData>${rows}</sheetData></worksheet>` },
	]);
}

/** A one-slide presentation: the package structure PowerPoint expects, with the text in one shape. */
function pptx(lines) {
	const p = 'http://schemas.openxmlformats.org/presentationml/2006/main';
	const a = 'http://schemas.openxmlformats.org/drawingml/2006/main';
	const paragraphs = lines.map((line) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${xml(line)}</a:t></a:r></a:p>`).join('');
	const slide = `${HEAD}<p:sld xmlns:p="${p}" xmlns:a="${a}" xmlns:r="${REL}"><p:cSld><p:spTree>` +
		'<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>' +
		'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>' +
		'<p:spPr><a:xfrm><a:off x="457200" y="457200"/><a:ext cx="8229600" cy="4572000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>' +
		`<p:txBody><a:bodyPr/><a:lstStyle/>${paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
	return zip([
		{
			name: '[Content_Types].xml',
			data: contentTypes([
				['/ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'],
				['/ppt/slides/slide1.xml', 'application/vnd.openxmlformats-officedocument.presentationml.slide+xml'],
			]),
		},
		{ name: '_rels/.rels', data: rels([['rId1', `${REL}/officeDocument`, 'ppt/presentation.xml']]) },
		{
			name: 'ppt/presentation.xml',
			data: `${HEAD}<p:presentation xmlns:p="${p}" xmlns:r="${REL}"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst>` +
				'<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>',
		},
		{ name: 'ppt/_rels/presentation.xml.rels', data: rels([['rId1', `${REL}/slide`, 'slides/slide1.xml']]) },
		{ name: 'ppt/slides/slide1.xml', data: slide },
	]);
}

/** A one-page PDF 1.4 with the lines in Helvetica and a correct cross-reference table. */
function pdf(lines) {
	const escape = (text) => String(text).replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
	const stream = ['BT', '/F1 12 Tf', '14 TL', '56 780 Td', ...lines.map((line) => `(${escape(line)}) '`), 'ET'].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
		`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((object, index) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

const FORMATS = {
	txt: { make: (lines) => Buffer.from(`${lines.join('\n')}\n`, 'utf8'), contentType: 'text/plain; charset=utf-8' },
	pdf: { make: pdf, contentType: 'application/pdf' },
	docx: { make: docx, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
	xlsx: { make: xlsx, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
	pptx: { make: pptx, contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
};

/** A result file { bytes, contentType, ext } of the format holding the lines. */
function documentFile(format, lines) {
	const kind = FORMATS[format];
	return { bytes: kind.make(lines), contentType: kind.contentType, ext: format };
}

/** Names the entries of a ZIP archive by reading its central directory (for tests and checks). */
function zipEntries(bytes) {
	const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (end < 0) return undefined;
	const count = bytes.readUInt16LE(end + 10);
	let at = bytes.readUInt32LE(end + 16);
	const names = [];
	for (let index = 0; index < count; index++) {
		if (bytes.readUInt32LE(at) !== 0x02014b50) return undefined;
		const nameLength = bytes.readUInt16LE(at + 28);
		const extra = bytes.readUInt16LE(at + 30);
		const comment = bytes.readUInt16LE(at + 32);
		names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
		at += 46 + nameLength + extra + comment;
	}
	return names;
}

/** The data of one stored entry (for tests). */
function zipEntry(bytes, wanted) {
	let at = 0;
	while (bytes.readUInt32LE(at) === 0x04034b50) {
		const size = bytes.readUInt32LE(at + 18);
		const nameLength = bytes.readUInt16LE(at + 26);
		const extra = bytes.readUInt16LE(at + 28);
		const name = bytes.toString('utf8', at + 30, at + 30 + nameLength);
		const start = at + 30 + nameLength + extra;
		if (name === wanted) return bytes.subarray(start, start + size);
		at = start + size;
	}
	return undefined;
}

module.exports = { zip, zipEntries, zipEntry, pdf, docx, xlsx, pptx, documentFile, FORMATS };
