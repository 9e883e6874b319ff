import type { Parsed } from '../args';
import type { AppContext } from '../../app/context';
import { DEADLINE_COMMANDS } from './calendar';
import { METRIC_COMMANDS } from './metrics';
import { USER_COMMANDS } from './user';

/** Commands added by the deadline, metric and report modules; each says how to match and run itself. */
export interface CliCommand {
  usage: string;
  matches(p: Parsed): boolean;
  run(ctx: AppContext, p: Parsed): Promise<void>;
}

export const EXTRA_COMMANDS: CliCommand[] = [...DEADLINE_COMMANDS, ...METRIC_COMMANDS, ...USER_COMMANDS];
