import type { Command } from 'commander';
import { registerControl } from './pause.js';

export function registerAbort(program: Command): void {
  registerControl(program, 'abort');
}
