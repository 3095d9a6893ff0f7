// Fault fixtures: files whose names switch on simulator faults, and files our pre-flight must stop.
const fs = require('node:fs');
const path = require('node:path');

function pngHeaderClaiming(width, height) {
	const bytes = Buffer.alloc(64);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
	bytes.writeUInt32BE(13, 8);
	bytes.write('IHDR', 12, 'latin1');
	bytes.writeUInt32BE(width, 16);
	bytes.writeUInt32BE(height, 20);
	return bytes;
}

/**
 * Writes the given fixtures into `dir`, using `sample` (a real photo) for those that must be valid
 * images. Returns the file names written.
 */
function writeFixtures(dir, sample, names) {
	const makers = {
		good: (name) => [name, sample],
		state: (name) => [name, sample],
		corrupt: (name) => [name, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('definitely not the rest of a jpeg')])],
		gif: (name) => [name, Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20)])],
		oversize: (name) => [name, Buffer.concat([sample, Buffer.alloc(16 * 1024 * 1024)])],
		wide: (name) => [name, pngHeaderClaiming(5000, 300)],
	};
	const written = [];
	for (const [kind, name] of names) {
		const [fileName, bytes] = makers[kind](name);
		fs.writeFileSync(path.join(dir, fileName), bytes);
		written.push(fileName);
	}
	return written.sort();
}

module.exports = { writeFixtures };
