import { crdManifest } from '@reinhardt-cloud/core';
import { formatDocument, outputFormat } from '../output';
import type { CommandContext } from '../spec';

export async function run({ values, io }: CommandContext): Promise<number> {
  io.stdout(await formatDocument(crdManifest(), outputFormat(values.output)));
  return 0;
}
