// Commands other than scan register here, each from its own module, so that cli.ts stays small.
import type { Argv } from 'yargs';
import { addRewriteCommand } from './cli-rewrite.js';
import { addCoccinelleCommand } from './cli-cocci.js';
import { addEstimateCommand } from './cli-estimate.js';
import { addSeriesCommand } from './cli-series.js';
import { addSwitchCommand } from './switch/cli.js';

export type CommandAdder = <T>(y: Argv<T>) => Argv<T>;

export const commands: CommandAdder[] = [addRewriteCommand, addCoccinelleCommand, addEstimateCommand, addSeriesCommand, addSwitchCommand];
