/**
 * The list that registers every operation. Adding a PicWish endpoint = one `<name>.operation.ts` file
 * with its spec, and one line here.
 */
import type { OperationSpec } from '../engine/spec';
import { spec as removeBackground } from './removeBackground.operation';

export const OPERATIONS: OperationSpec[] = [removeBackground];

export function operationSpec(name: string): OperationSpec | undefined {
	return OPERATIONS.find((operation) => operation.name === name);
}
