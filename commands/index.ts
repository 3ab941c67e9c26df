// Every command the bot has, by name.
import type { Command } from '../src/interactions/context.ts';
import { spacecraftCommand } from './spacecraft.ts';

export const commands: readonly Command[] = [spacecraftCommand];
