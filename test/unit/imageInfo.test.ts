import { readImageInfo, sniffImageKind } from '../../nodes/PicWish/helpers/imageInfo';
import { bmp, gif, jpegHeader, jpg, png, pngHeader, tiff, webpExtended, webpLossless, webpLossy } from '../support/images';

describe('reading format and size from image headers', () => {
	it.each([
		['a real PNG', png(31, 17), 'png', 31, 17],
		['a real JPEG', jpg(23, 11), 'jpg', 23, 11],
		['a progressive JPEG header after APP0', jpegHeader(5000, 300), 'jpg', 5000, 300],
		['a PNG header', pngHeader(4097, 10), 'png', 4097, 10],
		['a lossy WEBP', webpLossy(640, 480), 'webp', 640, 480],
		['a lossless WEBP', webpLossless(1234, 77), 'webp', 1234, 77],
		['an extended WEBP', webpExtended(4100, 2), 'webp', 4100, 2],
		['a top-down BMP', bmp(320, 200), 'bmp', 320, 200],
		['a little-endian TIFF', tiff(800, 600, true), 'tiff', 800, 600],
		['a big-endian TIFF', tiff(300, 5000, false), 'tiff', 300, 5000],
		['a GIF', gif(4, 3), 'gif', undefined, undefined],
	])('reads %s', (_label, bytes, kind, width, height) => {
		const info = readImageInfo(bytes);
		expect(info?.kind).toBe(kind);
		expect(info?.width).toBe(width);
		expect(info?.height).toBe(height);
	});

	it('knows the mime type of each format', () => {
		expect(readImageInfo(png())?.mimeType).toBe('image/png');
		expect(readImageInfo(jpg())?.mimeType).toBe('image/jpeg');
		expect(readImageInfo(webpLossy(1, 1))?.mimeType).toBe('image/webp');
	});

	it('does not take text or an empty buffer for an image', () => {
		expect(sniffImageKind(Buffer.from('<html>not an image</html>'))).toBeUndefined();
		expect(readImageInfo(Buffer.alloc(0))).toBeUndefined();
	});

	it('reports a truncated JPEG as a JPEG of unknown size instead of throwing', () => {
		const info = readImageInfo(jpegHeader(100, 100).subarray(0, 12));
		expect(info?.kind).toBe('jpg');
		expect(info?.width).toBeUndefined();
	});
});
