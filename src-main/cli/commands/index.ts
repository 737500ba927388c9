/** Every `quorum` command, in the order `quorum --help` lists them. Each lives in its own file. */
import type { Command } from '../cli-kit.js';
import { serve } from './serve.js';

export const COMMANDS: Command[] = [serve];
