/**
 * The list that registers every operation. Adding a PicWish endpoint = one `<name>.operation.ts` file
 * with its spec, and one line here.
 */
import type { OperationSpec } from '../engine/spec';
import { spec as removeBackground } from './removeBackground.operation';
import { spec as generateBackground } from './generateBackground.operation';
import { spec as enhance } from './enhance.operation';
import { spec as advancedEnhance } from './advancedEnhance.operation';
import { spec as compress } from './compress.operation';
import { spec as removeWatermark } from './removeWatermark.operation';
import { spec as removeObjects } from './removeObjects.operation';
import { spec as expandImage } from './expandImage.operation';
import { spec as faceCutout } from './faceCutout.operation';
import { spec as idPhoto } from './idPhoto.operation';
import { spec as colorize } from './colorize.operation';
import { spec as smartCrop } from './smartCrop.operation';
import { spec as clothingSegmentation } from './clothingSegmentation.operation';
import { spec as extractText } from './extractText.operation';

export const OPERATIONS: OperationSpec[] = [
	removeBackground,
	generateBackground,
	enhance,
	advancedEnhance,
	compress,
	removeWatermark,
	removeObjects,
	expandImage,
	faceCutout,
	idPhoto,
	colorize,
	smartCrop,
	clothingSegmentation,
	extractText,
];

export function operationSpec(name: string): OperationSpec | undefined {
	return OPERATIONS.find((operation) => operation.name === name);
}
