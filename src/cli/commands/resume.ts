import type { Command } from 'commander';
import { registerControl } from './pause.js';

export function registerResume(program: Command): void {
  registerControl(program, 'resume');
}
